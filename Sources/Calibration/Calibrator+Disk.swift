import CPlatform
import Glibc
import Platform
import Units

extension Calibrator {
    /// The scratch directory's file system and free space.
    struct ScratchFilesystem: Equatable {
        var name: String
        var availableBytes: Int
    }

    /// Names for the `statfs` `f_type` magic numbers payloadlab meets (linux/magic.h). 0xEF53 is shared by ext2,
    /// ext3 and ext4; it is reported as `ext4`, what such a mount is nowadays.
    func scratchFilesystemInfo() throws(CalibrationError) -> ScratchFilesystem {
        guard FilesystemInfo.exists(scratchDirectory) else { throw .scratchMissing(path: scratchDirectory, errno: ENOENT) }
        let name = FilesystemInfo.type(of: scratchDirectory)
        var vfs = statvfs()
        guard statvfs(scratchDirectory, &vfs) == 0 else {
            throw .scratchMissing(path: scratchDirectory, errno: errno)
        }
        return ScratchFilesystem(
            name: name,
            availableBytes: Int(vfs.f_bavail) * Int(vfs.f_frsize)
        )
    }

    /// Checks that the scratch directory exists, is a directory, accepts a new file and has room for one
    /// repetition (plus 64 MiB, so the measurement does not fill the file system).
    func checkScratchDirectory() throws(CalibrationError) {
        var info = stat()
        guard stat(scratchDirectory, &info) == 0 else { throw .scratchMissing(path: scratchDirectory, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .scratchNotADirectory(path: scratchDirectory) }

        let probe = scratchFilePath(suffix: "probe")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .scratchNotWritable(path: scratchDirectory, errno: errno) }
        _ = close(fd)
        _ = unlink(probe)

        let needed = sizeBytes + 64 << 20
        let available = try scratchFilesystemInfo().availableBytes
        guard available >= needed else {
            throw .scratchTooSmall(path: scratchDirectory, availableBytes: available, neededBytes: needed)
        }
    }

    /// Writing `sizeBytes` in 1 MiB writes to a new file: into the page cache, and followed by `fsync`.
    func measureDiskWrites(_ samples: inout SampleRecorder) throws(CalibrationError) -> (cached: Double, synced: Double) {
        guard let chunk = malloc(Self.chunkBytes) else { throw .outOfMemory(bytes: Self.chunkBytes) }
        defer { free(chunk) }
        fillPattern(chunk, Self.chunkBytes)

        let cached = try samples.measure("diskWriteBytesPerSecond", plan.diskWrite) { () throws(CalibrationError) -> Double in
            Double(sizeBytes) / (try writeScratchFile(chunk: chunk, sync: false))
        }
        let synced = try samples.measure("diskWriteSyncBytesPerSecond", plan.diskWriteSync) { () throws(CalibrationError) -> Double in
            Double(sizeBytes) / (try writeScratchFile(chunk: chunk, sync: true))
        }
        return (cached, synced)
    }

    /// Writes one scratch file and returns the seconds from the first write to the last (or to the end of `fsync`).
    /// The file is removed on every path.
    func writeScratchFile(chunk: UnsafeRawPointer, sync: Bool) throws(CalibrationError) -> Double {
        let path = scratchFilePath(suffix: sync ? "sync" : "cached")
        _ = unlink(path)  // a leftover of a killed run with the same pid
        TemporaryPaths.register(path, isDirectory: false)
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            TemporaryPaths.unregister(path)
            throw .scratchNotWritable(path: scratchDirectory, errno: errno)
        }
        defer {
            DescriptorIO.close(&fd)
            _ = unlink(path)
            TemporaryPaths.unregister(path)
        }
        let start = pl_monotonic_ns()
        var written = 0
        while written < sizeBytes {
            try Self.checkStop()
            let count = min(Self.chunkBytes, sizeBytes - written)
            do throws(DescriptorError) {
                try DescriptorIO.writeAll(fd, UnsafeRawBufferPointer(start: chunk, count: count))
            } catch {
                if case .system(_, let code) = error { throw .diskWriteFailed(path: path, errno: code) }
                throw .diskWriteFailed(path: path, errno: EIO)
            }
            written += count
        }
        if sync {
            var rc: Int32
            repeat { rc = fsync(fd) } while rc != 0 && errno == EINTR
            if rc != 0 { throw .diskWriteFailed(path: path, errno: errno) }
        }
        let end = pl_monotonic_ns()
        return MonotonicClock.seconds(from: start, to: end)
    }

    func scratchFilePath(suffix: String) -> String {
        let directory = scratchDirectory.hasSuffix("/") ? String(scratchDirectory.dropLast()) : scratchDirectory
        return "\(directory)/payloadlab-calibrate-\(getpid())-\(suffix).tmp"
    }
}
