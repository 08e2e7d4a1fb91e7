/// Writes a result's report files — `<name>.md` (and the charts beside it) — atomically, from the pure renderers.
public enum ReportWriter {
    /// Renders and writes the markdown report for `result` into `directory`.
    public static func write(result: SweepResult, directory: String, name: String) throws {
        let markdown = MarkdownReport.render(result)
        try AtomicFile.write(markdown, to: "\(directory)/\(name).md")
    }
}
