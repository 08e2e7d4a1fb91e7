#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The machine and build a sweep ran on, so a reader can judge the numbers and reproduce them.
public struct Environment: Codable, Sendable, Equatable {
    public var hostname: String
    public var cpuModel: String
    public var cores: Int
    public var memoryBytes: Int
    public var availableMemoryBytes: Int
    public var kernel: String
    public var swiftVersion: String
    public var buildConfiguration: String
    public var payloadlabVersion: String
    public var commandLine: String
    public var startedAt: String
    public var loadAverageBefore: Double
    public var loadAverageAfter: Double?
    public var scratchDirectory: String
    public var scratchFilesystem: String

    /// Reads the machine now. `loadAverageAfter` is filled in when the sweep ends.
    public static func capture(commandLine: [String], scratchDirectory: String) -> Environment {
        Environment(
            hostname: ProcessInfo.processInfo.hostName,
            cpuModel: cpuModel(),
            cores: ProcessInfo.processInfo.activeProcessorCount,
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
            scratchFilesystem: FilesystemInfo.type(of: scratchDirectory))
    }

    /// "debug" or "release", as this binary was compiled.
    public static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3.1)
        return "6.3.1"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "before 6.2"
        #endif
    }

    /// The 1-minute load average.
    public static func loadAverage() -> Double {
        guard let text = readSmallFile("/proc/loadavg"), let first = text.split(separator: " ").first else { return 0 }
        return Double(first) ?? 0
    }

    static func cpuModel() -> String {
        guard let text = readSmallFile("/proc/cpuinfo") else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return String(line[line.index(after: colon)...]).trimmingWhitespace()
            }
        }
        return "unknown"
    }

    /// A /proc/meminfo field in bytes.
    public static func meminfo(_ field: String) -> Int {
        guard let text = readSmallFile("/proc/meminfo") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let digits = line.dropFirst(field.count).filter(\.isNumber)
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }

    static func kernelRelease() -> String {
        var info = utsname()
        guard uname(&info) == 0 else { return "unknown" }
        let sys = withUnsafeBytes(of: &info.sysname) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let rel = withUnsafeBytes(of: &info.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let machine = withUnsafeBytes(of: &info.machine) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return "\(sys) \(rel) \(machine)"
    }

    static func shellQuoted(_ argument: String) -> String {
        let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0) }
        if safe && !argument.isEmpty { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The version this build of payloadlab reports.
public enum PayloadLabVersion {
    public static let current = "0.1.0"
}
