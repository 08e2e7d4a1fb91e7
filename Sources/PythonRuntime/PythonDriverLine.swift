/// One JSON line of the driver's output. Every event shares this shape; each fills the fields it has.
struct PythonDriverLine: Decodable {
    struct StageSumCheck: Decodable {
        var medianLatencyNs: Int64
        var medianStageSumNs: Int64
    }
    struct LoopLag: Decodable {
        var p50: Int64
        var p99: Int64
        var max: Int64
    }

    /// A sample's worker peak (one number) or the done line's peaks per worker (a list).
    enum Peaks: Decodable {
        case one(Int)
        case each([Int])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int.self) { self = .one(value) } else { self = .each(try container.decode([Int].self)) }
        }

        var list: [Int] {
            switch self {
            case .one(let value): return [value]
            case .each(let values): return values
            }
        }
    }

    var event: String
    // error
    var kind: String?
    var message: String?
    // ready
    var python: String?
    var startMethod: String?
    var pickleBytes: Int?
    var objectBytes: Int?
    var poolStartNs: Int64?
    var workerBaselineBytes: [Int]?
    var daskMode: String?
    var daskScheduler: String?
    var schedulerInProcess: Bool?
    // sample
    var task: Int?
    var warmup: Bool?
    var worker: Int?
    var ns: [String: Int64]?
    var cpuNs: [String: Int64]?
    var latencyNs: Int64?
    var startNs: Int64?
    var endNs: Int64?
    var encodedBytes: Int?
    // batch and done
    var tasks: Int?
    var wallNs: Int64?
    var parentPeakBytes: Int?
    var workerPeakBytes: Peaks?
    var stageSumCheck: StageSumCheck?
    var loopLagNs: LoopLag?
    var pickleDumpsBytesPerSecond: Double?
    var pickleLoadsBytesPerSecond: Double?
}
