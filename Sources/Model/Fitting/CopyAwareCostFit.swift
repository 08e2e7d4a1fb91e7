import Results
/// A stage's cost as a fixed cost, a cost per byte, and a number of payload-sized copies priced at this machine's
/// measured copy cost for that size:
///
///     t(s) = fixed + perByte · s + copies · s · c(s)
///
/// where `c(s)` is `CopyCostCurve.secondsPerByte(at:)` from the sweep's own calibration. A straight line cannot
/// follow a stage whose cost per byte steps up where its buffers leave the CPU's caches or start to fault in fresh
/// pages; the curve knows where this machine's steps are, so the fit only has to say how much of the stage is
/// copying (`copies`) and how much is other work (`perByte`).
///
/// Fitted by non-negative least squares on relative errors, so a 5 % miss at 1 KB weighs as much as at 200 MB and
/// no cost comes out negative.
public struct CopyAwareCostFit: Codable, Sendable, Equatable {
    public var fixedSeconds: Double
    public var secondsPerByte: Double
    /// How many payload-sized copies at the machine's measured cost the stage behaves like.
    public var copies: Double
    public var curve: CopyCostCurve

    public init(fixedSeconds: Double, secondsPerByte: Double, copies: Double, curve: CopyCostCurve) {
        self.fixedSeconds = fixedSeconds
        self.secondsPerByte = secondsPerByte
        self.copies = copies
        self.curve = curve
    }

    public func predict(bytes: Double) -> Double {
        fixedSeconds + secondsPerByte * bytes + copies * bytes * curve.secondsPerByte(at: bytes)
    }

    /// The fit to `seconds` measured at `sizes` (points with a time of 0 carry no relative error and are left out);
    /// nil when fewer than two distinct sizes remain or the input is not finite.
    public static func fit(sizes: [Double], seconds: [Double], curve: CopyCostCurve) -> CopyAwareCostFit? {
        guard sizes.count == seconds.count, !curve.points.isEmpty else { return nil }
        let rows = zip(sizes, seconds).filter { $0.0 >= 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
        guard Set(rows.map(\.0)).count >= 2 else { return nil }
        let features: (Double) -> [Double] = { size in [1, size, size * curve.secondsPerByte(at: size)] }
        // Each row divided by its measured time: minimising these residuals minimises relative errors.
        var matrix = rows.map { row in features(row.0).map { $0 / row.1 } }
        let target = [Double](repeating: 1, count: rows.count)
        // Columns scaled to a largest entry of 1: seconds, bytes and bytes × seconds-per-byte differ by 10⁹.
        let scales = (0..<3).map { column in max(matrix.map { abs($0[column]) }.max() ?? 1, .leastNormalMagnitude) }
        matrix = matrix.map { row in (0..<3).map { row[$0] / scales[$0] } }
        guard let solution = NonNegativeLeastSquares.solve(matrix, target) else { return nil }
        let coefficients = (0..<3).map { solution[$0] / scales[$0] }
        return CopyAwareCostFit(
            fixedSeconds: coefficients[0], secondsPerByte: coefficients[1], copies: coefficients[2], curve: curve)
    }
}
