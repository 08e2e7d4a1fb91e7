/// The least a point measures before its budget may end it: batches and tasks, and whether the slow-point rule
/// lowered them. The Swift runner and the CPython driver (`measuring_minimums`) apply the same rule.
public struct MeasuringMinimums: Sendable, Equatable {
    public var batches: Int
    public var tasks: Int
    /// True when the warm-up showed a slow point and `SlowPointRule` set the minimums.
    public var slow: Bool

    public init(batches: Int, tasks: Int, slow: Bool) {
        self.batches = batches
        self.tasks = tasks
        self.slow = slow
    }
}

extension SweepPlan {
    /// The minimums for a point whose warm-up tasks took `perTaskSeconds` (median latency): the plan's own, or the
    /// slow-point rule's when the plan's minimum batches of one round each would take longer than the rule allows.
    /// One round (`workers` tasks side by side) takes about one task's latency.
    public func measuringMinimums(perTaskSeconds: Double) -> MeasuringMinimums {
        let planned = MeasuringMinimums(batches: minBatches, tasks: minTasks, slow: false)
        guard tasks == nil, let rule = slowPoint, rule.batches < minBatches,
              perTaskSeconds.isFinite, perTaskSeconds * Double(minBatches) > rule.seconds
        else { return planned }
        return MeasuringMinimums(batches: rule.batches, tasks: min(minTasks, rule.batches * workers), slow: true)
    }
}
