extension FixedWidthInteger {
    /// `value` truncated toward zero, as `init(_:)` does, but total: NaN becomes 0 and a value beyond the type's
    /// range (infinities included) becomes its `min` or `max`.
    ///
    /// `Int(_:)` traps on a Double it cannot hold, and a results file, a fit or a division by a measured zero can
    /// hand any Double to a renderer; every Double → integer conversion in payloadlab goes through this one.
    @inlinable
    public init(clampingFinite value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Self.max) {
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else {
            self = Self(value)
        }
    }
}
