/// Where two cost lines meet: the payload size at which one pool (or transport, or codec) starts to beat another.
public enum Crossover {
    /// The size in bytes, greater than 0, at which `a` and `b` predict the same cost; nil when the lines are
    /// parallel (equal per-byte costs, whether or not they coincide) or meet only at a size ≤ 0.
    ///
    /// Below the crossover the line with the smaller fixed cost is cheaper; above it, the one with the smaller
    /// per-byte cost. Solves `a.fixed + a.perByte · s = b.fixed + b.perByte · s`.
    public static func crossoverBytes(_ a: LinearCostFit, _ b: LinearCostFit) -> Double? {
        let slopeDifference = a.secondsPerByte - b.secondsPerByte
        guard slopeDifference != 0 else { return nil }
        let bytes = (b.fixedSeconds - a.fixedSeconds) / slopeDifference
        guard bytes.isFinite, bytes > 0 else { return nil }
        return bytes
    }
}
