import Platform
import Results
import Units
/// Conditions that make a sweep's numbers less trustworthy, said loudly before it starts and in the report.
public enum RunConditions {
    public static func warnings(environment: Environment) -> [String] {
        var warnings: [String] = []
        if environment.buildConfiguration == "debug" {
            warnings.append("This is a debug build: codecs run several times slower than in release. Build with `swift build -c release` (or `make sweep`) for numbers worth acting on.")
        }
        if environment.loadAverageBefore > Double(environment.cores) {
            warnings.append("The machine is busy (load average \(Formatting.fixed(environment.loadAverageBefore, decimals: 2)) on \(environment.cores) cores): other processes compete with the pools. Measure on an idle machine.")
        }
        if environment.scratchFilesystem == "tmpfs" {
            warnings.append("The scratch directory \(environment.scratchDirectory) is on tmpfs (memory), so write and sync cost nothing like a disk. Pass --scratch on a real disk.")
        }
        if let warning = hugePageWarning(environment.hugePages) { warnings.append(warning) }
        return warnings
    }

    /// Why `--huge-pages` cannot do what it asks on this machine, from the probe `Environment.capture` ran for it;
    /// nil when it was not asked for or the probe's memory got huge pages.
    static func hugePageWarning(_ support: HugePageSupport?) -> String? {
        guard let support, let probed = support.probeBytes else { return nil }
        if let error = support.adviceError {
            return "Huge pages were asked for, but madvise(MADV_HUGEPAGE) failed here (\(Sentence.clause(error))): every buffer stays in 4 KiB pages, so this run measures the same as one without --huge-pages."
        }
        guard let mode = support.mode else {
            return "Huge pages were asked for, but this kernel has no transparent huge pages (\(TransparentHugePages.directory)/enabled is missing): every buffer stays in 4 KiB pages."
        }
        if mode == "never" {
            return "Huge pages were asked for, but the kernel's transparent huge pages are off (mode never): the advice cannot take effect. As root, `echo madvise > \(TransparentHugePages.directory)/enabled` allows it."
        }
        if support.probeHugePageBytes == 0 {
            return "Huge pages were asked for, but a probe's advised and written \(Formatting.sizeLabel(probed)) got no huge page (memory too fragmented, or the defrag policy declined): the advice may change little in this run."
        }
        return nil
    }
}
