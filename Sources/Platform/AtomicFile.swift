#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif


import Foundation
import Units

/// Files a reader never sees half of — payloads, results, reports: written whole through a synced temporary file
/// in the same directory renamed into place, or not at all; read whole.
///
/// Temp-and-rename is only for regular files and new paths. A character device or a FIFO (`/dev/null`, a named
/// pipe another process reads) is written through, as every Unix tool does, so it is never replaced by a regular
/// file; a symbolic link is followed and its target replaced, so the link stays a link. A directory, a block device
/// or a socket is refused.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(AtomicFileError) {
        try write([UInt8](data), to: path)
    }

    public static func write(_ text: String, to path: String) throws(AtomicFileError) {
        try write(Array(text.utf8), to: path)
    }

    /// What a path names when it is about to be written.
    enum Target: Equatable {
        /// Nothing yet, or a regular file: written through a temporary file renamed over `path`.
        case replace(path: String, mode: mode_t?)
        /// A character device or FIFO: opened and written in place.
        case writeThrough(path: String)
    }

    /// Writes `bytes` to `path`. A regular file or a new path gets a temporary file in the same directory that is
    /// synced and then renamed over it, so a failure never leaves a half-written payload under the final name; a
    /// character device or FIFO is written in place; a symbolic link's target is written.
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
        switch try target(of: path) {
        case .replace(let resolved, let mode):
            try replace(resolved, with: bytes, mode: mode, reportedAs: path)
        case .writeThrough(let resolved):
            try writeThrough(resolved, bytes: bytes, reportedAs: path)
        }
    }

    /// Follows symbolic links (at most 40, as the kernel does) to what `path` names, and says how to write it.
    static func target(of path: String) throws(AtomicFileError) -> Target {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0 else {
                if errno == ENOENT { return .replace(path: current, mode: nil) }
                throw .cannotCreate(path: path, reason: errorText())
            }
            switch status.st_mode & S_IFMT {
            case S_IFREG: return .replace(path: current, mode: status.st_mode & 0o7777)
            case S_IFCHR, S_IFIFO: return .writeThrough(path: current)
            case S_IFLNK:
                guard let link = readLink(current) else { throw .cannotCreate(path: path, reason: errorText()) }
                if link.hasPrefix("/") {
                    current = link
                } else {
                    current = (current.lastIndex(of: "/").map { String(current[...$0]) } ?? "") + link
                }
            case S_IFDIR: throw .notAFile(path: path, kind: .directory)
            case S_IFBLK: throw .notAFile(path: path, kind: .blockDevice)
            default: throw .notAFile(path: path, kind: .socket)
            }
        }
        throw .cannotCreate(path: path, reason: SystemErrorText.describe(ELOOP))
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes a new or regular file through a temporary file renamed over it, keeping an existing file's mode.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t?, reportedAs reported: String) throws(AtomicFileError) {
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let fileName = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        guard !fileName.isEmpty else { throw .notAFile(path: reported, kind: .directory) }
        let unique = "\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
        // A name near NAME_MAX has no room for the suffix: the temporary file then gets a short name of its own.
        let stem = fileName.utf8.count + unique.utf8.count + 2 <= Int(NAME_MAX) ? fileName : "payloadlab"
        let temporary = "\(directory).\(stem).\(unique)"
        TemporaryPaths.register(temporary, isDirectory: false)
        defer { TemporaryPaths.unregister(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        // Errors name the file asked for; the temporary name is an implementation detail.
        guard descriptor >= 0 else { throw .cannotCreate(path: reported, reason: errorText()) }
        var failure: AtomicFileError?
        if let mode, fchmod(descriptor, mode) != 0 { failure = .cannotWrite(path: reported, reason: errorText()) }
        if failure == nil {
            bytes.withUnsafeBytes { raw in
                do throws(DescriptorError) { try DescriptorIO.writeAll(descriptor, raw) } catch { failure = .cannotWrite(path: reported, reason: reason(error)) }
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = .cannotWrite(path: reported, reason: errorText()) }
        if close(descriptor) != 0 && failure == nil { failure = .cannotWrite(path: reported, reason: errorText()) }
        if failure == nil && rename(temporary, path) != 0 {
            failure = .cannotRename(from: temporary, to: path, reason: errorText())
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Writes a character device or FIFO in place: opened without creating or truncating it, every byte written
    /// (a FIFO's open waits for its reader, as `cat > fifo` does). SIGPIPE is blocked on this thread meanwhile, so a
    /// reader that goes away is an error sentence, not the end of the process.
    static func writeThrough(_ path: String, bytes: [UInt8], reportedAs reported: String) throws(AtomicFileError) {
        var descriptor: Int32 = -1
        repeat { descriptor = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw .cannotCreate(path: reported, reason: errorText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotWrite(path: reported, reason: errorText()) }
        let kind = status.st_mode & S_IFMT
        // Replaced by something else between the look and the open: write nothing rather than the wrong thing.
        guard kind == S_IFCHR || kind == S_IFIFO else {
            throw .cannotWrite(path: reported, reason: "it changed type while being opened")
        }
        var failure: AtomicFileError?
        withSIGPIPEBlocked {
            bytes.withUnsafeBytes { raw in
                do throws(DescriptorError) { try DescriptorIO.writeAll(descriptor, raw) } catch { failure = .cannotWrite(path: reported, reason: reason(error)) }
            }
        }
        if let failure { throw failure }
    }

    /// Runs `body` with SIGPIPE blocked on this thread, consuming one raised meanwhile, so a write to a closed FIFO
    /// returns EPIPE. The process-wide disposition is left alone.
    static func withSIGPIPEBlocked(_ body: () -> Void) {
        var pipeOnly = sigset_t()
        var previous = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var pendingBefore = sigset_t()
        sigpending(&pendingBefore)
        let wasPending = sigismember(&pendingBefore, SIGPIPE) == 1
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        body()
        var pendingAfter = sigset_t()
        sigpending(&pendingAfter)
        if !wasPending && sigismember(&pendingAfter, SIGPIPE) == 1 {
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeOnly, nil, &zero)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    /// The whole content of the file at `path`.
    public static func read(_ path: String) throws(AtomicFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotRead(path: path, reason: errorText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, reason: errorText()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotRead(path: path, reason: "it is not a regular file")
        }
        let size = Int(status.st_size)
        var failure: AtomicFileError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            do throws(DescriptorError) {
                while initialized < size {
                    let rest = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[initialized..<size])
                    let got = try DescriptorIO.read(descriptor, into: rest)
                    if got == 0 { break }  // the file shrank while being read: keep what is there
                    initialized += got
                }
            } catch {
                failure = .cannotRead(path: path, reason: reason(error))
            }
        }
        if let failure { throw failure }
        return bytes
    }

    static func errorText() -> String {
        SystemErrorText.describe(errno)
    }

    static func reason(_ error: DescriptorError) -> String {
        if case .system(_, let code) = error { return SystemErrorText.describe(code) }
        return error.description
    }
}

/// A file that could not be written or read.
public enum AtomicFileError: Error, CustomStringConvertible, Equatable, Sendable {
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRename(from: String, to: String, reason: String)
    case cannotRead(path: String, reason: String)
    /// The path names something that is not written as a file: a directory, a block device, a socket.
    case notAFile(path: String, kind: SpecialKind)

    /// What a path that cannot be written as a file names.
    public enum SpecialKind: String, Equatable, Sendable {
        case directory = "a directory"
        case blockDevice = "a block device"
        case socket = "a socket"
    }

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            return "Cannot create '\(path)' (\(reason)); check that the directory exists and is writable."
        case .cannotWrite(let path, let reason):
            return "Cannot write '\(path)' (\(reason)); check the free space and try again."
        case .cannotRename(let from, let to, let reason):
            return "Cannot rename '\(from)' to '\(to)' (\(reason)); check the directory's permissions."
        case .cannotRead(let path, let reason):
            return "Cannot read '\(path)' (\(reason)); check the path and its permissions."
        case .notAFile(let path, let kind):
            return "Cannot write '\(path)': it is \(kind.rawValue); name a regular file, a new path, a character device or a FIFO."
        }
    }
}
