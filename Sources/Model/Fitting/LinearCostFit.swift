/// A pipeline stage's cost as a line: a fixed cost per task plus a cost per byte of payload.
///
/// Fitted by `CostFitting` from measurements at several sizes; the model layer predicts any size from it and
/// `Crossover` finds where two such lines meet. Both parameters are non-negative: a stage cannot take negative
/// time, so the fits clamp at 0 rather than report a negative fixed cost that noise suggested.
///
/// The Codable keys are fixed names because fits go into the versioned results JSON.
public struct LinearCostFit: Codable, Sendable, Equatable {
    /// Seconds a task costs whatever its size (the intercept), ≥ 0.
    public let fixedSeconds: Double
    /// Seconds each further byte costs (the slope), ≥ 0.
    public let secondsPerByte: Double
    /// How the line was fitted: `"robust-relative"`, `"theil-sen"`, `"least-squares"` or
    /// `"weighted-least-squares"` (see `CostFitting`).
    public let method: String
    /// The median of |measured - predicted| / predicted over the points: 0.03 means half the points lie within 3 %
    /// of the line. A large value says the line is a poor model of this stage.
    public let residualSpread: Double
    /// How many measurements the line was fitted to.
    public let points: Int

    public init(fixedSeconds: Double, secondsPerByte: Double, method: String, residualSpread: Double, points: Int) {
        self.fixedSeconds = fixedSeconds
        self.secondsPerByte = secondsPerByte
        self.method = method
        self.residualSpread = residualSpread
        self.points = points
    }

    /// The predicted seconds for a payload of `bytes`.
    public func predict(bytes: Double) -> Double {
        fixedSeconds + secondsPerByte * bytes
    }

    private enum CodingKeys: String, CodingKey {
        case fixedSeconds = "fixedSeconds"
        case secondsPerByte = "secondsPerByte"
        case method = "method"
        case residualSpread = "residualSpread"
        case points = "points"
    }
}
