import Foundation
import Platform

/// The directory reports go to, and the names they get.
public enum ReportDirectory {
    /// Checks `path` is a writable directory, creating it first when `createIfMissing` (the default `reports/`).
    public static func prepare(_ path: String, createIfMissing: Bool) throws(SweepError) -> String {
        if !FilesystemInfo.exists(path) {
            guard createIfMissing else { throw .directoryMissing(.reports, path: path) }
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .directoryNotWritable(.reports, path: path)
            }
        }
        guard FilesystemInfo.isWritableDirectory(path) else {
            throw .directoryNotWritable(.reports, path: path)
        }
        return path
    }

    /// `sweep-20261125-101500`, from the local time now.
    public static func defaultName(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "sweep-" + formatter.string(from: now)
    }

    /// The most recently modified `*.json` result in `directory`, for `recommend` without `--from`.
    public static func newestResult(in directory: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let candidates = names.filter { $0.hasSuffix(".json") && !$0.contains(".partial-") }.map { "\(directory)/\($0)" }
        return candidates.max { modified($0) < modified($1) }
    }

    private static func modified(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }
}
