import Model
import Results
import Units
import Payload
/// The report's model-accuracy section: the cost model's throughput and latency beside every measured point, and a
/// held-out check that predicts each size from a model fitted without it. Pure: values in, text out.
public enum ModelAccuracySection {
    /// Every successful point of `result` with `model`'s prediction at the point's own settings.
    ///
    /// The efficiency factor was fitted to these same points, so this is an in-sample check of the formulas'
    /// shape across sizes; `heldOut(result:)` is the honest one.
    public static func rows(result: SweepResult, model: CostModel) -> [AccuracyRow] {
        result.points.filter(\.succeeded).map { AccuracyRow(point: $0, model: model) }
    }

    /// `HeldOutCheck.rows(result:intervals:)`, each row with the interval its reduced model drew.
    public static func heldOut(result: SweepResult) -> [AccuracyRow] {
        HeldOutCheck.rows(result: result, intervals: true)
    }

    /// The section as markdown.
    public static func render(_ result: SweepResult, model: CostModel) -> String {
        var out = "## Model accuracy\n\n"
        if let curve = result.calibration?.copyCurve, let first = curve.points.first, let last = curve.points.last {
            let middle = curve.freshMappingStepBytes == nil
                ? [1 << 20, 16 << 20, 64 << 20]
                : [1 << 20, 16 << 20, CopyCostCurve.belowFreshMappingBytes, CopyCostCurve.freshMappingBytes]
            let steps = ([first.bytes] + middle + [last.bytes]).filter { $0 >= first.bytes && $0 <= last.bytes }
            let prices = Array(Set(steps)).sorted().map {
                "\(Formatting.fixed(curve.secondsPerByte(at: Double($0)) * 1e9, decimals: 3)) ns/B at \(ByteSize(bytes: $0))"
            }
            out += "The cost model prices every stage as a fixed cost, a cost per byte, and a number of payload-sized "
            out += "copies at this machine's measured cost of a copy of that size (allocate, copy and free on "
            out += "\(curve.threads) thread\(curve.threads == 1 ? "" : "s") at once: \(prices.joined(separator: ", ")); "
            out += "the steps are where buffers leave the caches and where allocations become fresh mappings). Between "
            out += "measured sizes that shape is corrected by the measured medians. It then predicts throughput from "
        } else {
            out += "The cost model fits every stage as a fixed cost plus a cost per byte, joining the measured medians "
            out += "between measured sizes (this result has no copy-cost curve), then predicts throughput from "
        }
        out += "each task's time outside the stages (latency − stages, fitted the same way), "
        out += "the workers, the \(model.cores) cores and the lock share, calibrated once per pool, codec and shape "
        out += "(the median of measured ÷ formula throughput at sizes of at least \(Formatting.sizeLabel(CostModel.calibrationMinimumBytes))). "
        out += "Error = (predicted − measured) ÷ measured.\n\n"
        if !model.options.isEmpty {
            let factors = model.options.map {
                "\($0.shape.rawValue) \($0.codec) \($0.pool.label) \(Formatting.fixed($0.efficiency, decimals: 2))"
            }
            out += "Calibration factors (measured ÷ formula throughput; 1 means the formula needed no correction): "
            out += factors.joined(separator: ", ") + ".\n\n"
        }
        let full = rows(result: result, model: model)
        out += table(full) + "\n"
        out += "- In sample: " + verdict(AccuracySummary(rows: full)) + "\n\n"

        out += "### Held-out check\n\n"
        out += "Each size predicted by a model fitted without any point of that size (the smallest and largest sizes "
        out += "test extrapolation). Each prediction's \(Formatting.percent(OptionUncertainty.coverage)) interval is the "
        out += "one that model draws from its own spread and held-out errors, never from the point it predicts "
        out += "(docs/MODEL.md, *How sure the model is*).\n\n"
        let held = heldOut(result: result)
        out += table(held, latency: false, intervals: true) + "\n"
        out += "- Held out: " + verdict(AccuracySummary(rows: held)) + "\n\n"
        for note in model.notes { out += "- \(note)\n" }
        if !model.notes.isEmpty { out += "\n" }
        return out
    }

