/// A line chart with markers at the measured points, on linear or log axes, with a legend and optional labelled
/// vertical lines (a crossover size, a calibrated limit). `render()` returns a standalone SVG document.
///
/// ```swift
/// let chart = LineChart(
///     title: "Throughput by payload size",
///     xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
///     yAxis: Axis(title: "throughput (per second)", scale: .log10, label: TickLabel.bytesPerSecond),
///     series: [
///         ChartSeries(name: "process pool", points: [(1e3, 2e7), (1e6, 9e8), (2e8, 1.1e9)]),
///         ChartSeries(name: "thread pool", points: [(1e3, 8e7), (1e6, 1e9), (2e8, 8e8)]),
///     ],
///     annotations: [LineChart.Annotation(x: 9e6, label: "crossover 9 MB")]
/// )
/// let svg = chart.render()
/// ```
public struct LineChart: Sendable {
    /// A dashed vertical line across the plot at `x`, labelled at its top.
    public struct Annotation: Sendable, Equatable {
        public var x: Double
        public var label: String

        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [ChartSeries]
    public var annotations: [Annotation]
    public var width: Double
    public var height: Double

    public init(
        title: String,
        xAxis: Axis,
        yAxis: Axis,
        series: [ChartSeries],
        annotations: [Annotation] = [],
        width: Double = 720,
        height: Double = 420
    ) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.annotations = annotations
        self.width = width
        self.height = height
    }

    static let dashPattern = "6 4"
    static let lineWidth = 2.25

    /// The chart as a complete SVG document; the same chart always gives the same bytes.
    public func render() -> String {
        let axes = resolvedAxes()
        var (document, contentTop) = ChartFrame.begin(width: width, height: height, title: title)
        let padding = ChartTheme.padding

        let legendEntries = series.enumerated().map { index, line in
            ChartLegend.Entry(
                name: line.name,
                symbol: .line(color: color(of: index), dashed: line.style == .dashed, marker: .forSeries(index))
            )
        }
        let legend = ChartLegend(entries: legendEntries, x: padding, maxWidth: width - 2 * padding)
        legend.draw(into: &document, top: contentTop)

        let plot = PlotRect(
            left: ChartFrame.plotLeft(tickLabelWidth: ChartFrame.widestLabel(axes.y.ticks)),
            top: contentTop + legend.height + 12,
            right: width - padding - 12,
            bottom: height - padding - 40
        )
        ChartFrame.drawYAxis(into: &document, plot: plot, axis: axes.y, title: yAxis.title)
        ChartFrame.drawXAxis(into: &document, plot: plot, axis: axes.x, title: xAxis.title, canvasWidth: width)
        ChartFrame.drawAxisLines(into: &document, plot: plot)

        let runs = series.map { line in runsOfPoints(line.points, axes: axes, plot: plot) }
        if runs.allSatisfy(\.isEmpty) {
            ChartFrame.drawNoData(into: &document, plot: plot)
        }
        let annotationXs = annotations.map { axes.x.fraction(of: $0.x).map(plot.x) }
        document.group([("class", "annotations")]) { document in
            for x in annotationXs.compactMap({ $0 }) {
                document.line(
                    x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: ChartTheme.mutedText, width: 1.25, dash: "4 3"
                )
            }
        }
        for (index, line) in series.enumerated() {
            document.group([("class", "series")]) { document in
                for run in runs[index] {
                    document.polyline(
                        run, stroke: color(of: index), width: Self.lineWidth,
                        dash: line.style == .dashed ? Self.dashPattern : nil
                    )
                }
                for point in runs[index].joined() {
                    MarkerShape.forSeries(index).draw(into: &document, x: point.x, y: point.y, color: color(of: index))
                }
            }
        }
        drawAnnotationLabels(into: &document, xs: annotationXs, plot: plot)
        return document.render()
    }

    /// The series' colour: its own, or its place in the palette.
    private func color(of index: Int) -> String {
        series[index].color ?? ChartPalette.color(at: index)
    }

    /// Both axes fitted to the points that have a position on both, and the x axis also to the annotations.
    private func resolvedAxes() -> (x: ResolvedAxis, y: ResolvedAxis) {
        let usable = series.flatMap(\.points).filter { Self.isUsable($0.x, on: xAxis) && Self.isUsable($0.y, on: yAxis) }
        let annotationXs = annotations.map(\.x).filter { Self.isUsable($0, on: xAxis) }
        return (xAxis.resolved(for: usable.map(\.x) + annotationXs), yAxis.resolved(for: usable.map(\.y)))
    }

    private static func isUsable(_ value: Double, on axis: Axis) -> Bool {
        value.isFinite && (axis.scale == .linear || value > 0)
    }

    /// The series' points in plot coordinates, split wherever a point cannot be placed.
    private func runsOfPoints(
        _ points: [(x: Double, y: Double)], axes: (x: ResolvedAxis, y: ResolvedAxis), plot: PlotRect
    ) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = []
        var current: [(x: Double, y: Double)] = []
        for point in points {
            if let fx = axes.x.fraction(of: point.x), let fy = axes.y.fraction(of: point.y) {
                current.append((plot.x(fx), plot.y(fy)))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Each annotation's label at the top of its line, on a backing that keeps it readable over gridlines and
    /// series; labels that would overlap move down a row, and a label near the right edge goes left of its line.
    private func drawAnnotationLabels(into document: inout SVGDocument, xs: [Double?], plot: PlotRect) {
        let size = ChartTheme.tickSize
        let rowHeight = 16.0
        var placed: [(left: Double, right: Double, row: Int)] = []
        document.group([("class", "annotation-labels")]) { document in
            for (annotation, x) in zip(annotations, xs) {
                guard let x, !annotation.label.isEmpty else { continue }
                let textWidth = TextMetrics.width(annotation.label, size: size)
                let onRight = x + 4 + textWidth + 4 <= plot.right
                let left = onRight ? x + 2 : x - 2 - textWidth - 6
                let right = left + textWidth + 6
                var row = 0
                while placed.contains(where: { $0.row == row && $0.left < right + 4 && left < $0.right + 4 }) {
                    row += 1
                }
                placed.append((left, right, row))
                let top = plot.top + 4 + Double(row) * rowHeight
                document.rect(
                    x: left, y: top, width: right - left, height: rowHeight - 2,
                    fill: ChartTheme.background, cornerRadius: 2, opacity: 0.9
                )
                document.text(
                    annotation.label, x: left + 3, y: top + 11, size: size, fill: ChartTheme.text
                )
            }
        }
    }
}
