import ArgumentParser
import Foundation
import Units
import Results
import Model
import Sweep

/// `payloadlab compare`: two runs, point by point, with a noise-aware verdict; usable as a CI gate.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sweep results point by point (Mann–Whitney U on raw task latencies).",
        discussion: "Exits 1 with --fail-on-regression PERCENT when a point got significantly slower by more than that, "
            + "and when the new result has no points, only failed points, or lacks points the old one has."
    )

    @Argument(help: "The earlier result.") var old: String
    @Argument(help: "The later result.") var new: String
    @Option(parsing: .unconditional, help: "Fail (exit 1) when a point is significantly slower by more than this many percent.") var failOnRegression: Double?
    @Option(parsing: .unconditional, help: "The smallest change of a median, in percent, that counts as faster or slower.") var minChange: Double = 10
    @Option(help: "text or json.") var format: String = "text"

    func run() throws {
        guard ["text", "json"].contains(format) else {
            throw CommandFailure.usage("--format \(format) is not known; use text or json.")
        }
        if let failOnRegression, !(failOnRegression >= 0) {
            throw CommandFailure.usage("--fail-on-regression \(failOnRegression) must be a percentage of 0 or more, e.g. 10.")
        }
        guard minChange >= 0, minChange.isFinite else {
            throw CommandFailure.usage("--min-change \(minChange) must be a percentage of 0 or more, e.g. 10.")
        }
        let comparison: ResultComparison
        let oldResult: SweepResult
        let newResult: SweepResult
        do {
            oldResult = try SweepResult.load(path: old)
            newResult = try SweepResult.load(path: new)
            comparison = ResultComparison(old: oldResult, new: newResult, minimumChange: minChange / 100)
        } catch {
            throw CommandFailure.runtime("\(error)")
        }
        let text: String
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            text = String(decoding: try encoder.encode(comparison), as: UTF8.self) + "\n"
        } else {
            text = comparison.render()
        }
        // The regression gate runs whatever happened to stdout, so a closed pipe never turns a regression green.
        let outputFailure = StandardOutput.attempt(text)
        if let failOnRegression {
            // A gate fails on a slower point and equally on a new run that measured less than the old one.
            let failures = ResultComparison.gateFailures(
                old: oldResult, new: newResult, comparison: comparison, percent: failOnRegression)
            if let last = failures.last {
                for failure in failures.dropLast() { CommandFailure.printError(failure.description) }
                throw CommandFailure.runtime(last.description)
            }
        }
        if let outputFailure { throw outputFailure.exitCode() }
    }
}
