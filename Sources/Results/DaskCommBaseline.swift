/// Dask's own comm between two processes on this machine, with no scheduler and no task (`distributed.comm` over
/// TCP on 127.0.0.1, the bytes as a frame of their own, each message answered with two bytes): the most any Dask
/// transfer carries here. A sweep with Dask pools measures it once, at each Dask size the report sets against TCP,
/// so a user sees how much of the gap to TCP is Dask's comm itself and how much the pool's path adds.
public struct DaskCommBaseline: Codable, Sendable, Equatable {
    /// One message size, timed over `rounds` messages after one untimed one.
    public struct Reading: Codable, Sendable, Equatable {
        public var sizeBytes: Int
        public var rounds: Int
        public var medianSeconds: Double
        public var bestSeconds: Double

        public init(sizeBytes: Int, rounds: Int, medianSeconds: Double, bestSeconds: Double) {
            self.sizeBytes = sizeBytes
            self.rounds = rounds
            self.medianSeconds = medianSeconds
            self.bestSeconds = bestSeconds
        }

        /// Bytes per second over the median message; nil when the median is not positive.
        public var bytesPerSecond: Double? { medianSeconds > 0 ? Double(sizeBytes) / medianSeconds : nil }
    }

    /// Sizes from this one up are measured (the sizes the report's Dask table shows), or every size when the sweep
    /// has none that large.
    public static let smallestMeasuredBytes = 1_000_000

    public var readings: [Reading]
    /// Median round trip of a 64-byte message and its answer.
    public var roundTripSeconds: Double
    /// The CPython version that ran it.
    public var python: String

    public init(readings: [Reading], roundTripSeconds: Double, python: String) {
        self.readings = readings
        self.roundTripSeconds = roundTripSeconds
        self.python = python
    }

    /// The sizes to measure for a plan's sizes.
    public static func sizes(for planSizes: [Int]) -> [Int] {
        let large = planSizes.filter { $0 >= smallestMeasuredBytes }
        return large.isEmpty ? planSizes : large
    }

    /// The reading at exactly `sizeBytes`, if measured.
    public func reading(sizeBytes: Int) -> Reading? {
        readings.first { $0.sizeBytes == sizeBytes }
    }
}
