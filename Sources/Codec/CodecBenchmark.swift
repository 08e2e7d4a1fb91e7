import Payload
import Units
/// Measures codecs on one payload: encode and decode throughput, against plain copies of the same bytes.
///
/// Each codec is warmed up (one encode and decode, whose checksum is verified), then encoded and decoded repeatedly
/// until both a minimum count and a time budget are reached; the median is reported and every sample kept. Buffers
/// are released outside the timed region, so a sample is the codec's own work, including the first touch of the
/// memory it allocates (as a worker receiving a fresh payload pays it).
public enum CodecBenchmark {
    /// How often and how long to measure.
    public struct Options: Sendable, Equatable {
        /// Untimed runs before measuring (each also verifies the round trip).
        public var warmupRuns: Int
        /// Timed runs at least, whatever the budget.
        public var minimumRuns: Int
        /// Timed runs at most, whatever the budget.
        public var maximumRuns: Int
        /// Seconds each codec may spend on each direction once `minimumRuns` are done.
        public var timeBudgetSeconds: Double

        public init(warmupRuns: Int = 1, minimumRuns: Int = 3, maximumRuns: Int = 100, timeBudgetSeconds: Double = 1.5) {
            self.warmupRuns = warmupRuns
            self.minimumRuns = minimumRuns
            self.maximumRuns = maximumRuns
            self.timeBudgetSeconds = timeBudgetSeconds
        }
    }

    /// The codecs `bench codecs` measures when none are named.
    public static let defaultCodecNames = ["binary", "json", "plist", "binary+zstd:1", "binary+zstd:3"]
    /// Above this payload size the Foundation codecs (tens of MB/s) are skipped unless named explicitly.
    public static let slowCodecLimitBytes = 16_000_000

    /// The codec names to measure and those skipped: `requested` as given, or the defaults without the slow
    /// Foundation codecs when the payload is larger than `slowCodecLimitBytes`.
    public static func plan(requested: [String]?, payloadBytes: Int) -> (names: [String], skipped: [String]) {
        if let requested { return (requested, []) }
        guard payloadBytes > slowCodecLimitBytes else { return (defaultCodecNames, []) }
        let isSlow = { (name: String) in name.hasPrefix("json") || name.hasPrefix("plist") }
        return (defaultCodecNames.filter { !isSlow($0) }, defaultCodecNames.filter(isSlow))
    }

    /// Measures plain copies and then each codec on `payload`; `progress` hears what is being measured.
    public static func run(payload: Payload, codecs: [any Codec], options: Options = Options(),
                           progress: (String) -> Void = { _ in }) throws -> CodecBenchmarkResult {
        let checksum = payload.checksum
        let reference = try BinaryCodec().encode(payload)
        progress("plain copies of \(reference.count) bytes")
        let references = [
            measureFreshCopy(of: reference, options: options),
            measureTouchedCopy(of: reference, options: options),
        ]
        let freshCopySeconds = references[0].medianSeconds
        var measurements: [CodecMeasurement] = []
        for codec in codecs {
            progress(codec.name)
            measurements.append(try measure(codec, payload: payload, checksum: checksum,
                                            freshCopySeconds: freshCopySeconds, options: options))
        }
        return CodecBenchmarkResult(shape: payload.shape, payloadBytes: reference.count,
                                    elementCount: payload.elementCount, checksum: checksum,
                                    references: references, codecs: measurements,
                                    hugePages: HugePages.isEnabled ? true : nil)
    }

