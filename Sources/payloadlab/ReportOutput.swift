import Platform
import Report
import Results

/// Writes a result's report files into a directory, each atomically: the one place a report reaches the disk.
enum ReportOutput {
    /// Renders and writes the report for `result` into `directory`; returns the markdown's path.
    @discardableResult
    static func write(result: SweepResult, directory: String, name: String) throws -> String {
        for (fileName, text) in ReportFiles.render(result: result, name: name) {
            try AtomicFile.write(text, to: "\(directory)/\(fileName)")
        }
        return "\(directory)/\(name).md"
    }
}
