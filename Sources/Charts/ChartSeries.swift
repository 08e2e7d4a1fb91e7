/// One line of a `LineChart`: a name for the legend, its points, and how the line is drawn.
public struct ChartSeries: Sendable {
    /// How the line between points is stroked.
    public enum LineStyle: Sendable, Equatable {
        case solid
        /// For a modelled or secondary line beside a measured one.
        case dashed
    }

    public var name: String
    /// Points in drawing order (normally increasing x). Points without a position on the axes — NaN, infinite, or
    /// not positive on a log axis — are skipped, and the line is broken there rather than bridged.
    public var points: [(x: Double, y: Double)]
    public var style: LineStyle
    /// A `#rrggbb` colour; nil takes the series' place in `ChartPalette.okabeIto`.
    public var color: String?

    public init(name: String, points: [(x: Double, y: Double)], style: LineStyle = .solid, color: String? = nil) {
        self.name = name
        self.points = points
        self.style = style
        self.color = color
    }
}
