#if canImport(Glibc)
import Glibc
#endif
import Units

/// An exclusive advisory lock (`flock`) on a small file that holds the owner's pid; the file is removed when the
/// lock is released. The kernel drops the lock when its process dies, so a killed owner never blocks the next run.
public final class FileLock: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock at `path` without waiting. Returns nil when another process holds it (`holder` then says
    /// which, when it wrote its pid); throws the errno when the file cannot be created or locked.
    ///
    /// The corresponding C functions are `open` and `flock`.
    public static func acquire(_ path: String) throws(DescriptorError) -> FileLock? {
        // A holder releasing the lock unlinks the file: a lock won on an unlinked file would be nobody's, so the
        // file is opened again until the locked descriptor is the one the path names.
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { throw .system(call: "open", errno: errno) }
            var rc: Int32
            repeat { rc = flock(fd, LOCK_EX | LOCK_NB) } while rc != 0 && errno == EINTR
            if rc != 0 {
                let code = errno
                close(fd)
                if code == EWOULDBLOCK { return nil }
                throw .system(call: "flock", errno: code)
            }
            var opened = stat()
            var named = stat()
            guard fstat(fd, &opened) == 0, stat(path, &named) == 0,
                  opened.st_ino == named.st_ino, opened.st_dev == named.st_dev else {
                close(fd)
                continue
            }
            _ = ftruncate(fd, 0)
            try? DescriptorIO.writeAll(fd, "\(getpid())\n")
            TemporaryPaths.register(path, isDirectory: false)
            return FileLock(path: path, descriptor: fd)
        }
        throw .system(call: "flock", errno: EAGAIN)
    }

    /// The pid written into the lock file at `path` by its holder, if it is there.
    public static func holder(of path: String) -> Int32? {
        guard let text = DescriptorIO.readTextFile(path, limit: 64) else { return nil }
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int32($0) }
    }

    /// Removes the file, then drops the lock. Safe to call twice.
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        TemporaryPaths.unregister(path)
        DescriptorIO.close(&descriptor)
    }

    deinit { release() }
}
