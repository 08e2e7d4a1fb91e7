import Units
/// Groups of bars, each bar a stack of segments: for example payload sizes × pools × stages. Each bar can be
/// normalised to 100 % (the share of time per stage, which puts 1 KB and 200 MB side by side) or drawn to a
/// common linear scale. Totals sit above the bars, so a normalised chart still shows how long each bar took.
///
/// ```swift
/// let chart = StackedBarChart(
///     title: "Where a task's time goes",
///     yAxisTitle: "share of task time",
///     segments: [ChartCategory("serialize"), ChartCategory("transfer"), ChartCategory("work")],
///     groups: [
///         StackedBarChart.Group(label: "1 KB", bars: [
///             StackedBarChart.Bar(label: "process", values: [2e-6, 9e-6, 1e-6]),
///             StackedBarChart.Bar(label: "thread", values: [2e-6, 0, 1e-6]),
///         ]),
///     ],
///     normalized: true,
///     valueLabel: TickLabel.seconds
/// )
/// let svg = chart.render()
/// ```
public struct StackedBarChart: Sendable {
    /// One bar: `values[i]` is the size of segment `i`; missing, negative and non-finite values count as zero.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var values: [Double]

        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    /// Bars side by side under one label.
    public struct Group: Sendable, Equatable {
        public var label: String
        public var bars: [Bar]

        public init(label: String, bars: [Bar]) {
            self.label = label
            self.bars = bars
        }
    }

    public var title: String
    /// The y-axis title with its unit: `share of task time`, `time per task (s)`.
    public var yAxisTitle: String
    /// An optional title under the group labels: `payload size`.
    public var xAxisTitle: String?
    /// The segments from the bottom of a stack up; the legend lists them in this order.
    public var segments: [ChartCategory]
    public var groups: [Group]
    /// Whether each bar is scaled to 100 %; otherwise all bars share one linear scale from zero.
    public var normalized: Bool
    /// Labels absolute values: the y ticks when not normalised, the totals above bars, values inside segments.
    public var valueLabel: @Sendable (Double) -> String
    public var width: Double
    public var height: Double

    public init(
        title: String,
        yAxisTitle: String,
        xAxisTitle: String? = nil,
        segments: [ChartCategory],
        groups: [Group],
        normalized: Bool = false,
        valueLabel: @escaping @Sendable (Double) -> String = TickLabel.number,
        width: Double = 720,
        height: Double = 420
    ) {
        self.title = title
        self.yAxisTitle = yAxisTitle
        self.xAxisTitle = xAxisTitle
        self.segments = segments
        self.groups = groups
        self.normalized = normalized
        self.valueLabel = valueLabel
        self.width = width
        self.height = height
    }

    /// The chart as a complete SVG document; the same chart always gives the same bytes.
    public func render() -> String {
        var (document, contentTop) = ChartFrame.begin(width: width, height: height, title: title)
        let padding = ChartTheme.padding

        let legendEntries = segments.indices.map { ChartLegend.Entry(name: segments[$0].name, symbol: .swatch(color: color(of: $0))) }
        let legend = ChartLegend(entries: legendEntries, x: padding, maxWidth: width - 2 * padding)
        legend.draw(into: &document, top: contentTop)

        let totals = groups.map { group in group.bars.map { bar in cleaned(bar).reduce(0, +) } }
        let axis = yAxis.resolved(for: totals.flatMap { $0 })
        let plot = PlotRect(
            left: ChartFrame.plotLeft(tickLabelWidth: ChartFrame.widestLabel(axis.ticks)),
            // Room above the plot for the total over a full-height bar.
            top: contentTop + legend.height + 12 + 14,
            right: width - padding - 8,
            bottom: height - padding - (xAxisTitle == nil ? 38 : 56)
        )
        ChartFrame.drawYAxis(into: &document, plot: plot, axis: axis, title: yAxisTitle)
        ChartFrame.drawAxisLines(into: &document, plot: plot)

        let barCount = groups.map(\.bars.count).reduce(0, +)
        if barCount == 0 {
            ChartFrame.drawNoData(into: &document, plot: plot)
        } else {
            drawGroups(into: &document, plot: plot, axis: axis, totals: totals)
        }
        if let xAxisTitle {
            document.text(
                TextMetrics.truncate(xAxisTitle, size: ChartTheme.labelSize, maxWidth: plot.width),
                x: (plot.left + plot.right) / 2, y: plot.bottom + 50,
                size: ChartTheme.labelSize, fill: ChartTheme.text, anchor: .middle
            )
        }
        return document.render()
    }

