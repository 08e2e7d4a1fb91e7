/// How a sweep measures a point whose tasks are slow: when the warm-up shows that the plan's minimum batches would
/// take longer than `seconds`, the point measures at least `batches` batches of one round each (one task per
/// worker) instead. Three batches still give a median that one disturbed batch cannot move, and a 64 MB CPython
/// point no longer spends minutes on readings that agree.
public struct SlowPointRule: Codable, Sendable, Equatable {
    /// Minimum measuring time, judged from the warm-up, above which a point counts as slow.
    public var seconds: Double
    /// Measured batches a slow point needs at least.
    public var batches: Int

    public init(seconds: Double, batches: Int = 3) {
        self.seconds = seconds
        self.batches = max(1, batches)
    }

    /// The rule a plan gets unless told otherwise: slow beyond twenty budgets, then three batches.
    public static func standard(budgetSeconds: Double) -> SlowPointRule {
        SlowPointRule(seconds: 20 * budgetSeconds, batches: 3)
    }
}
