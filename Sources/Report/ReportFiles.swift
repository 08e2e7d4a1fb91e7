import Results
import Units
/// A result's report files — `<name>.md`, its SVG charts and `<name>.csv` — rendered together. `payloadlab report`
/// and the sweep both write these, so a saved result re-renders byte for byte.
public enum ReportFiles {
    /// Every file of the report, by name: the markdown, the charts and the CSV.
    public static func render(result: SweepResult, name: String) -> [(name: String, text: String)] {
        let charts = SweepCharts.all(for: result, reportName: name)
        let extras = MarkdownReport.Extras(reportName: name)
        var files: [(name: String, text: String)] = [("\(name).md", MarkdownReport.render(result, extras: extras))]
        files += charts.map { ($0.name, $0.svg) }
        files += RuntimeSection.charts(result, reportName: name)
        files.append(("\(name).csv", CSVExport.render(result)))
        return files
    }
}
