#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform
import Results
import Units

extension Environment {
    /// Reads the machine now. `loadAverageAfter` is filled in when the sweep ends. With `probeHugePages` (a sweep
    /// with `--huge-pages`) it also checks whether advised memory gets huge pages here (`TransparentHugePages.probe`).
    public static func capture(
        commandLine: [String], scratchDirectory: String, probeHugePages: Bool = false
    ) -> Environment {
        Environment(
            hostname: ProcessInfo.processInfo.hostName,
            cpuModel: cpuModel(),
            cores: Cores.available,
            memoryBytes: meminfo("MemTotal:"),
            availableMemoryBytes: meminfo("MemAvailable:"),
            kernel: kernelRelease(),
            swiftVersion: compilerVersion,
            buildConfiguration: buildConfiguration,
            payloadlabVersion: PayloadLabVersion.current,
            commandLine: commandLine.map(shellQuoted).joined(separator: " "),
            startedAt: ISO8601DateFormatter().string(from: Date()),
            loadAverageBefore: loadAverage(),
            loadAverageAfter: nil,
            scratchDirectory: scratchDirectory,
            scratchFilesystem: FilesystemInfo.type(of: scratchDirectory),
            hugePages: hugePageSupport(probe: probeHugePages))
    }

    /// The kernel's huge-page modes, and with `probe` how 4 MiB of advised memory fared.
    public static func hugePageSupport(probe: Bool) -> HugePageSupport {
        var support = HugePageSupport(
            mode: TransparentHugePages.mode(), sharedMemoryMode: TransparentHugePages.sharedMemoryMode())
        if probe {
            let outcome = TransparentHugePages.probe()
            support.adviceError = outcome.adviceErrno == 0 ? nil : SystemErrorText.describe(outcome.adviceErrno)
            support.probeBytes = outcome.probedBytes
            support.probeHugePageBytes = outcome.hugePageBytes
        }
        return support
    }

    /// The 1-minute load average.
    public static func loadAverage() -> Double {
        guard let text = DescriptorIO.readTextFile("/proc/loadavg"), let first = text.split(separator: " ").first else { return 0 }
        return Double(first) ?? 0
    }

    package static func cpuModel() -> String {
        guard let text = DescriptorIO.readTextFile("/proc/cpuinfo") else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return String(line[line.index(after: colon)...]).trimmingWhitespace()
            }
        }
        return "unknown"
    }

    /// A /proc/meminfo field in bytes.
    public static func meminfo(_ field: String) -> Int {
        guard let text = DescriptorIO.readTextFile("/proc/meminfo") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let digits = line.dropFirst(field.count).filter(\.isNumber)
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }

    package static func kernelRelease() -> String {
        var info = utsname()
        guard uname(&info) == 0 else { return "unknown" }
        let sys = withUnsafeBytes(of: &info.sysname) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let rel = withUnsafeBytes(of: &info.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let machine = withUnsafeBytes(of: &info.machine) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return "\(sys) \(rel) \(machine)"
    }

}
