import ArgumentParser
import Foundation
import Units
import Results
import Sweep
import Report

/// `payloadlab report`: re-render a saved result's report (markdown, charts, CSV) or print it as CSV.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render the report of a saved sweep result (the sweep uses the same code)."
    )

    @Argument(help: "A result written by payloadlab sweep (reports/<name>.json).") var result: String
    @Option(help: "Directory for the report (default: the result's directory).") var out: String?
    @Option(help: "markdown (write the report files) or csv (print the per-stage table).") var format: String = "markdown"

    func run() throws {
        guard ["markdown", "csv"].contains(format) else {
            throw CommandFailure.usage("--format \(format) is not known; use markdown or csv.")
        }
        let loaded: SweepResult
        do {
            loaded = try SweepResult.load(path: result)
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        if format == "csv" {
            try StandardOutput.write(CSVExport.render(loaded))
            return
        }
        let url = URL(fileURLWithPath: result)
        let directory = out ?? url.deletingLastPathComponent().path
        let name = url.deletingPathExtension().lastPathComponent
        // The report's files are named after the result's: a name with no room for the chart suffixes would fail
        // halfway through the files.
        do {
            try ReportDirectory.checkName(name)
        } catch {
            if case .badName(_, let problem) = error {
                throw CommandFailure.usage(
                    "The result's file name \(SweepError.quoted(name)) \(SweepError.text(problem)); copy the result to a shorter plain name and run report on that.")
            }
            throw CommandFailure.usage(error.description)
        }
        do {
            _ = try ReportDirectory.prepare(directory, createIfMissing: false)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        do {
            try ReportOutput.write(result: loaded, directory: directory, name: name)
        } catch {
            throw CommandFailure.runtime("Could not write the report to \(directory) (\(Sentence.clause(error))); free space there or pass another --out.")
        }
        try StandardOutput.line("\(directory)/\(name).md")
    }
}