    static func table(_ rows: [AccuracyRow], latency: Bool = true, intervals: Bool = false) -> String {
        var header = ["shape", "codec", "size", "pool", "measured tasks/s", "predicted tasks/s", "error"]
        if intervals { header += ["\(Formatting.percent(OptionUncertainty.coverage)) interval", "inside"] }
        if latency { header += ["measured latency", "predicted latency", "error"] }
        var table = MarkdownTable(header: header, rightAligned: Set(2..<header.count).subtracting([3]))
        for row in rows {
            var cells = [
                row.shape.rawValue, row.codec, Formatting.sizeLabel(row.sizeBytes), row.pool.label,
                Formatting.significant(row.measuredTasksPerSecond),
                row.predictedTasksPerSecond.map { Formatting.significant($0) } ?? "–",
                row.throughputError.map(signedPercent) ?? "–",
            ]
            if intervals {
                cells += [
                    row.predictedInterval.map {
                        "\(Formatting.significant($0.lower))–\(Formatting.significant($0.upper))"
                    } ?? "–",
                    row.insideInterval.map { $0 ? "yes" : "**no**" } ?? "–",
                ]
            }
            if latency {
                cells += [
                    Formatting.seconds(row.measuredLatencySeconds),
                    row.predictedLatencySeconds.map(Formatting.seconds) ?? "–",
                    row.latencyError.map(signedPercent) ?? "–",
                ]
            }
            table.add(cells)
        }
        return table.render()
    }

    /// One sentence: median and largest |error| at ≥ 1 MB, and how often the model names the measured winner.
    public static func verdict(_ summary: AccuracySummary) -> String {
        var text: String
        if let median = summary.medianAbsoluteError, let maximum = summary.maximumAbsoluteError {
            text = "at sizes of at least \(Formatting.sizeLabel(AccuracySummary.minimumBytes)) the predicted throughput is within a median \(Formatting.percent(median)) (at most \(Formatting.percent(maximum))) of the measured, over \(summary.pointsCompared) points, \(summary.pointsWithinTarget) of them within \(Formatting.percent(AccuracySummary.targetError))"
        } else {
            text = "no predicted point is as large as \(Formatting.sizeLabel(AccuracySummary.minimumBytes)), so there is no error statistic"
        }
        if summary.allPointsWithInterval > 0 {
            text += "; the measured throughput is inside its \(Formatting.percent(OptionUncertainty.coverage)) interval at \(summary.pointsInsideInterval) of \(summary.pointsWithInterval) of those points (\(summary.allPointsInsideInterval) of \(summary.allPointsWithInterval) at every size)"
        }
        let checks = summary.winnerChecks
        if checks.isEmpty {
            text += "; no size has a measured margin of \(Formatting.percent(MeasuredComparison.tieMargin - 1)) or more to check the winner against"
        } else {
            text += "; it names the measured winner at \(summary.winnersAgreeing) of \(checks.count) sizes where the measured margin is at least \(Formatting.percent(MeasuredComparison.tieMargin - 1))"
            let missed = checks.filter { !$0.agrees }.map {
                "\($0.shape.rawValue) \($0.codec) \(Formatting.sizeLabel($0.sizeBytes)) (measured \($0.measuredWinner.label) by \(Formatting.ratio($0.measuredMargin)))"
            }
            if !missed.isEmpty { text += "; it misses \(missed.joined(separator: ", "))" }
        }
        return text + "."
    }

    static func signedPercent(_ fraction: Double) -> String {
        let percent = Int(clampingFinite: (fraction * 100).rounded())
        return percent > 0 ? "+\(percent) %" : "\(percent) %"
    }
}
