import Results
import Payload
import Units
/// Two sweeps compared point by point: the ratio of medians and a verdict that respects the noise.
///
/// A point is *faster* or *slower* only when a two-sided Mann–Whitney U test on the raw task latencies gives
/// p < `significance` **and** the medians differ by more than the minimum change; otherwise it is *same within
/// noise*. With hundreds of samples per point the test alone calls every consistent shift significant, and two
/// runs on one shared machine differ by a few percent (page cache, allocator and scheduler state), so the default
/// minimum change is 10 % — the margin reports call a tie.
public struct ResultComparison: Codable, Sendable, Equatable {
    public static let significance = 0.05
    public static let defaultMinimumChange = 0.10

    public enum Verdict: String, Codable, Sendable {
        case faster
        case slower
        case same = "same within noise"
        case failed
    }

    /// What identifies a point across two runs.
    public struct Key: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
        public var pool: PoolKind
        public var shape: PayloadShape
        public var codec: String
        public var sizeBytes: Int
        public var workers: Int
        public var work: String
        public var gil: Double

        init(_ point: PointResult) {
            pool = point.pool
            shape = point.shape
            codec = point.codec
            sizeBytes = point.sizeBytes
            workers = point.workers
            work = point.work.description
            gil = point.gil
        }

        public var description: String {
            "\(pool.label) \(shape.rawValue) \(codec) \(Formatting.sizeLabel(sizeBytes))"
        }

        public static func < (a: Key, b: Key) -> Bool {
            (a.shape.rawValue, a.codec, a.sizeBytes, a.pool, a.workers, "\(a.work) \(a.gil)")
                < (b.shape.rawValue, b.codec, b.sizeBytes, b.pool, b.workers, "\(b.work) \(b.gil)")
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var key: Key
        public var oldMedianSeconds: Double
        public var newMedianSeconds: Double
        /// new ÷ old median latency: below 1 is faster.
        public var ratio: Double
        public var pValue: Double?
        public var verdict: Verdict
    }

    public var rows: [Row]
    public var onlyInOld: [Key]
    public var onlyInNew: [Key]
    /// The smallest relative change of the median that counts (0.10 = 10 %).
    public var minimumChange: Double

    public init(old: SweepResult, new: SweepResult, minimumChange: Double = ResultComparison.defaultMinimumChange) {
        self.minimumChange = minimumChange
        let oldPoints = Dictionary(old.points.map { (Key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let newPoints = Dictionary(new.points.map { (Key($0), $0) }, uniquingKeysWith: { first, _ in first })
        rows = oldPoints.keys.filter { newPoints[$0] != nil }.sorted().map { key in
            ResultComparison.compare(key: key, old: oldPoints[key]!, new: newPoints[key]!, minimumChange: minimumChange)
        }
        onlyInOld = oldPoints.keys.filter { newPoints[$0] == nil }.sorted()
        onlyInNew = newPoints.keys.filter { oldPoints[$0] == nil }.sorted()
    }

    static func compare(key: Key, old: PointResult, new: PointResult, minimumChange: Double) -> Row {
        let a = old.samples.map(\.latencySeconds)
        let b = new.samples.map(\.latencySeconds)
        guard old.succeeded, new.succeeded, let oldMedian = Summary.of(a)?.median, let newMedian = Summary.of(b)?.median,
              oldMedian > 0
        else {
            return Row(key: key, oldMedianSeconds: 0, newMedianSeconds: 0, ratio: .nan, pValue: nil, verdict: .failed)
        }
        let ratio = newMedian / oldMedian
        let test = MannWhitney.twoSided(a, b)
        var verdict = Verdict.same
        if let p = test?.pValue, p < significance, abs(ratio - 1) > minimumChange {
            verdict = ratio < 1 ? .faster : .slower
        }
        return Row(
            key: key, oldMedianSeconds: oldMedian, newMedianSeconds: newMedian, ratio: ratio, pValue: test?.pValue,
            verdict: verdict)
    }

    /// Rows that got significantly slower by more than `percent` %.
    public func regressions(beyond percent: Double) -> [Row] {
        rows.filter { $0.verdict == .slower && ($0.ratio - 1) * 100 > percent }
    }

    /// The text table `payloadlab compare` prints.
    public func render() -> String {
        var table = MarkdownTable(header: ["point", "old p50", "new p50", "new/old", "p", "verdict"], rightAligned: [1, 2, 3, 4])
        for row in rows {
            table.add([
                row.key.description,
                row.verdict == .failed ? "–" : Formatting.seconds(row.oldMedianSeconds),
                row.verdict == .failed ? "–" : Formatting.seconds(row.newMedianSeconds),
                Formatting.ratio(row.ratio),
                row.pValue.map { $0 < 0.0001 ? "<0.0001" : Formatting.significant($0, digits: 2) } ?? "–",
                row.verdict.rawValue,
            ])
        }
        var out = table.render()
        let counts = Dictionary(grouping: rows, by: \.verdict).mapValues(\.count)
        out += "\n\(rows.count) points in both: \(counts[.faster] ?? 0) faster, \(counts[.slower] ?? 0) slower, \(counts[.same] ?? 0) same within noise, \(counts[.failed] ?? 0) failed in either run.\n"
        if !onlyInOld.isEmpty { out += "Only in the old run: \(onlyInOld.map(\.description).joined(separator: "; ")).\n" }
        if !onlyInNew.isEmpty { out += "Only in the new run: \(onlyInNew.map(\.description).joined(separator: "; ")).\n" }
        return out
    }
}
