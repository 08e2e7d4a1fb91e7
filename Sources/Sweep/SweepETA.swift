import Results
/// Estimates the time a sweep has left from the points finished so far.
///
/// Points differ in cost by orders of magnitude (a 200 MB point takes far longer than a 1 KB one), so each point
/// gets a weight — its time budget plus its size at a nominal 100 MB/s — and the remaining weight is scaled by
/// the seconds spent per unit of weight so far. The estimate converges as points finish.
public struct SweepETA: Sendable {
    public let plan: SweepPlan
    private var doneWeight = 0.0
    private var doneSeconds = 0.0

    public init(plan: SweepPlan) {
        self.plan = plan
    }

    func weight(sizeBytes: Int) -> Double {
        plan.budgetSeconds + Double(sizeBytes) / 100e6
    }

    var totalWeight: Double {
        plan.sizes.map { weight(sizeBytes: $0) }.reduce(0, +)
            * Double(plan.shapes.count * plan.codecs.count * plan.pools.count)
    }

    /// Records a finished point of `sizeBytes` that took `seconds` (including its payload's generation).
    public mutating func finished(sizeBytes: Int, seconds: Double) {
        doneWeight += weight(sizeBytes: sizeBytes)
        doneSeconds += seconds
    }

    /// Seconds left, or nil before the first point has finished.
    public var remainingSeconds: Double? {
        guard doneWeight > 0 else { return nil }
        return max(0, totalWeight - doneWeight) * doneSeconds / doneWeight
    }

    /// The share of the sweep's weight done, 0…1.
    public var fractionDone: Double {
        totalWeight > 0 ? min(1, doneWeight / totalWeight) : 0
    }
}