    /// Measures one codec: warm-up with round-trip verification, then timed encodes and decodes.
    static func measure(_ codec: any Codec, payload: Payload, checksum: UInt64, freshCopySeconds: Double,
                        options: Options) throws -> CodecMeasurement {
        var encoded: [UInt8] = []
        var verified = true
        for _ in 0..<max(1, options.warmupRuns) {
            encoded = []
            encoded = try codec.encode(payload)
            let decoded = try encoded.withUnsafeBytes { try codec.decode($0) }
            verified = verified && decoded.checksum == checksum
        }
        var encodeSamples: [Double] = []
        let encodeStart = MonotonicClock.now()
        while shouldContinue(encodeSamples.count, since: encodeStart, options: options) {
            let start = MonotonicClock.now()
            let output = try codec.encode(payload)
            let end = MonotonicClock.now()
            encodeSamples.append(MonotonicClock.seconds(from: start, to: end))
            encoded = output  // kept for the decodes; the previous one is freed after the clock stopped
        }
        var decodeSamples: [Double] = []
        let decodeStart = MonotonicClock.now()
        while shouldContinue(decodeSamples.count, since: decodeStart, options: options) {
            let start = MonotonicClock.now()
            let output = try encoded.withUnsafeBytes { try codec.decode($0) }
            let end = MonotonicClock.now()
            decodeSamples.append(MonotonicClock.seconds(from: start, to: end))
            withExtendedLifetime(output) {}  // freed here, after the clock stopped
        }
        // What replaces the decode for a codec read in place: checking the view (a worker's deserialize stage).
        var viewSamples: [Double]?
        if let inPlace = codec as? any InPlaceReadable {
            var samples: [Double] = []
            let viewStart = MonotonicClock.now()
            try encoded.withUnsafeBytes { bytes in
                while shouldContinue(samples.count, since: viewStart, options: options) {
                    let start = MonotonicClock.now()
                    let view = try inPlace.view(bytes)
                    let end = MonotonicClock.now()
                    samples.append(MonotonicClock.seconds(from: start, to: end))
                    verified = verified && (samples.count > 1 || view.checksum == checksum)
                }
            }
            viewSamples = samples
        }
        let encodeMedian = median(encodeSamples)
        let decodeMedian = median(decodeSamples)
        return CodecMeasurement(
            codec: codec.name, shape: payload.shape, payloadBytes: payload.logicalBytes, bytes: encoded.count,
            encodeSeconds: encodeSamples, decodeSeconds: decodeSamples,
            encodeMedianSeconds: encodeMedian, decodeMedianSeconds: decodeMedian,
            encodeTimesFreshCopy: freshCopySeconds > 0 ? encodeMedian / freshCopySeconds : .infinity,
            decodeTimesFreshCopy: freshCopySeconds > 0 ? decodeMedian / freshCopySeconds : .infinity,
            checksumVerified: verified, viewSeconds: viewSamples)
    }

    /// A copy of `bytes` into a newly allocated array each run: what a decoder pays at least.
    static func measureFreshCopy(of bytes: [UInt8], options: Options) -> CopyReference {
        var samples: [Double] = []
        let begin = MonotonicClock.now()
        bytes.withUnsafeBytes { source in
            while shouldContinue(samples.count, since: begin, options: options) {
                let start = MonotonicClock.now()
                let fresh = [UInt8](unsafeUninitializedCapacity: source.count) { buffer, initialized in
                    HugePages.adviseFresh(buffer.baseAddress, count: source.count)
                    if let to = buffer.baseAddress, let from = source.baseAddress {
                        UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: source.count)
                    }
                    initialized = source.count
                }
                let end = MonotonicClock.now()
                samples.append(MonotonicClock.seconds(from: start, to: end))
                withExtendedLifetime(fresh) {}  // freed here, after the clock stopped
            }
        }
        return CopyReference(name: CopyReference.freshName, bytes: bytes.count, seconds: samples)
    }

    /// A copy of `bytes` into one buffer written before: memory bandwidth without page faults.
    static func measureTouchedCopy(of bytes: [UInt8], options: Options) -> CopyReference {
        var samples: [Double] = []
        var destination = [UInt8](repeating: 1, count: bytes.count)
        let begin = MonotonicClock.now()
        bytes.withUnsafeBytes { source in
            destination.withUnsafeMutableBytes { target in
                while shouldContinue(samples.count, since: begin, options: options) {
                    let start = MonotonicClock.now()
                    if let to = target.baseAddress, let from = source.baseAddress {
                        to.copyMemory(from: from, byteCount: source.count)
                    }
                    let end = MonotonicClock.now()
                    samples.append(MonotonicClock.seconds(from: start, to: end))
                }
            }
        }
        return CopyReference(name: CopyReference.touchedName, bytes: bytes.count, seconds: samples)
    }

    static func shouldContinue(_ runs: Int, since start: UInt64, options: Options) -> Bool {
        if runs < max(1, options.minimumRuns) { return true }
        if runs >= options.maximumRuns { return false }
        return MonotonicClock.seconds(from: start, to: MonotonicClock.now()) < options.timeBudgetSeconds
    }

    /// The median of `values` (the mean of the middle two for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// What `CodecBenchmark.run` measured on one payload.
