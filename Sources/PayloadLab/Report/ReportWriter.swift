/// Writes a result's report files — `<name>.md`, its SVG charts and `<name>.csv` — atomically, from the pure
/// renderers. `payloadlab report` and the sweep both call this, so a saved result re-renders byte for byte.
public enum ReportWriter {
    /// Renders and writes the report for `result` into `directory`; returns the markdown's path.
    @discardableResult
    public static func write(result: SweepResult, directory: String, name: String) throws -> String {
        let files = render(result: result, name: name)
        for (fileName, text) in files {
            try AtomicFile.write(text, to: "\(directory)/\(fileName)")
        }
        return "\(directory)/\(name).md"
    }

    /// Every file of the report, by name: the markdown, the charts and the CSV.
    public static func render(result: SweepResult, name: String) -> [(name: String, text: String)] {
        let charts = SweepCharts.all(for: result, reportName: name)
        let extras = MarkdownReport.Extras(reportName: name)
        var files: [(name: String, text: String)] = [("\(name).md", MarkdownReport.render(result, extras: extras))]
        files += charts.map { ($0.name, $0.svg) }
        files.append(("\(name).csv", CSVExport.render(result)))
        return files
    }
}
