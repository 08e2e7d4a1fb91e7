import Foundation
import Units

/// What it costs this machine to produce one payload-sized copy, by size: allocate a buffer of that size, copy a
/// touched source of the same size into it, free it — on `threads` threads at once, as a pool's workers do.
///
/// The cost per byte is not one number. Below the last-level cache both buffers stay cached; above it every byte
/// goes to DRAM; above glibc's largest mmap threshold (32 MiB) every allocation is a new mapping whose pages fault
/// in on first touch, several times slower again. The curve records those steps as they fall on this machine, so
/// the cost model can price a stage's per-byte work at the size it is asked about instead of assuming one rate.
public struct CopyCostCurve: Codable, Sendable, Equatable {
    /// One measured size and the median seconds per byte of an allocate, copy and free there.
    public struct Point: Codable, Sendable, Equatable {
        public var bytes: Int
        public var secondsPerByte: Double

        public init(bytes: Int, secondsPerByte: Double) {
            self.bytes = bytes
            self.secondsPerByte = secondsPerByte
        }
    }

    /// How many threads copied at once (one buffer pair each).
    public var threads: Int
    /// Ascending by `bytes`.
    public var points: [Point]

    public init(threads: Int, points: [Point]) {
        self.threads = threads
        self.points = points.sorted { $0.bytes < $1.bytes }
    }

    /// Seconds per byte at `bytes`: interpolated linearly in log size between measured sizes, and held at the
    /// nearest measured size outside them.
    public func secondsPerByte(at bytes: Double) -> Double {
        PiecewiseLinear(points.map { (log(Double($0.bytes)), $0.secondsPerByte) })
            .value(at: log(max(bytes, 1)), above: .hold)
    }

    /// glibc's largest mmap threshold: an allocation of this size or more is a new mapping every time, one below it
    /// is recycled heap memory once the threshold has adapted to it.
    public static let freshMappingBytes = HeapPolicy.mmapThresholdBytes
    /// The size measured just below `freshMappingBytes`, so the step between the two lies where it really is
    /// instead of being spread over 16–32 MiB by interpolation.
    public static let belowFreshMappingBytes = freshMappingBytes - (1 << 20)

    /// The size at which this curve steps up to fresh mappings, when it measured both sides of
    /// `freshMappingBytes` and the cost per byte there at least doubles; nil otherwise (another allocator, or a
    /// result from before the size below it was measured).
    ///
    /// Below and above it a stage lives in different regimes (recycled, cached memory against page faults), so the
    /// cost model corrects its fit on each side from the measured sizes on that side only.
    public var freshMappingStepBytes: Double? {
        guard let below = points.first(where: { $0.bytes == Self.belowFreshMappingBytes }),
              let above = points.first(where: { $0.bytes == Self.freshMappingBytes }),
              below.secondsPerByte > 0, above.secondsPerByte >= 2 * below.secondsPerByte else { return nil }
        return Double(Self.freshMappingBytes)
    }

    /// The sizes the calibration measures: powers of two from 64 KiB up to `largest` (itself rounded up to a
    /// power of two), and `belowFreshMappingBytes` when `freshMappingBytes` is among them.
    public static func sizes(upTo largest: Int) -> [Int] {
        var sizes: [Int] = []
        var size = 64 << 10
        while true {
            if size == freshMappingBytes { sizes.append(belowFreshMappingBytes) }
            sizes.append(size)
            if size >= largest { break }
            size *= 2
        }
        return sizes
    }
}
