/// Drawing shared by the charts: the panel and title, and the gridlines, tick labels and titles of x–y axes.
enum ChartFrame {
    /// Gap between a tick label and the plot edge.
    static let tickLabelGap = 6.0
    /// Height of the band holding the rotated y-axis title.
    static let axisTitleBand = 16.0
    /// Smallest vertical distance between two y tick labels before some are left out.
    static let minimumTickLabelSpacing = 14.0

    /// A document with the light panel and the title drawn; returns it with the y below which content may start.
    static func begin(width: Double, height: Double, title: String) -> (document: SVGDocument, contentTop: Double) {
        var document = SVGDocument(width: width, height: height, title: title)
        document.rect(
            x: 0.5, y: 0.5, width: width - 1, height: height - 1,
            fill: ChartTheme.background, stroke: ChartTheme.border, cornerRadius: 8
        )
        let padding = ChartTheme.padding
        let shown = TextMetrics.truncate(title, size: ChartTheme.titleSize, bold: true, maxWidth: width - 2 * padding)
        document.text(shown, x: padding, y: padding + 14, size: ChartTheme.titleSize, fill: ChartTheme.text, bold: true)
        return (document, padding + 24)
    }

    /// The widest y tick label, for the left margin.
    static func widestLabel(_ ticks: [ResolvedAxis.Tick]) -> Double {
        ticks.map { TextMetrics.width($0.label, size: ChartTheme.tickSize) }.max() ?? 0
    }

    /// The left edge of a plot whose y tick labels are `tickLabelWidth` wide.
    static func plotLeft(tickLabelWidth: Double) -> Double {
        ChartTheme.padding + axisTitleBand + 8 + tickLabelWidth + tickLabelGap
    }

    /// Horizontal gridlines (minor and major), y tick labels on the left, and the rotated y-axis title.
    static func drawYAxis(into document: inout SVGDocument, plot: PlotRect, axis: ResolvedAxis, title: String) {
        document.group([("class", "y-axis")]) { document in
            for value in axis.minorTicks {
                guard let fraction = axis.fraction(of: value) else { continue }
                let y = plot.y(fraction)
                document.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: ChartTheme.minorGrid)
            }
            var lastLabelY = Double.infinity
            for tick in axis.ticks {
                guard let fraction = axis.fraction(of: tick.value) else { continue }
                let y = plot.y(fraction)
                document.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: ChartTheme.grid)
                // Ticks go bottom-up; leave out a label that would touch the one below it.
                guard lastLabelY - y >= minimumTickLabelSpacing else { continue }
                lastLabelY = y
                document.text(
                    tick.label, x: plot.left - tickLabelGap, y: y + 4,
                    size: ChartTheme.tickSize, fill: ChartTheme.mutedText, anchor: .end
                )
            }
            let titleX = ChartTheme.padding + 12
            let titleY = (plot.top + plot.bottom) / 2
            let shown = TextMetrics.truncate(title, size: ChartTheme.labelSize, maxWidth: plot.height + 40)
            document.text(
                shown, x: titleX, y: titleY, size: ChartTheme.labelSize, fill: ChartTheme.text,
                anchor: .middle, rotation: -90
            )
        }
    }

    /// Vertical gridlines (minor and major), tick marks and labels under the plot, and the x-axis title.
    static func drawXAxis(
        into document: inout SVGDocument, plot: PlotRect, axis: ResolvedAxis, title: String, canvasWidth: Double
    ) {
        document.group([("class", "x-axis")]) { document in
            for value in axis.minorTicks {
                guard let fraction = axis.fraction(of: value) else { continue }
                let x = plot.x(fraction)
                document.line(x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: ChartTheme.minorGrid)
            }
            var lastLabelRight = -Double.infinity
            for tick in axis.ticks {
                guard let fraction = axis.fraction(of: tick.value) else { continue }
                let x = plot.x(fraction)
                document.line(x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: ChartTheme.grid)
                document.line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 4, stroke: ChartTheme.axis)
                let halfWidth = TextMetrics.width(tick.label, size: ChartTheme.tickSize) / 2
                // Keep the label on the panel, and leave it out if it would run into the previous one.
                let centre = min(max(x, ChartTheme.padding + halfWidth), canvasWidth - ChartTheme.padding - halfWidth)
                guard centre - halfWidth >= lastLabelRight + 8 else { continue }
                lastLabelRight = centre + halfWidth
                document.text(
                    tick.label, x: centre, y: plot.bottom + 17,
                    size: ChartTheme.tickSize, fill: ChartTheme.mutedText, anchor: .middle
                )
            }
            let shown = TextMetrics.truncate(title, size: ChartTheme.labelSize, maxWidth: plot.width)
            document.text(
                shown, x: (plot.left + plot.right) / 2, y: plot.bottom + 36,
                size: ChartTheme.labelSize, fill: ChartTheme.text, anchor: .middle
            )
        }
    }

    /// The plot's left and bottom edges.
    static func drawAxisLines(into document: inout SVGDocument, plot: PlotRect) {
        document.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: ChartTheme.axis)
        document.line(x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: ChartTheme.axis)
    }

    /// "no data" centred in `plot`, for a chart with nothing to draw.
    static func drawNoData(into document: inout SVGDocument, plot: PlotRect) {
        document.text(
            "no data", x: (plot.left + plot.right) / 2, y: (plot.top + plot.bottom) / 2,
            size: ChartTheme.labelSize, fill: ChartTheme.mutedText, anchor: .middle
        )
    }
}
