import Units
/// Fits `LinearCostFit` lines (fixed seconds + seconds per byte) to timings measured at several payload sizes.
///
/// payloadlab measures at log-spaced sizes from 1 KB to hundreds of MB, and timing noise is multiplicative (a run
/// is a few per cent slower, not a few microseconds slower). Ordinary least squares minimises absolute errors, so
/// the largest sizes decide everything and the fixed cost comes out as noise (often negative). `fit` therefore
/// minimises *relative* errors, and does so robustly; `theilSen` and `leastSquares` are the classic estimators,
/// kept for comparison and for callers who know their data.
///
/// Every fitter returns nil when the input cannot determine a line: no points, counts that differ, a value that is
/// not finite, a negative size or time, or fewer than two distinct sizes (one size cannot separate the fixed cost
/// from the per-byte cost, and guessing either would mislead a prediction at another size). Every fitter clamps
/// both parameters at 0, refitting the other one with the clamped one held at 0, because a cost cannot be negative.
public enum CostFitting {
    /// The robust default: relative-error fitting with outliers down-weighted.
    ///
    /// The model is a gamma GLM with identity link: `E[y] = fixed + perByte · size` with a constant coefficient of
    /// variation, fitted by iteratively reweighted least squares with weights `1 / ŷ²` (McCullagh & Nelder,
    /// *Generalized Linear Models*, 2nd ed., 1989, §8.3), which weighs a 5 % error at 1 KB as much as at 200 MB.
    /// For robustness each weight is multiplied by an M-estimator weight of the point's relative residual
    /// `(y - ŷ) / ŷ` divided by its scale (1.4826 · median |residual|), as in robust quasi-likelihood (Cantoni &
    /// Ronchetti, JASA 2001): first Huber's weight (c = 1.345), which is monotone and so depends little on the start,
    /// until it converges; then Tukey's bisquare (c = 4.685), which gives a wild point no weight at all but needs the
    /// good start Huber provides. The very first start is the least-squares fit with weights `1 / y²`. A point more
    /// than 4.685 scales off the line (about 23 % under 5 % normal noise) thus drops out; `residualSpread` still
    /// counts it.
    ///
    /// - Parameters:
    ///   - sizes: payload sizes in bytes, one per measurement (repeats of a size are fine: pass raw samples or
    ///     per-size medians).
    ///   - seconds: the measured time of each measurement.
    /// - Returns: a fit with method `"robust-relative"`, or nil for input that cannot determine a line.
    public static func fit(sizes: [Double], seconds: [Double]) -> LinearCostFit? {
        guard isFittable(sizes, seconds) else { return nil }
        // All times 0 (a clock too coarse for the stage): the line is 0, and relative errors are meaningless.
        guard seconds.contains(where: { $0 > 0 }) else {
            return finishedFit((0, 0), sizes, seconds, method: "robust-relative")
        }
        let floor = predictionFloor(seconds)
        let startWeights = seconds.map { 1 / square(Swift.max($0, floor)) }
        guard var line = weightedLine(sizes, seconds, startWeights) else { return nil }
        for robustWeight in [huberWeight, bisquareWeight] {
            for _ in 0..<maximumIterations {
                let predicted = sizes.map { Swift.max(line.fixed + line.perByte * $0, floor) }
                let residuals = zip(seconds, predicted).map { ($0 - $1) / $1 }
                let scale = Swift.max(1.4826 * Percentile.median(residuals.map(abs)), minimumRelativeScale)
                let weights = zip(residuals, predicted).map { robustWeight($0 / scale) / square($1) }
                guard let next = weightedLine(sizes, seconds, weights) else { break }
                let settled = zip(sizes, predicted).allSatisfy { size, old in
                    abs(Swift.max(next.fixed + next.perByte * size, floor) - old) <= convergence * old
                }
                line = next
                if settled { break }
            }
        }
        return finishedFit(line, sizes, seconds, method: "robust-relative")
    }

    /// The Theil–Sen estimator: the slope is the median of the slopes between all pairs of points with different
    /// sizes, the intercept the median of `y - slope · x` (Theil 1950; Sen 1968).
    ///
    /// Robust to outliers (up to 29 % of points), but it treats errors as absolute, so on log-spaced sizes the
    /// intercept is only as good as the noise at the largest sizes allows. A negative slope is clamped to 0 (the
    /// intercept becomes the median time); a negative intercept to 0 (the slope becomes the median of `y / x`).
    /// Takes O(n²) time and memory in the number of points.
    public static func theilSen(x: [Double], y: [Double]) -> LinearCostFit? {
        guard isFittable(x, y) else { return nil }
        var slopes: [Double] = []
        slopes.reserveCapacity(x.count * (x.count - 1) / 2)
        for i in x.indices {
            for j in x.indices where j > i && x[j] != x[i] {
                slopes.append((y[j] - y[i]) / (x[j] - x[i]))
            }
        }
        var perByte = Percentile.median(slopes)
        var fixed = Percentile.median(zip(x, y).map { $1 - perByte * $0 })
        if perByte < 0 {
            perByte = 0
            fixed = Percentile.median(y)
        } else if fixed < 0 {
            fixed = 0
            perByte = Percentile.median(zip(x, y).filter { $0.0 > 0 }.map { $1 / $0 })
        }
        return finishedFit((fixed, perByte), x, y, method: "theil-sen")
    }

