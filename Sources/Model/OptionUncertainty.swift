import Foundation
import Results
import Units

/// How sure the model is about one option: the spread measured at each size and the errors the model made on the
/// sizes it was made to predict without their points. Every prediction's interval is drawn from these (see
/// docs/MODEL.md, *How sure the model is*).
///
/// All widths are half-widths in natural log: an interval of half-width `h` around a prediction `x` is
/// `x · e^−h … x · e^h`.
public struct OptionUncertainty: Codable, Sendable, Equatable {
    /// The share of held-out points an interval is meant to cover, and the percentile of the held-out errors it
    /// takes.
    public static let coverage = 0.8

    /// The spread measured at one size.
    public struct Spread: Codable, Sendable, Equatable {
        public var sizeBytes: Int
        /// ln(p90 ÷ p10) ÷ 2 of the point's batch throughputs; 0 with fewer than two batches.
        public var throughput: Double
        /// ln(p90 ÷ p10) ÷ 2 of the point's task latencies.
        public var latency: Double

        public init(sizeBytes: Int, throughput: Double, latency: Double) {
            self.sizeBytes = sizeBytes
            self.throughput = throughput
            self.latency = latency
        }
    }

    /// The model's error at one size when fitted without every point of that size: ln(predicted ÷ measured).
    public struct HeldOutError: Codable, Sendable, Equatable {
        public var sizeBytes: Int
        public var throughput: Double?
        public var latency: Double?

        public init(sizeBytes: Int, throughput: Double?, latency: Double?) {
            self.sizeBytes = sizeBytes
            self.throughput = throughput
            self.latency = latency
        }
    }

    /// One per measured size, ascending.
    public var spreads: [Spread]
    /// One per measured size that could be predicted without its points, ascending.
    public var heldOut: [HeldOutError]

    public init(spreads: [Spread], heldOut: [HeldOutError]) {
        self.spreads = spreads.sorted { $0.sizeBytes < $1.sizeBytes }
        self.heldOut = heldOut.sorted { $0.sizeBytes < $1.sizeBytes }
    }

    /// The spread of one point: half the log of p90 ÷ p10, 0 when it cannot be read.
    public static func halfLogSpread(_ summary: Summary?) -> Double {
        guard let summary, summary.count >= 2, summary.p10 > 0, summary.p90 >= summary.p10,
              summary.p90.isFinite else { return 0 }
        return log(summary.p90 / summary.p10) / 2
    }

    /// The interval half-widths (natural log) of throughput and latency at `sizeBytes`.
    ///
    /// h = (√(n² + m²) + r · d) · (1 + f): `n` the spread measured at the nearest measured size (the wider of the two
    /// around `sizeBytes`), `m` the split-conformal 80 % quantile of the held-out |log errors| at sizes inside the measured range,
    /// `d` the distance in log size beyond the measured range, `r` the held-out |log error| at the end on that side
    /// per unit of log size to its neighbour (at least `m` per that step), `f` the share of a task's busy time that
    /// is computed rather than measured work.
    public func halfWidths(sizeBytes: Int, computedWorkShare: Double) -> (throughput: Double, latency: Double) {
        guard let low = spreads.first?.sizeBytes, let high = spreads.last?.sizeBytes else { return (0, 0) }
        let noise = nearestSpread(sizeBytes)
        let size = Double(max(1, sizeBytes))
        let share = min(1, max(0, computedWorkShare.isFinite ? computedWorkShare : 0))
        func width(_ noise: Double, _ error: (HeldOutError) -> Double?) -> Double {
            let inside = heldOut.filter { $0.sizeBytes > low && $0.sizeBytes < high }.compactMap(error).map(abs)
            let all = heldOut.compactMap(error).map(abs)
            let sample = (inside.count >= 2 ? inside : all).sorted()
            let model = OptionUncertainty.conformalQuantile(sample)
            var extrapolation = 0.0
            if sizeBytes > high, spreads.count >= 2 {
                let step = log(Double(high) / Double(spreads[spreads.count - 2].sizeBytes))
                let end = heldOut.last { $0.sizeBytes == high }.flatMap(error).map(abs) ?? 0
                extrapolation = max(end, model) / max(step, 1e-9) * log(size / Double(high))
            } else if sizeBytes < low, spreads.count >= 2 {
                let step = log(Double(spreads[1].sizeBytes) / Double(low))
                let end = heldOut.first { $0.sizeBytes == low }.flatMap(error).map(abs) ?? 0
                extrapolation = max(end, model) / max(step, 1e-9) * log(Double(low) / size)
            }
            let h = ((noise * noise + model * model).squareRoot() + extrapolation) * (1 + share)
            return h.isFinite ? h : 0
        }
        return (width(noise.throughput, \.throughput), width(noise.latency, \.latency))
    }

    /// The ⌈(k + 1) · coverage⌉-th smallest of `k` sorted errors (the largest when that rank exceeds k; 0 when
    /// there are none): the split-conformal quantile, which a new error exceeds with probability at most
    /// 1 − coverage when the errors are exchangeable (Lei et al., *Distribution-free predictive inference for
    /// regression*, 2018). A plain 80th percentile of k errors covers less than 80 % of a new one.
    static func conformalQuantile(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int(clampingFinite: (Double(sorted.count + 1) * coverage).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    /// The spread at `sizeBytes`: the measured one there, the wider of the two measured sizes around it, or the
    /// nearest end's outside the measured range.
    func nearestSpread(_ sizeBytes: Int) -> (throughput: Double, latency: Double) {
        guard let first = spreads.first, let last = spreads.last else { return (0, 0) }
        if sizeBytes <= first.sizeBytes { return (first.throughput, first.latency) }
        if sizeBytes >= last.sizeBytes { return (last.throughput, last.latency) }
        let above = spreads.firstIndex { $0.sizeBytes >= sizeBytes }!
        if spreads[above].sizeBytes == sizeBytes { return (spreads[above].throughput, spreads[above].latency) }
        let below = spreads[above - 1]
        return (max(below.throughput, spreads[above].throughput), max(below.latency, spreads[above].latency))
    }
}

/// A range a predicted value is expected to fall in (see `OptionUncertainty`).
public struct PredictionInterval: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = min(lower, upper)
        self.upper = max(lower, upper)
    }

    /// `value · e^−halfWidth … value · e^halfWidth`.
    public init(around value: Double, halfWidth: Double) {
        self.init(lower: value * exp(-halfWidth), upper: value * exp(halfWidth))
    }

    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    public func overlaps(_ other: PredictionInterval) -> Bool { lower <= other.upper && other.lower <= upper }
}
