import CPlatform
#if canImport(Glibc)
import Glibc
#endif

/// Facts about the filesystem holding a directory: its type and free space.
public enum FilesystemInfo {
    /// The filesystem type's name (`ext4`, `tmpfs`, `overlay`, …) or its magic number in hex.
    public static func type(of path: String) -> String {
        let magic = pl_filesystem_type(path)
        guard magic >= 0 else { return "unknown" }
        switch UInt(magic) {
        case 0x0102_1994: return "tmpfs"
        case 0xEF53: return "ext4"
        case 0x794C_7630: return "overlay"
        case 0x5846_5342: return "xfs"
        case 0x9123_683E: return "btrfs"
        case 0x6969: return "nfs"
        case 0x0102_1997: return "9p"
        default: return "0x" + String(UInt(magic), radix: 16)
        }
    }

    /// Bytes an unprivileged user may still write there.
    public static func availableBytes(at path: String) -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Whether `path` is an existing directory in which this process can really create a file (permissions alone
    /// do not tell: /proc, read-only mounts).
    public static func isWritableDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, access(path, W_OK | X_OK) == 0 else {
            return false
        }
        // Unique per call: two threads of one process may probe the same directory at once.
        let probe = "\(path)/.payloadlab-probe-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(probe, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        unlink(probe)
        return true
    }

    /// Nil when `path` exists; otherwise why it cannot be looked up (`ENOENT`, `ENAMETOOLONG`, `EACCES`, …).
    public static func lookupError(_ path: String) -> Int32? {
        var info = stat()
        return stat(path, &info) == 0 ? nil : errno
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