public struct CodecBenchmarkResult: Codable, Sendable, Equatable {
    public var shape: PayloadShape
    /// The payload's logical size (its binary encoding).
    public var payloadBytes: Int
    public var elementCount: Int
    public var checksum: UInt64
    /// Plain copies of the binary encoding: into fresh memory, and into memory touched before.
    public var references: [CopyReference]
    public var codecs: [CodecMeasurement]
    /// True when payload-sized buffers (encodings, decoded arrays, the fresh copies) were advised to use huge pages
    /// (`HugePages`, `bench codecs --huge-pages`); nil when not.
    public var hugePages: Bool? = nil
}

/// One codec on one payload.
public struct CodecMeasurement: Codable, Sendable, Equatable {
    public var codec: String
    public var shape: PayloadShape
    /// The payload's logical size (its binary encoding).
    public var payloadBytes: Int
    /// The encoded size.
    public var bytes: Int
    /// Every timed encode, in seconds.
    public var encodeSeconds: [Double]
    /// Every timed decode, in seconds.
    public var decodeSeconds: [Double]
    public var encodeMedianSeconds: Double
    public var decodeMedianSeconds: Double
    /// The median encode time over the median copy of the binary encoding into fresh memory.
    public var encodeTimesFreshCopy: Double
    /// The median decode time over the median copy of the binary encoding into fresh memory.
    public var decodeTimesFreshCopy: Double
    /// Whether the warm-up's decoded payload had the original's checksum (and an in-place view's too).
    public var checksumVerified: Bool
    /// For a codec read in place (`raw`, `flat`): every timed check of a view over the encoding, in seconds — what
    /// a worker's deserialize stage does instead of decoding. Nil for other codecs.
    public var viewSeconds: [Double]? = nil

    /// Encoded bytes produced per second (median).
    public var encodeBytesPerSecond: Double { Double(bytes) / encodeMedianSeconds }
    /// Encoded bytes consumed per second (median).
    public var decodeBytesPerSecond: Double { Double(bytes) / decodeMedianSeconds }
    /// Logical payload bytes per second of encoding (for zstd: the rate of uncompressed input).
    public var encodePayloadBytesPerSecond: Double { Double(payloadBytes) / encodeMedianSeconds }
    /// Logical payload bytes per second of decoding.
    public var decodePayloadBytesPerSecond: Double { Double(payloadBytes) / decodeMedianSeconds }
    /// How many times smaller than the binary encoding the encoding is.
    public var compressionRatio: Double { Double(payloadBytes) / Double(max(bytes, 1)) }
}

/// A plain copy of the same bytes, as a floor for codecs.
public struct CopyReference: Codable, Sendable, Equatable {
    public static let freshName = "copy (fresh memory)"
    public static let touchedName = "copy (touched memory)"

    public var name: String
    public var bytes: Int
    /// Every timed copy, in seconds.
    public var seconds: [Double]

    public var medianSeconds: Double { CodecBenchmark.median(seconds) }
    public var bytesPerSecond: Double { Double(bytes) / medianSeconds }
}
