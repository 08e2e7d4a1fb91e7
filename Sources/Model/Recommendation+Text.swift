import Units
import Payload
import Results
extension Recommendation {
    /// The recommendation as `payloadlab recommend` prints it: the choice, a table of every option, the margin, the
    /// crossover, the extrapolation note and the sentences on what would flip the answer. Pure: no I/O.
    ///
    /// - Parameter source: the result file the model was fitted to, named in the first line when given.
    public func text(source: String? = nil) -> String {
        let best = recommended
        let settings = "\(scenario.work), --gil \(FlipSearch.gilText(scenario.gil)), \(scenario.workers) workers on \(cores) cores"
        let subject = "\(Formatting.bytes(Double(scenario.sizeBytes))) \(shape.rawValue) (\(settings))"
        var out = verdict == .tooCloseToCall
            ? "Too close to call for \(subject): the \(best.pool.label) pool with \(best.codec) is predicted faster, but the pools' \(Formatting.percent(OptionUncertainty.coverage)) intervals overlap.\n"
            : "Use the \(best.pool.label) pool with \(best.codec) for \(subject).\n"
        if let source { out += "Model fitted to \(source).\n" }
        out += "\n"

        let intervals = options.contains { $0.tasksPerSecondInterval != nil }
        let throughputHeader = intervals ? "tasks/s (\(Formatting.percent(OptionUncertainty.coverage)) interval)" : "tasks/s"
        var table = MarkdownTable(
            header: ["option", "latency", throughputHeader, "MB/s", "\(scenario.tasks) tasks", "memory (copies)", "limited by"],
            rightAligned: [1, 2, 3, 4, 5])
        for option in options {
            // Copies only from 1 MB: below that a few pages of resident-memory noise divided by a small payload
            // read as hundreds of copies.
            let copies = scenario.sizeBytes >= AccuracySummary.minimumBytes
                ? " (\(Formatting.significant(option.memory.payloadCopies)))" : ""
            let memory = option.memory.totalPeakBytes > 0
                ? "\(Formatting.bytes(Double(option.memory.totalPeakBytes)))\(copies)"
                : "–"
            table.add([
                option.label, Formatting.seconds(option.latencySeconds),
                Formatting.significant(option.tasksPerSecond) + (option.tasksPerSecondInterval.map { " (\(Recommendation.range($0)))" } ?? ""),
                Formatting.significant(option.bytesPerSecond / 1e6), Formatting.seconds(option.totalSeconds), memory,
                option.limit.label,
            ])
        }
        out += table.render() + "\n"

        if let runnerUp, let margin {
            if verdict == .tooCloseToCall, let mine = best.tasksPerSecondInterval, let theirs = runnerUp.tasksPerSecondInterval {
                out += "Margin: \(Formatting.ratio(margin)), too close to call — the \(best.pool.label) pool's \(Formatting.percent(OptionUncertainty.coverage)) interval (\(Recommendation.range(mine)) tasks/s) overlaps the \(runnerUp.pool.label) pool's (\(Recommendation.range(theirs))); measure this size (recommend --measure), or pick on memory and simplicity.\n"
            } else if isTie {
                let lighter = [best, runnerUp].min { $0.memory.totalPeakBytes < $1.memory.totalPeakBytes }!
                out += "Margin: \(Formatting.ratio(margin)) — within \(Formatting.percent(MeasuredComparison.tieMargin - 1)), a tie; pick on memory (the \(lighter.pool.label) pool needs \(Formatting.bytes(Double(lighter.memory.totalPeakBytes)))) and simplicity.\n"
            } else {
                out += "Margin: the \(best.pool.label) pool delivers \(Formatting.ratio(margin)) the throughput of the \(runnerUp.pool.label) pool (\(runnerUp.codec)).\n"
            }
        }
        if let crossoverBytes, let crossing = crossovers.min(by: {
            abs($0.at - Double(crossoverBytes)) < abs($1.at - Double(crossoverBytes))
        }) {
            out += "Crossover: \(FlipSearch.plural(crossing.belowWinner)) win below \(Formatting.bytes(crossing.at)), \(FlipSearch.plural(crossing.aboveWinner)) above.\n"
        } else if runnerUp != nil {
            out += "Crossover: none between 1 KB and 10 GB with these settings.\n"
        }
        if let extrapolationWarning {
            out += "Extrapolation: \(extrapolationWarning)\n"
        } else {
            out += "Measured range: \(Formatting.bytes(Double(measuredMinBytes)))–\(Formatting.bytes(Double(measuredMaxBytes))); this size is inside it.\n"
        }
        if !flips.isEmpty {
            out += "\nWhat would flip the answer:\n"
            for sentence in flips { out += "- \(sentence)\n" }
        }
        if !notes.isEmpty {
            out += "\nNotes:\n"
            for note in notes { out += "- \(note)\n" }
        }
        return out
    }

    /// `9.5–13.1`: an interval as the text output prints it.
    static func range(_ interval: PredictionInterval) -> String {
        "\(Formatting.significant(interval.lower))–\(Formatting.significant(interval.upper))"
    }
}
