import Foundation
import Platform
import Results

extension SweepResult {
    /// Reads a result file, checking it is one and of this schema version.
    public static func load(path: String) throws(ResultFileError) -> SweepResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FilesystemInfo.exists(path) ? "it cannot be read" : "it does not exist")
        }
        return try decode(data, path: path)
    }
}
