import Foundation

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

    /// The sizes the calibration measures: powers of two from 64 KiB up to `largest` (itself rounded up to a
    /// power of two).
    public static func sizes(upTo largest: Int) -> [Int] {
        var sizes: [Int] = []
        var size = 64 << 10
        while true {
            sizes.append(size)
            if size >= largest { break }
            size *= 2
        }
        return sizes
    }
}
