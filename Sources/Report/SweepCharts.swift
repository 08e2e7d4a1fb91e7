import Model
import Charts
import Results
import Units
import Payload
/// The charts of a sweep report, drawn from its result: pure, values in, SVG files (name and text) out.
public enum SweepCharts {
    /// One chart file: its name beside the report, its alt text, and its SVG.
    public struct File: Sendable, Equatable {
        public var name: String
        public var alt: String
        public var svg: String
    }

    /// Every chart for `result`, named `<reportName>-<chart>-<shape>.svg`.
    public static func all(for result: SweepResult, reportName: String) -> [File] {
        var files: [File] = []
        let model = CostModel.fitWithUncertainty(result)
        for comparison in MeasuredComparison.all(in: result) {
            for kind in Kind.allCases {
                let svg: String
                switch kind {
                case .throughput: svg = throughput(result, comparison)
                case .stages: svg = stages(result, comparison)
                case .memory: svg = memory(result, comparison)
                case .decisionNative, .decisionLocked:
                    guard let map = decision(result, comparison, model: model, gil: kind == .decisionNative ? 0 : 1)
                    else { continue }
                    svg = map
                }
                let link = self.link(kind, comparison, result: result, reportName: reportName)
                files.append(File(name: link.path, alt: link.alt, svg: svg))
            }
        }
        return files
    }

    /// The kinds of chart drawn per shape and codec.
    public enum Kind: String, CaseIterable, Sendable {
        case throughput, stages, memory
        /// The model's decision map with native threads (`--gil 0`) and with a CPython-like lock (`--gil 1`).
        case decisionNative = "decision-gil0"
        case decisionLocked = "decision-gil1"
    }

    /// The file name and alt text of one chart, so the markdown can link it where it belongs.
    public static func link(
        _ kind: Kind, _ comparison: MeasuredComparison, result: SweepResult, reportName: String
    ) -> (alt: String, path: String) {
        let suffix = result.plan.allCodecs.count > 1
            ? "\(comparison.shape.rawValue)-\(slug(comparison.codec))" : comparison.shape.rawValue
        let what = "\(comparison.shape.rawValue) with \(comparison.codec)"
        let alt: String
        switch kind {
        case .throughput: alt = "Throughput vs payload size, \(what)"
        case .stages: alt = "Where each task's time goes, \(what)"
        case .memory: alt = "Peak memory per pool vs payload size, \(what)"
        case .decisionNative: alt = "Decision map with native threads (--gil 0), \(what)"
        case .decisionLocked: alt = "Decision map with an interpreter lock (--gil 1), \(what)"
        }
        return (alt, "\(reportName)-\(kind.rawValue)-\(suffix).svg")
    }

    static func points(_ result: SweepResult, _ comparison: MeasuredComparison, _ pool: PoolKind) -> [PointResult] {
        result.points.filter {
            $0.pool == pool && $0.shape == comparison.shape && $0.codec == comparison.codec && $0.succeeded
        }.sorted { $0.sizeBytes < $1.sizeBytes }
    }

    static func throughput(_ result: SweepResult, _ comparison: MeasuredComparison) -> String {
        let series = result.plan.pools.map { pool in
            ChartSeries(
                name: "\(pool.label) pool", points: points(result, comparison, pool).map { (Double($0.sizeBytes), $0.bytesPerSecond) },
                color: color(pool))
        }
        let annotations = comparison.crossovers.map {
            LineChart.Annotation(x: Double($0.estimatedBytes), label: "crossover ≈ \(Formatting.sizeLabel($0.estimatedBytes))")
        } + disturbedAnnotations(result, comparison)
        return LineChart(
            title: "Throughput: \(comparison.shape.rawValue), \(comparison.codec), \(result.plan.workers) workers, work \(result.plan.work)",
            xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
            yAxis: Axis(title: "payload bytes handled per second", scale: .log10, label: TickLabel.bytesPerSecond),
            series: series, annotations: annotations
        ).render()
    }

    static func stages(_ result: SweepResult, _ comparison: MeasuredComparison) -> String {
        let sizes = chartSizes(comparison.rows.map(\.sizeBytes))
        let stages = Stage.allCases
        let groups = sizes.map { size in
            StackedBarChart.Group(label: Formatting.sizeLabel(size), bars: result.plan.pools.compactMap { pool in
                guard let point = points(result, comparison, pool).first(where: { $0.sizeBytes == size }) else { return nil }
                return StackedBarChart.Bar(label: pool.label + QuietMachineSection.mark(point), values: stages.map { point.median($0) ?? 0 })
            })
        }
        return StackedBarChart(
            title: "Share of task time by stage: \(comparison.shape.rawValue), \(comparison.codec)",
            yAxisTitle: "share of median task time", xAxisTitle: "payload size and pool",
            segments: stages.map { ChartCategory($0.rawValue) }, groups: groups, normalized: true,
            valueLabel: TickLabel.seconds
        ).render()
    }

