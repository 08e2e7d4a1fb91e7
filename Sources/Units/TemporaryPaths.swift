#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The scratch files and directories this process has open right now, so an exit that cannot unwind — a second
/// Ctrl-C — can still remove them before it goes.
///
/// Whoever creates a scratch path registers it and unregisters it once removed; normal paths never need
/// `removeAll()`, which is only for `_exit`.
public enum TemporaryPaths {
    private static let registered = Mutex<[String: Bool]>([:])

    /// Notes `path` (a directory whose files sit directly in it, or a file) as to be removed on an emergency exit.
    public static func register(_ path: String, isDirectory: Bool) {
        registered.withLock { $0[path] = isDirectory }
    }

    public static func unregister(_ path: String) {
        _ = registered.withLock { $0.removeValue(forKey: path) }
    }

    /// The registered paths, for tests and diagnostics.
    public static var current: [String] { registered.withLock { Array($0.keys).sorted() } }

    /// Removes every registered path now. A directory is emptied and removed, a few passes over it in case a
    /// thread of this process or a worker about to die created a file meanwhile (once the directory is gone,
    /// nothing more can be created in it).
    public static func removeAll() {
        let paths = registered.withLock { entries in
            defer { entries.removeAll() }
            return entries
        }
        for (path, isDirectory) in paths {
            guard isDirectory else { unlink(path); continue }
            for _ in 0..<5 {
                removeFiles(in: path)
                if rmdir(path) == 0 || errno == ENOENT { break }
            }
        }
    }

    /// Unlinks the entries directly inside `path` (not recursive: scratch directories hold only files).
    public static func removeFiles(in path: String) {
        guard let dir = opendir(path) else { return }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            unlink(path + "/" + name)
        }
        closedir(dir)
    }
}
