#if canImport(Glibc)
import Glibc
#endif
import Platform
import Results
import Units

/// Writes encoded bytes to a scratch file, optionally `fsync`s it, checks its length, and removes it.
struct ScratchWriter: Sendable {
    let directory: String
    let sync: Bool

    struct Outcome {
        var write: StageSpan
        var sync: StageSpan?
        var writtenBytes: UInt64
    }

    /// Writes `bytes` to `<directory>/<name>` and removes the file again, whatever happens. Closing and removing
    /// the file are part of the last stage timed (write, or sync with `sync`), so a task's stages cover it all.
    func write(_ bytes: UnsafeRawBufferPointer, name: String) throws(PoolError) -> Outcome {
        try write(parts: [bytes], name: name)
    }

    /// The same for a file made of `parts` written one after another with gather writes (`writev`): a header and
    /// a body that live apart go out without being copied next to each other first.
    func write(parts: [UnsafeRawBufferPointer], name: String) throws(PoolError) -> Outcome {
        let total = parts.reduce(0) { $0 + $1.count }
        let path = directory + "/" + name
        let cpuStart = MonotonicClock.threadCPU()
        let start = MonotonicClock.now()
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path: path, errno: errno, needed: total) }
        var closed = false
        defer {
            if !closed {
                close(fd)
                unlink(path)
            }
        }
        do {
            try DescriptorIO.writevAll(fd, parts)
        } catch {
            if case .system(_, let code) = error { throw failure(path: path, errno: code, needed: total) }
            throw .scratchFailed(path: path, reason: error.description)
        }
        var written = MonotonicClock.now()
        var syncCPU: UInt64 = 0
        if sync {
            syncCPU = MonotonicClock.threadCPU()
            guard fsync(fd) == 0 else { throw failure(path: path, errno: errno, needed: total) }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path: path, errno: errno, needed: total) }
        guard info.st_size == total else {
            throw .shortWrite(path: path, expected: UInt64(total), got: UInt64(max(0, info.st_size)))
        }
        closed = true
        close(fd)
        unlink(path)
        let end = MonotonicClock.now()
        let cpuEnd = MonotonicClock.threadCPU()
        var syncSpan: StageSpan?
        if sync {
            syncSpan = StageSpan(stage: .sync, start: written, end: end, cpuNanoseconds: cpuEnd &- syncCPU)
        } else {
            written = end
        }
        let writeSpan = StageSpan(
            stage: .write, start: start, end: written,
            cpuNanoseconds: (sync ? syncCPU : cpuEnd) &- cpuStart)
        return Outcome(write: writeSpan, sync: syncSpan, writtenBytes: UInt64(info.st_size))
    }

    private func failure(path: String, errno code: Int32, needed: Int) -> PoolError {
        if code == ENOSPC || code == EFBIG || code == EDQUOT {
            return .diskFull(directory: directory, neededBytes: needed)
        }
        return .scratchFailed(path: path, reason: SystemErrorText.describe(code))
    }
}
