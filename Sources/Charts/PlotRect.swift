/// The rectangle data is drawn in, in SVG coordinates (y grows downwards).
struct PlotRect {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// The x coordinate of a fraction (0 = left edge, 1 = right edge).
    func x(_ fraction: Double) -> Double { left + fraction * width }

    /// The y coordinate of a fraction (0 = bottom edge, 1 = top edge).
    func y(_ fraction: Double) -> Double { bottom - fraction * height }
}