    /// The y axis: 0–100 % when normalised, else a linear scale from zero labelled with `valueLabel`.
    private var yAxis: Axis {
        normalized
            ? Axis(title: yAxisTitle, domain: 0...1, label: TickLabel.percent)
            : Axis(title: yAxisTitle, includesZero: true, label: valueLabel)
    }

    private func color(of index: Int) -> String {
        segments[index].color ?? ChartPalette.color(at: index)
    }

    /// The bar's segment values, one per segment, with unusable values as zero.
    private func cleaned(_ bar: Bar) -> [Double] {
        segments.indices.map { index in
            let value = index < bar.values.count ? bar.values[index] : 0
            return value.isFinite && value > 0 ? value : 0
        }
    }

    private func drawGroups(into document: inout SVGDocument, plot: PlotRect, axis: ResolvedAxis, totals: [[Double]]) {
        let groupWidth = plot.width / Double(groups.count)
        let slotWidth = groupWidth * 0.84 / Double(max(1, groups.map(\.bars.count).max() ?? 1))
        let barWidth = min(slotWidth * 0.72, 64)

        for (groupIndex, group) in groups.enumerated() {
            let groupLeft = plot.left + Double(groupIndex) * groupWidth
            let firstSlot = groupLeft + (groupWidth - slotWidth * Double(group.bars.count)) / 2
            document.group([("class", "bar-group")]) { document in
                if groupIndex > 0 {
                    document.line(
                        x1: groupLeft, y1: plot.bottom, x2: groupLeft, y2: plot.bottom + 38, stroke: ChartTheme.grid
                    )
                }
                for (barIndex, bar) in group.bars.enumerated() {
                    let centre = firstSlot + (Double(barIndex) + 0.5) * slotWidth
                    drawBar(
                        bar, total: totals[groupIndex][barIndex], into: &document,
                        left: centre - barWidth / 2, width: barWidth, slotWidth: slotWidth, plot: plot, axis: axis
                    )
                    let label = TextMetrics.truncate(bar.label, size: ChartTheme.tickSize, maxWidth: slotWidth - 4)
                    if !label.isEmpty {
                        document.text(
                            label, x: centre, y: plot.bottom + 15,
                            size: ChartTheme.tickSize, fill: ChartTheme.mutedText, anchor: .middle
                        )
                    }
                }
                let label = TextMetrics.truncate(group.label, size: ChartTheme.labelSize, bold: true, maxWidth: groupWidth - 8)
                if !label.isEmpty {
                    document.text(
                        label, x: groupLeft + groupWidth / 2, y: plot.bottom + 32,
                        size: ChartTheme.labelSize, fill: ChartTheme.text, anchor: .middle, bold: true
                    )
                }
            }
        }
    }

    /// One stack of segments with, where they fit, its total above and values (or shares) inside the segments.
    private func drawBar(
        _ bar: Bar, total: Double, into document: inout SVGDocument,
        left: Double, width: Double, slotWidth: Double, plot: PlotRect, axis: ResolvedAxis
    ) {
        let values = cleaned(bar)
        var running = 0.0
        var top = plot.bottom
        for (index, value) in values.enumerated() where value > 0 {
            let lowerY = plot.y(axis.fraction(of: scaled(running, total: total)) ?? 0)
            running += value
            let upperY = plot.y(axis.fraction(of: scaled(running, total: total)) ?? 1)
            top = upperY
            let fill = color(of: index)
            document.rect(x: left, y: upperY, width: width, height: lowerY - upperY, fill: fill)
            let text = normalized ? Formatting.percent(value / total) : valueLabel(value)
            if lowerY - upperY >= 14, TextMetrics.width(text, size: ChartTheme.smallSize) <= width - 4 {
                document.text(
                    text, x: left + width / 2, y: (upperY + lowerY) / 2 + 3.5,
                    size: ChartTheme.smallSize, fill: ChartTheme.textColor(on: fill), anchor: .middle
                )
            }
        }
        let totalText = valueLabel(total)
        if TextMetrics.width(totalText, size: ChartTheme.smallSize) <= slotWidth - 2 {
            document.text(
                totalText, x: left + width / 2, y: top - 4,
                size: ChartTheme.smallSize, fill: ChartTheme.mutedText, anchor: .middle
            )
        }
    }

    private func scaled(_ value: Double, total: Double) -> Double {
        guard normalized else { return value }
        return total > 0 ? min(value / total, 1) : 0
    }
}
