/// Dask's own comm between two processes on this machine, with no scheduler and no task (`distributed.comm` over
/// TCP on 127.0.0.1, the bytes as a frame of their own, kept serialized at the other end, each message answered with
/// two bytes): the most any Dask transfer carries here. A sweep with Dask pools measures it once, at each Dask size the report sets against TCP,
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

    /// One message's time at `reading`'s size: its median round less half the small round trip (the answer's way
    /// back), since a transfer stage ends when the bytes arrive; nil when that leaves nothing.
    public func messageSeconds(_ reading: Reading) -> Double? {
        let seconds = reading.medianSeconds - roundTripSeconds / 2
        return seconds > 0 ? seconds : nil
    }

    /// Bytes per second of one message at `reading`'s size (`messageSeconds`).
    public func bytesPerSecond(_ reading: Reading) -> Double? {
        messageSeconds(reading).map { Double(reading.sizeBytes) / $0 }
    }

    /// Bytes per second at exactly `sizeBytes`, if measured.
    public func bytesPerSecond(sizeBytes: Int) -> Double? {
        reading(sizeBytes: sizeBytes).flatMap(bytesPerSecond)
    }
}