    /// Least squares, ordinary when `weights` is nil, else weighted (each squared error times its weight), with both
    /// parameters constrained to be ≥ 0 (the exact constrained minimum, not a clamped unconstrained one).
    ///
    /// Pass `weights` of `1 / y²` to minimise relative rather than absolute errors.
    /// - Returns: nil also when a weight is negative or not finite, `weights` has the wrong count, or fewer than
    ///   two distinct sizes have a positive weight.
    public static func leastSquares(x: [Double], y: [Double], weights: [Double]? = nil) -> LinearCostFit? {
        guard isFittable(x, y) else { return nil }
        if let weights {
            guard weights.count == x.count, weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        }
        guard let line = weightedLine(x, y, weights ?? x.map { _ in 1 }) else { return nil }
        return finishedFit(line, x, y, method: weights == nil ? "least-squares" : "weighted-least-squares")
    }

    // MARK: - Shared steps

    /// Iterations per robust phase; convergence usually takes fewer than 20.
    static let maximumIterations = 100
    /// Relative change of every prediction below which the iteration has converged.
    static let convergence = 1e-10
    /// The smallest relative residual scale used: below it, points that fit to within a part per billion are
    /// treated as exact instead of dividing by zero.
    static let minimumRelativeScale = 1e-9

    typealias Line = (fixed: Double, perByte: Double)

    static func isFittable(_ x: [Double], _ y: [Double]) -> Bool {
        guard x.count == y.count, let first = x.first else { return false }
        guard x.allSatisfy({ $0.isFinite && $0 >= 0 }), y.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return false }
        return x.contains { $0 != first }
    }

    /// A small positive time that predictions and weights are kept above, so that a zero time (a clock too coarse
    /// for a tiny payload) or a line through 0 cannot give an infinite weight.
    static func predictionFloor(_ seconds: [Double]) -> Double {
        Swift.max((seconds.max() ?? 0) * 1e-12, Double.leastNormalMagnitude)
    }

    /// Huber's weight ψ(u)/u: 1 inside ±1.345, then falling as 1/|u| (Huber 1964).
    static func huberWeight(_ u: Double) -> Double {
        let c = 1.345
        return abs(u) <= c ? 1 : c / abs(u)
    }

    /// Tukey's bisquare weight ψ(u)/u: (1 - (u/c)²)² inside ±4.685, 0 outside (Beaton & Tukey 1974).
    static func bisquareWeight(_ u: Double) -> Double {
        let c = 4.685
        guard abs(u) < c else { return 0 }
        return square(1 - square(u / c))
    }

    /// The weighted least-squares line with both parameters ≥ 0, or nil when fewer than two distinct sizes carry
    /// weight.
    ///
    /// The objective is a convex quadratic, so if the unconstrained minimum is infeasible the constrained one lies
    /// on the edge `fixed = 0` or `perByte = 0`; each edge's minimum is a one-parameter fit clamped at 0, and the
    /// better of the two is the answer.
    static func weightedLine(_ x: [Double], _ y: [Double], _ w: [Double]) -> Line? {
        let totalWeight = w.reduce(0, +)
        guard totalWeight > 0, totalWeight.isFinite else { return nil }
        var meanX = 0.0, meanY = 0.0
        for i in x.indices {
            meanX += w[i] * x[i]
            meanY += w[i] * y[i]
        }
        meanX /= totalWeight
        meanY /= totalWeight
        var sxx = 0.0, sxy = 0.0
        for i in x.indices {
            sxx += w[i] * square(x[i] - meanX)
            sxy += w[i] * (x[i] - meanX) * (y[i] - meanY)
        }
        guard sxx > 0 else { return nil }
        let perByte = sxy / sxx
        let fixed = meanY - perByte * meanX
        if fixed >= 0 && perByte >= 0 { return (fixed, perByte) }

        func weightedSquaredError(_ line: Line) -> Double {
            x.indices.reduce(0) { $0 + w[$1] * square(y[$1] - line.fixed - line.perByte * x[$1]) }
        }
        var sxxOrigin = 0.0, sxyOrigin = 0.0
        for i in x.indices {
            sxxOrigin += w[i] * x[i] * x[i]
            sxyOrigin += w[i] * x[i] * y[i]
        }
        let throughOrigin: Line = (0, sxxOrigin > 0 ? Swift.max(0, sxyOrigin / sxxOrigin) : 0)
        let constant: Line = (Swift.max(0, meanY), 0)
        return weightedSquaredError(throughOrigin) <= weightedSquaredError(constant) ? throughOrigin : constant
    }

    static func finishedFit(_ line: Line, _ x: [Double], _ y: [Double], method: String) -> LinearCostFit {
        let floor = predictionFloor(y)
        let relativeResiduals = zip(x, y).map { size, seconds in
            let predicted = line.fixed + line.perByte * size
            return seconds == predicted ? 0 : abs(seconds - predicted) / Swift.max(predicted, floor)
        }
        return LinearCostFit(
            fixedSeconds: line.fixed,
            secondsPerByte: line.perByte,
            method: method,
            residualSpread: Percentile.median(relativeResiduals),
            points: x.count
        )
    }

    static func square(_ value: Double) -> Double { value * value }
}
