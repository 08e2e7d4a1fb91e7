import Foundation
import Results
import Payload
import Units

/// The measured winner between pools at each size, for one shape and codec: the plain reading of a sweep's tables.
public struct MeasuredComparison: Sendable, Equatable {
    /// One measured size: each pool's throughput and which pool won.
    public struct Row: Sendable, Equatable {
        public var sizeBytes: Int
        public var tasksPerSecond: [PoolKind: Double]
        public var latency: [PoolKind: Double]
        /// nil when the pools are within `tieMargin` of each other or a pool is missing.
        public var winner: PoolKind?
        /// Winner's throughput over the runner-up's (≥ 1).
        public var margin: Double
    }

    /// Pools closer than this ratio in throughput are called a tie (run-to-run noise is about this size).
    public static let tieMargin = 1.10

    public var shape: PayloadShape
    public var codec: String
    public var rows: [Row]

    /// Sizes where the winner changes, interpolated geometrically between the measured sizes around it.
    public var crossovers: [WinnerChange] {
        var found: [WinnerChange] = []
        let decided = rows.filter { $0.winner != nil }
        for (a, b) in zip(decided, decided.dropFirst()) where a.winner != b.winner {
            found.append(WinnerChange(
                belowWinner: a.winner!, aboveWinner: b.winner!,
                estimatedBytes: MeasuredComparison.interpolate(a, b), betweenBytes: (a.sizeBytes, b.sizeBytes)))
        }
        return found
    }

    /// Where the log throughput ratio of the first two pools crosses zero, in log size.
    static func interpolate(_ a: Row, _ b: Row) -> Int {
        let pools = Array(a.tasksPerSecond.keys.sorted())
        guard pools.count >= 2,
              let a0 = a.tasksPerSecond[pools[0]], let a1 = a.tasksPerSecond[pools[1]],
              let b0 = b.tasksPerSecond[pools[0]], let b1 = b.tasksPerSecond[pools[1]],
              a0 > 0, a1 > 0, b0 > 0, b1 > 0
        else { return Int(clampingFinite: (Double(a.sizeBytes) * Double(b.sizeBytes)).squareRoot()) }
        let ra = log(a0 / a1)
        let rb = log(b0 / b1)
        let t = ra == rb ? 0.5 : ra / (ra - rb)
        let la = log(Double(a.sizeBytes))
        let lb = log(Double(b.sizeBytes))
        return Int(clampingFinite: exp(la + min(1, max(0, t)) * (lb - la)).rounded())
    }

    /// Compares the pools of every (shape, codec) in `result`, using successful points only.
    public static func all(in result: SweepResult) -> [MeasuredComparison] {
        var comparisons: [MeasuredComparison] = []
        for shape in result.plan.shapes {
            for codec in result.plan.allCodecs {
                let points = result.points.filter { $0.shape == shape && $0.codec == codec && $0.succeeded }
                guard !points.isEmpty else { continue }
                var rows: [Row] = []
                for size in result.plan.sizes {
                    let here = points.filter { $0.sizeBytes == size }
                    guard !here.isEmpty else { continue }
                    var throughput: [PoolKind: Double] = [:]
                    var latency: [PoolKind: Double] = [:]
                    for point in here {
                        throughput[point.pool] = point.tasksPerSecond
                        latency[point.pool] = point.latency.median
                    }
                    let (winner, margin) = decide(throughput)
                    rows.append(Row(
                        sizeBytes: size, tasksPerSecond: throughput, latency: latency, winner: winner, margin: margin))
                }
                comparisons.append(MeasuredComparison(shape: shape, codec: codec, rows: rows))
            }
        }
        return comparisons
    }

    /// The pool with the highest throughput and its ratio to the runner-up; no winner within `tieMargin`.
    static func decide(_ throughput: [PoolKind: Double]) -> (PoolKind?, Double) {
        let ranked = throughput.filter { $0.value > 0 }.sorted { $0.value > $1.value }
        guard ranked.count >= 2 else { return (nil, 1) }
        let margin = ranked[0].value / ranked[1].value
        return (margin >= tieMargin ? ranked[0].key : nil, margin)
    }
}

/// A size at which the measured winner changes.
public struct WinnerChange: Sendable, Equatable {
    public var belowWinner: PoolKind
    public var aboveWinner: PoolKind
    public var estimatedBytes: Int
    public var betweenBytes: (Int, Int)

    public static func == (lhs: WinnerChange, rhs: WinnerChange) -> Bool {
        lhs.belowWinner == rhs.belowWinner && lhs.aboveWinner == rhs.aboveWinner
            && lhs.estimatedBytes == rhs.estimatedBytes && lhs.betweenBytes == rhs.betweenBytes
    }
}