    static func memory(_ result: SweepResult, _ comparison: MeasuredComparison) -> String {
        var series: [ChartSeries] = []
        for pool in result.plan.pools {
            let here = points(result, comparison, pool)
            series.append(ChartSeries(
                name: "\(pool.label): parent", points: here.map { (Double($0.sizeBytes), Double($0.memory.parentPeakBytes)) },
                color: color(pool)))
            if pool.isProcess {
                series.append(ChartSeries(
                    name: "\(pool.label): each worker", points: here.compactMap { point in
                        point.memory.workerPeakBytes.max().map { (Double(point.sizeBytes), Double($0)) }
                    }, style: .dashed, color: color(pool)))
            }
        }
        return LineChart(
            title: "Peak resident memory: \(comparison.shape.rawValue), \(comparison.codec)",
            xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
            yAxis: Axis(title: "peak resident memory", scale: .log10, label: TickLabel.bytes),
            series: series, annotations: disturbedAnnotations(result, comparison)
        ).render()
    }

    /// A marked vertical line at each size where a pool's point was disturbed by other processes.
    static func disturbedAnnotations(_ result: SweepResult, _ comparison: MeasuredComparison) -> [LineChart.Annotation] {
        let disturbed = result.plan.pools.flatMap { pool in points(result, comparison, pool).filter(\.isDisturbed) }
        let bySize = Dictionary(grouping: disturbed, by: \.sizeBytes)
        return bySize.keys.sorted().map { size in
            let pools = bySize[size]!.map(\.pool).sorted().map(\.label).joined(separator: ", ")
            return LineChart.Annotation(x: Double(size), label: "\(QuietMachineSection.marker) \(pools) disturbed")
        }
    }

    /// The model's winner by size and work per byte as a coloured grid; nil when fewer than two pools were modelled.
    static func decision(_ result: SweepResult, _ comparison: MeasuredComparison, model: CostModel, gil: Double) -> String? {
        guard Set(model.options(shape: comparison.shape, codec: comparison.codec).map(\.pool)).count >= 2 else {
            return nil
        }
        let sizes = DecisionMapSection.columns(result.points.filter(\.succeeded).map(\.sizeBytes))
        let grid = DecisionMapSection.grid(
            model: model, shape: comparison.shape, codec: comparison.codec, workers: model.sweepWorkers, sizes: sizes,
            workNanosecondsPerByte: DecisionMapSection.workRows, gil: gil)
        let pools = result.plan.pools
        var categories = pools.map { ChartCategory($0.label, color: color($0)) }
        categories.append(ChartCategory("tie", color: ChartPalette.neutral))
        let cells: [[HeatmapGrid.Cell?]] = grid.cells.map { row in
            row.map { cell in
                guard let margin = cell.margin else { return nil }
                return HeatmapGrid.Cell(
                    category: cell.winner?.label ?? "tie", label: cell.winner == nil ? "≈" : Formatting.ratio(margin))
            }
        }
        return HeatmapGrid(
            title: "Which pool wins (model): \(comparison.shape.rawValue), \(comparison.codec), --gil \(Int(clampingFinite: gil)), \(model.sweepWorkers) workers",
            rowTitle: "work per byte", columnTitle: "payload size",
            rowLabels: grid.rows.map { $0 == 0 ? "none" : "\(Formatting.significant($0)) ns/B" },
            columnLabels: grid.columns.map(Formatting.sizeLabel), categories: categories, cells: cells
        ).render()
    }

    /// At most six sizes, spread over the range, always with the smallest and the largest.
    static func chartSizes(_ sizes: [Int]) -> [Int] {
        guard sizes.count > 6 else { return sizes }
        let step = Double(sizes.count - 1) / 5
        return (0...5).map { sizes[Int(clampingFinite: (Double($0) * step).rounded())] }
    }

    static func color(_ pool: PoolKind) -> String {
        switch pool {
        case .process: return ChartPalette.blue
        case .processShm: return ChartPalette.bluishGreen
        case .thread: return ChartPalette.vermillion
        case .dask: return ChartPalette.reddishPurple
        case .daskScatter: return ChartPalette.orange
        }
    }

    static func slug(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
