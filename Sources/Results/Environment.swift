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
    /// The kernel's transparent huge pages (and, with `--huge-pages`, a probe of them); nil in results written
    /// before they were recorded.
    public var hugePages: HugePageSupport?
    /// Whether the parent measured under its fixed glibc heap policy (`HeapPolicy.applyToParent`: from 32 MiB an
    /// allocation is a fresh mapping every time); nil in results written before it was fixed, false when glibc
    /// refused it.
    public var parentHeapPolicy: Bool?

    public init(hostname: String, cpuModel: String, cores: Int, memoryBytes: Int, availableMemoryBytes: Int, kernel: String, swiftVersion: String, buildConfiguration: String, payloadlabVersion: String, commandLine: String, startedAt: String, loadAverageBefore: Double, loadAverageAfter: Double?, scratchDirectory: String, scratchFilesystem: String, hugePages: HugePageSupport? = nil) {
        self.hugePages = hugePages
        self.hostname = hostname
        self.cpuModel = cpuModel
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.availableMemoryBytes = availableMemoryBytes
        self.kernel = kernel
        self.swiftVersion = swiftVersion
        self.buildConfiguration = buildConfiguration
        self.payloadlabVersion = payloadlabVersion
        self.commandLine = commandLine
        self.startedAt = startedAt
        self.loadAverageBefore = loadAverageBefore
        self.loadAverageAfter = loadAverageAfter
        self.scratchDirectory = scratchDirectory
        self.scratchFilesystem = scratchFilesystem
    }

    /// "debug" or "release", as this binary was compiled.
    public static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    package static var compilerVersion: String {
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

    package static func shellQuoted(_ argument: String) -> String {
        let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0) }
        if safe && !argument.isEmpty { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The version this build of payloadlab reports.
public enum PayloadLabVersion {
    public static let current = "0.1.0"
}
