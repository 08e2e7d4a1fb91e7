import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import Platform

extension Integration {
    /// The one writer every command uses replaces only regular files and new paths: devices and FIFOs are written
    /// through, links are followed, directories and other special files are refused. Device nodes are made in a
    /// temporary directory (never the system's own /dev/null).
    @Suite("Special files are never replaced")
    struct AtomicFileSpecialFileTests {
        static func kind(_ path: String) -> mode_t {
            var status = stat()
            guard lstat(path, &status) == 0 else { return 0 }
            return status.st_mode & S_IFMT
        }

        /// A character device node like /dev/null (1,3) or /dev/full (1,7), or nil where mknod is not allowed.
        static func device(_ path: String, minor: UInt32) -> String? {
            mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | minor)) == 0 ? path : nil
        }

        @Test func characterDeviceIsWrittenThroughNotReplaced() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            guard let nul = Self.device("\(dir.path)/nul", minor: 3) else { return }  // needs root (CAP_MKNOD)
            try AtomicFile.write([UInt8](repeating: 7, count: 3_000_000), to: nul)
            #expect(Self.kind(nul) == S_IFCHR)
            #expect(dir.contents == ["nul"], "a temporary file was left: \(dir.contents)")
        }

        @Test func fullDeviceIsAnErrorSentence() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            guard let full = Self.device("\(dir.path)/full", minor: 7) else { return }
            #expect(throws: AtomicFileError.cannotWrite(path: full, reason: SystemErrorText.describe(ENOSPC))) {
                try AtomicFile.write([1, 2, 3], to: full)
            }
            #expect(Self.kind(full) == S_IFCHR)
        }

        @Test func fifoIsWrittenThroughToItsReader() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let fifo = "\(dir.path)/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
            let received = ReceivedBytes()
            let reader = Thread {
                let fd = open(fifo, O_RDONLY)
                defer { close(fd) }
                received.set((try? DescriptorIO.readToEnd(fd, limit: 1 << 22)) ?? [])
            }
            reader.start()
            try AtomicFile.write(bytes, to: fifo)
            while !received.isSet { usleep(1_000) }
            #expect(received.value == bytes)
            #expect(Self.kind(fifo) == S_IFIFO)
        }

        @Test func symlinkIsFollowedAndKept() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            try AtomicFile.write([1], to: "\(dir.path)/target")
            #expect(symlink("target", "\(dir.path)/link") == 0)
            try AtomicFile.write([2, 3], to: "\(dir.path)/link")
            #expect(Self.kind("\(dir.path)/link") == S_IFLNK)
            #expect(try AtomicFile.read("\(dir.path)/target") == [2, 3])
            // A dangling link gets its target created.
            #expect(symlink("new", "\(dir.path)/dangling") == 0)
            try AtomicFile.write([4], to: "\(dir.path)/dangling")
            #expect(Self.kind("\(dir.path)/dangling") == S_IFLNK)
            #expect(try AtomicFile.read("\(dir.path)/new") == [4])
        }

        @Test func directoryIsRefusedWithASentence() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            #expect(throws: AtomicFileError.notAFile(path: dir.path, kind: .directory)) {
                try AtomicFile.write([1], to: dir.path)
            }
            let error = AtomicFileError.notAFile(path: dir.path, kind: .directory)
            #expect(error.description == "Cannot write '\(dir.path)': it is a directory; name a regular file, a new path, a character device or a FIFO.")
        }

        @Test func replacedFileKeepsItsModeAndALongNameStillFits() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let path = "\(dir.path)/script"
            try AtomicFile.write([1], to: path)
            #expect(chmod(path, 0o750) == 0)
            try AtomicFile.write([2], to: path)
            var status = stat()
            #expect(stat(path, &status) == 0 && status.st_mode & 0o7777 == 0o750)
            // A name of NAME_MAX bytes leaves no room for a ".<name>.<pid>.<n>.partial" temporary name.
            let long = "\(dir.path)/" + String(repeating: "n", count: Int(NAME_MAX))
            try AtomicFile.write([9], to: long)
            #expect(try AtomicFile.read(long) == [9])
        }
    }
}

/// Bytes handed from a reader thread to the test.
final class ReceivedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8]?
    func set(_ value: [UInt8]) { lock.lock(); bytes = value; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return bytes != nil }
    var value: [UInt8] { lock.lock(); defer { lock.unlock() }; return bytes ?? [] }
}
