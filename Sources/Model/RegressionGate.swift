import Results
import Units

/// Why a later result must not pass a regression gate: a point got slower, or the later run measured less than the
/// earlier one — nothing, only failures, or not every point the baseline has. An empty or failed run must never
/// read as "no regressions".
public enum RegressionGateFailure: Sendable, Equatable, CustomStringConvertible {
    /// The new result holds no points at all.
    case noPoints
    /// Every point of the new result failed.
    case everyPointFailed(count: Int)
    /// Points the old result has that the new one lacks.
    case missing([ResultComparison.Key])
    /// Points that succeeded in the old result and failed in the new one.
    case newlyFailed([ResultComparison.Key])
    /// Points significantly slower by more than `percent` %.
    case slower([ResultComparison.Row], percent: Double)

    public var description: String {
        switch self {
        case .noPoints:
            return "The new result has no points, so nothing in it was checked against the old one."
        case .everyPointFailed(let count):
            return "Every point of the new result failed (\(count) of \(count)), so nothing in it was checked against the old one."
        case .missing(let keys):
            return "The new result lacks \(RegressionGateFailure.points(keys.count)) the old one has: \(keys.map(\.description).joined(separator: "; "))."
        case .newlyFailed(let keys):
            return "\(RegressionGateFailure.points(keys.count)) that succeeded in the old result failed in the new one: \(keys.map(\.description).joined(separator: "; "))."
        case .slower(let rows, let percent):
            return "\(RegressionGateFailure.points(rows.count)) got slower by more than \(Formatting.significant(percent)) %: \(rows.map { "\($0.key) (\(Formatting.ratio($0.ratio)))" }.joined(separator: ", "))."
        }
    }

    private static func points(_ count: Int) -> String { count == 1 ? "1 point" : "\(count) points" }
}

extension ResultComparison {
    /// Every reason `new` fails a gate against `old` at `percent` % (empty when it passes), one per kind of failure.
    public static func gateFailures(old: SweepResult, new: SweepResult, comparison: ResultComparison, percent: Double)
        -> [RegressionGateFailure]
    {
        guard !new.points.isEmpty else { return [.noPoints] }
        var failures: [RegressionGateFailure] = []
        let allFailed = new.points.allSatisfy { !$0.succeeded }
        if allFailed { failures.append(.everyPointFailed(count: new.points.count)) }
        if !comparison.onlyInOld.isEmpty { failures.append(.missing(comparison.onlyInOld)) }
        if !allFailed {
            let oldByKey = Dictionary(old.points.map { (Key($0), $0) }, uniquingKeysWith: { first, _ in first })
            let newByKey = Dictionary(new.points.map { (Key($0), $0) }, uniquingKeysWith: { first, _ in first })
            let newlyFailed = comparison.rows.map(\.key).filter {
                oldByKey[$0]?.succeeded == true && newByKey[$0]?.succeeded == false
            }
            if !newlyFailed.isEmpty { failures.append(.newlyFailed(newlyFailed)) }
        }
        let slower = comparison.regressions(beyond: percent)
        if !slower.isEmpty { failures.append(.slower(slower, percent: percent)) }
        return failures
    }
}
