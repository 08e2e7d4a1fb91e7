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
        return warnings
    }
}
