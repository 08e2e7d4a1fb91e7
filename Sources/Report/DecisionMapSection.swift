import Model
import Results
import Payload
import Units
/// The report's decision map: which pool the cost model expects to win across payload sizes and work per byte, with
/// native threads (`--gil 0`) and a fully locked interpreter (`--gil 1`). Pure: values in, text out.
public enum DecisionMapSection {
    /// The work rows of the map, in CPU nanoseconds per byte (0 = `none`).
    public static let workRows: [Double] = [0, 1, 3, 10, 30, 100, 300]
    /// The lock shares the map is drawn for.
    public static let gilValues: [Double] = [0, 1]
    /// At most this many size columns; more sizes are thinned to log-spaced ones.
    public static let maximumColumns = 8

    /// The model's decision at every (work, size) cell for one shape, codec, worker count and lock share.
    ///
    /// Each cell is `CostModel.decide` for that scenario — the same call `Recommendation.recommend` makes — so a
    /// cell and a recommendation for the same settings agree.
    public static func grid(
        model: CostModel, shape: PayloadShape, codec: String, workers: Int, sizes: [Int],
        workNanosecondsPerByte: [Double], gil: Double
    ) -> DecisionGrid {
        let cells = workNanosecondsPerByte.map { work in
            sizes.map { size -> DecisionGrid.Cell in
                let scenario = CostModel.Scenario(
                    sizeBytes: size, work: DecisionGrid.work(nanosecondsPerByte: work), gil: gil, workers: workers)
                guard let decision = model.decide(shape: shape, codec: codec, scenario: scenario),
                      decision.runnerUp != nil
                else { return DecisionGrid.Cell(winner: nil, faster: nil, margin: nil) }
                return DecisionGrid.Cell(winner: decision.winner, faster: decision.fastest.pool, margin: decision.margin)
            }
        }
        return DecisionGrid(
            shape: shape, codec: codec, workers: workers, gil: gil, cores: model.cores, columns: sizes,
            rows: workNanosecondsPerByte, cells: cells)
    }

    /// The sweep's sizes, thinned to at most `maximumColumns` spread evenly over the (log-spaced) list, always
    /// keeping the smallest and the largest.
    public static func columns(_ sizes: [Int]) -> [Int] {
        let sorted = Array(Set(sizes)).sorted()
        guard sorted.count > maximumColumns else { return sorted }
        let last = Double(sorted.count - 1)
        let picks = (0..<maximumColumns).map { Int(clampingFinite: (Double($0) * last / Double(maximumColumns - 1)).rounded()) }
        return Array(Set(picks)).sorted().map { sorted[$0] }
    }

    /// The section as markdown: one table per shape, codec and lock share.
    public static func render(_ result: SweepResult, model: CostModel) -> String {
        var out = "## Decision map (model)\n\n"
        out += "Which pool the cost model expects to deliver more tasks a second, by payload size (columns) and work "
        out += "per byte (rows: `none`, then `cpu:<ns per byte>`), with \(model.sweepWorkers) workers on "
        out += "\(model.cores) cores. A cell names the winner and its throughput over the other pool's; "
        out += "≈ means within \(Formatting.percent(MeasuredComparison.tieMargin - 1)), or too close to call: the two pools' "
        out += "\(Formatting.percent(OptionUncertainty.coverage)) throughput intervals overlap. "
        out += "The sweep measured work `\(model.sweepWork)` at `--gil \(FlipSearch.gilText(model.sweepGIL))`; "
        out += "every other cell is computed from the fitted stage costs (see *Model accuracy* for how well they predict).\n\n"
        let sizes = columns(result.points.filter(\.succeeded).map(\.sizeBytes))
        for shape in model.shapes {
            for codec in model.codecs(shape: shape) {
                let pools = Set(model.options(shape: shape, codec: codec).map(\.pool))
                guard pools.count >= 2 else {
                    out += "- \(shape.rawValue) with `\(codec)`: only the \(pools.first?.label ?? "–") pool was modelled; nothing to compare.\n\n"
                    continue
                }
                for gil in gilValues {
                    let grid = grid(
                        model: model, shape: shape, codec: codec, workers: model.sweepWorkers, sizes: sizes,
                        workNanosecondsPerByte: workRows, gil: gil)
                    out += "### \(shape.rawValue) with `\(codec)`, `--gil \(FlipSearch.gilText(gil))`\n\n"
                    out += table(grid) + "\n"
                }
            }
        }
        if model.options.isEmpty {
            out += "No option was measured at two or more sizes, so there is no model to draw.\n\n"
        }
        return out
    }

    /// One grid as a markdown table.
    public static func table(_ grid: DecisionGrid) -> String {
        var table = MarkdownTable(
            header: ["work \\ size"] + grid.columns.map(Formatting.sizeLabel),
            rightAligned: Set(1...max(1, grid.columns.count)))
        for (index, work) in grid.rows.enumerated() {
            table.add([DecisionGrid.work(nanosecondsPerByte: work).description] + grid.cells[index].map(\.label))
        }
        return table.render()
    }
}
