#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform

/// The directory reports go to, and the names they get.
public enum ReportDirectory {
    /// Checks `path` is a writable directory, creating it first when `createIfMissing` (the default `reports/`).
    public static func prepare(_ path: String, createIfMissing: Bool) throws(SweepError) -> String {
        if let code = FilesystemInfo.lookupError(path) {
            guard code == ENOENT else { throw .directoryUnreachable(.reports, path: path, errno: code) }
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

    /// Refuses a report name that cannot name files inside the report directory: empty, with a `/`, `.` or `..`,
    /// with a control character, or too long to leave room for the report's suffixes within NAME_MAX.
    public static func checkName(_ name: String) throws(SweepError) {
        if name.isEmpty { throw .badName(name, problem: .empty) }
        if name.contains("/") { throw .badName(name, problem: .pathSeparator) }
        if name == "." || name == ".." { throw .badName(name, problem: .dotName) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .badName(name, problem: .controlCharacter)
        }
        let bytes = name.utf8.count
        if bytes > SweepError.maximumNameBytes {
            throw .badName(name, problem: .tooLong(bytes: bytes, limit: SweepError.maximumNameBytes))
        }
    }

    /// Locks `<directory>/.<name>.lock` for one sweep, so two sweeps never write the same report; the caller
    /// releases it when the report is written (a killed sweep's lock goes with its process).
    public static func lock(name: String, in directory: String) throws(SweepError) -> FileLock {
        let path = "\(directory)/.\(name).lock"
        do {
            guard let lock = try FileLock.acquire(path) else {
                throw SweepError.nameInUse(name: name, directory: directory, holder: FileLock.holder(of: path))
            }
            return lock
        } catch let error as SweepError {
            throw error
        } catch {
            if case .system(_, let code) = error as? DescriptorError { throw .lockFailed(path: path, errno: code) }
            throw .lockFailed(path: path, errno: EIO)
        }
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
