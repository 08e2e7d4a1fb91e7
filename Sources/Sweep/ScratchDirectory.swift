#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform
import Units

/// A sweep's own scratch directory: created with a unique name, and removed with everything in it.
///
/// Each holds an `owner.pid` naming the process that made it (and its pid namespace), so a directory left by a
/// killed run is removed at the next start, and only such a directory.
public enum ScratchDirectory {
    /// The file inside a scratch directory that names its owner: `<pid> <pid namespace>`.
    public static let ownerFileName = "owner.pid"

    /// Creates `<parent>/payloadlab-XXXXXX`, after removing those whose owner is gone.
    public static func create(in parent: String) throws(SweepError) -> String {
        if let code = FilesystemInfo.lookupError(parent) {
            if code == ENOENT { throw .directoryMissing(.scratch, path: parent) }
            throw .directoryUnreachable(.scratch, path: parent, errno: code)
        }
        guard FilesystemInfo.isWritableDirectory(parent) else {
            throw .directoryNotWritable(.scratch, path: parent)
        }
        var template = Array((parent + "/payloadlab-XXXXXX").utf8CString)
        let created: UnsafeMutablePointer<CChar>? = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw .directoryNotWritable(.scratch, path: parent) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        TemporaryPaths.register(path, isDirectory: true)
        removeAbandoned(in: parent)
        let owner = "\(path)/\(ownerFileName)"
        let fd = open(owner, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            try? DescriptorIO.writeAll(fd, "\(getpid()) \(pidNamespace() ?? "-")\n")
            close(fd)
        }
        return path
    }

    /// Removes every `<parent>/payloadlab-XXXXXX` whose `owner.pid` names a process of this pid namespace that no
    /// longer exists. A directory without that file, from another namespace, or whose owner lives is left alone.
    /// Returns the paths removed.
    @discardableResult
    public static func removeAbandoned(in parent: String) -> [String] {
        guard let dir = opendir(parent) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix("payloadlab-") && name.utf8.count == "payloadlab-XXXXXX".utf8.count { names.append(name) }
        }
        closedir(dir)
        let namespace = pidNamespace() ?? "-"
        var removed: [String] = []
        for name in names {
            let path = "\(parent)/\(name)"
            guard let text = DescriptorIO.readTextFile("\(path)/\(ownerFileName)", limit: 256) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 2, let pid = Int32(fields[0]), pid > 0, fields[1] == namespace else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            TemporaryPaths.removeFiles(in: path)
            if rmdir(path) != 0 && errno == ENOTEMPTY { try? FileManager.default.removeItem(atPath: path) }
            if access(path, F_OK) != 0 { removed.append(path) }
        }
        return removed
    }

    /// This process's pid namespace (`pid:[4026531836]`), so a pid is only judged within the namespace it is from.
    static func pidNamespace() -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let count = readlink("/proc/self/ns/pid", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes the files directly inside `path`, then `path` itself; a folder left inside (a Dask worker's own
    /// space, when its driver was killed before it could remove it) goes with it.
    public static func remove(_ path: String) {
        TemporaryPaths.removeFiles(in: path)
        if rmdir(path) != 0 && errno == ENOTEMPTY {
            try? FileManager.default.removeItem(atPath: path)
        }
        TemporaryPaths.unregister(path)
    }
}
