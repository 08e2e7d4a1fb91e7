import Units
/// The stages of one task, each timed where it runs.
///
/// Process pool: serialize (parent) → transfer (pipe) → deserialize → verify → work → reserialize → write → sync
/// (worker). Thread pool: work → reserialize → write → sync, on the thread that holds the object.
public enum Stage: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Hashable, Comparable {
    /// Encoding the payload in the parent before it is sent.
    case serialize
    /// From the parent's first byte written to the worker's last byte read.
    case transfer
    /// Decoding the received bytes into an object in the worker.
    case deserialize
    /// Checksumming the decoded object against the checksum the parent sent.
    case verify
    /// The work profile run on the object.
    case work
    /// Encoding the object again for writing.
    case reserialize
    /// Writing the encoded bytes to a scratch file (page cache).
    case write
    /// `fsync` of the scratch file (only with `--sync`).
    case sync

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    package var code: UInt8 { UInt8(Stage.allCases.firstIndex(of: self)!) }

    package init?(code: UInt8) {
        guard Int(code) < Stage.allCases.count else { return nil }
        self = Stage.allCases[Int(code)]
    }
}

/// When one stage of one task ran (CLOCK_MONOTONIC nanoseconds) and the CPU time its thread used meanwhile.
public struct StageSpan: Sendable, Equatable {
    public var stage: Stage
    public var start: UInt64
    public var end: UInt64
    public var cpuNanoseconds: UInt64

    public init(stage: Stage, start: UInt64, end: UInt64, cpuNanoseconds: UInt64) {
        self.stage = stage
        self.start = start
        self.end = end
        self.cpuNanoseconds = cpuNanoseconds
    }

    public var seconds: Double { MonotonicClock.seconds(from: start, to: end) }
}

/// An interval in which a thread ran a unit of interpreter-lock-scheduled work, and whether it held the lock.
public struct LockInterval: Codable, Sendable, Equatable {
    public var start: UInt64
    public var end: UInt64
    public var locked: Bool

    public init(start: UInt64, end: UInt64, locked: Bool) {
        self.start = start
        self.end = end
        self.locked = locked
    }
}
