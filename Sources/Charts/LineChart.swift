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

        let legend = makeLegend()
        legend.draw(into: &document, top: contentTop)

        let left = ChartFrame.plotLeft(tickLabelWidth: ChartFrame.widestLabel(axes.y.ticks))
        let right = width - padding - 12
        let annotationXs = annotations.map { annotation in
            axes.x.fraction(of: annotation.x).map { left + $0 * (right - left) }
        }
        let labels = placeAnnotationLabels(xs: annotationXs, right: right)
        // Annotation labels get a band of their own above the plot, so they never hide data.
        let bandTop = contentTop + legend.height + 8
        let bandHeight = Double(labels.compactMap { $0?.row }.map { $0 + 1 }.max() ?? 0) * Self.annotationRowHeight
        let plot = PlotRect(left: left, top: bandTop + bandHeight + 6, right: right, bottom: height - padding - 40)
        ChartFrame.drawYAxis(into: &document, plot: plot, axis: axes.y, title: yAxis.title)
        ChartFrame.drawXAxis(into: &document, plot: plot, axis: axes.x, title: xAxis.title, canvasWidth: width)
        ChartFrame.drawAxisLines(into: &document, plot: plot)

        let runs = series.map { line in runsOfPoints(line.points, axes: axes, plot: plot) }
        if runs.allSatisfy(\.isEmpty) {
            ChartFrame.drawNoData(into: &document, plot: plot)
        }
        drawAnnotations(into: &document, xs: annotationXs, labels: labels, bandTop: bandTop, plot: plot)
        drawSeries(into: &document, runs: runs)
        return document.render()
    }

    /// The legend: one entry per series, drawn with its line style and marker.
    private func makeLegend() -> ChartLegend {
        let legendEntries = series.enumerated().map { index, line in
            ChartLegend.Entry(
                name: line.name,
                symbol: .line(color: color(of: index), dashed: line.style == .dashed, marker: .forSeries(index))
            )
        }
        let padding = ChartTheme.padding
        return ChartLegend(entries: legendEntries, x: padding, maxWidth: width - 2 * padding)
    }

    /// Each annotation's vertical line, from its label's row (or the plot's top) down, and its label on a backing.
    private func drawAnnotations(
        into document: inout SVGDocument, xs annotationXs: [Double?],
        labels: [(left: Double, right: Double, row: Int)?], bandTop: Double, plot: PlotRect
    ) {
        document.group([("class", "annotations")]) { document in
            for (annotation, (x, label)) in zip(annotations, zip(annotationXs, labels)) {
                guard let x else { continue }
                let top = label.map { bandTop + Double($0.row) * Self.annotationRowHeight } ?? plot.top
                document.line(
                    x1: x, y1: top, x2: x, y2: plot.bottom, stroke: ChartTheme.mutedText, width: 1.25, dash: "4 3"
                )
                guard let label else { continue }
                // A backing keeps the label readable where another annotation's line passes behind it.
                document.rect(
                    x: label.left, y: top, width: label.right - label.left, height: Self.annotationRowHeight - 2,
                    fill: ChartTheme.background
                )
                document.text(annotation.label, x: label.left + 3, y: top + 11, size: ChartTheme.tickSize, fill: ChartTheme.text)
            }
        }
    }

    /// Each series as polylines through its runs of points, with a marker on every point.
    private func drawSeries(into document: inout SVGDocument, runs: [[[(x: Double, y: Double)]]]) {
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

    static let annotationRowHeight = 16.0
    /// Rows of annotation labels at most; a label that would need another row is left out (its line stays).
    static let maxAnnotationRows = 3

    /// Where each annotation's label goes: beside the top of its line (to the left near the right edge), one row
    /// further down for each earlier label it would overlap. Nil for an annotation off the axis, without a label, or
    /// past `maxAnnotationRows`.
    private func placeAnnotationLabels(xs: [Double?], right plotRight: Double) -> [(left: Double, right: Double, row: Int)?] {
        var placed: [(left: Double, right: Double, row: Int)] = []
        return zip(annotations, xs).map { annotation, x in
            guard let x, !annotation.label.isEmpty else { return nil }
            let boxWidth = TextMetrics.width(annotation.label, size: ChartTheme.tickSize) + 6
            let left = x + 2 + boxWidth <= plotRight ? x + 2 : x - 2 - boxWidth
            var row = 0
            while placed.contains(where: { $0.row == row && $0.left < left + boxWidth + 4 && left < $0.right + 4 }) {
                row += 1
            }
            guard row < Self.maxAnnotationRows else { return nil }
            placed.append((left, left + boxWidth, row))
            return placed.last
        }
    }
}
