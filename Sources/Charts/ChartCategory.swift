/// A named colour in a legend: a stacked bar segment (a stage) or a heatmap category (a winner).
public struct ChartCategory: Sendable, Equatable {
    public var name: String
    /// A `#rrggbb` colour; nil takes the category's place in `ChartPalette.okabeIto`.
    public var color: String?

    public init(_ name: String, color: String? = nil) {
        self.name = name
        self.color = color
    }
}
