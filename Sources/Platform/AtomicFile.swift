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
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(AtomicFileError) {
        try write([UInt8](data), to: path)
    }

    public static func write(_ text: String, to path: String) throws(AtomicFileError) {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` through a temporary file in the same directory that is synced and then renamed over
    /// `path`, so a failure never leaves a half-written payload under the final name.
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let fileName = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        guard !fileName.isEmpty else { throw .cannotCreate(path: path, reason: "the path names a directory") }
        let temporary = "\(directory).\(fileName).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
        TemporaryPaths.register(temporary, isDirectory: false)
        defer { TemporaryPaths.unregister(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        // Errors name the file asked for; the temporary name is an implementation detail.
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: errorText()) }
        var failure: AtomicFileError?
        bytes.withUnsafeBytes { raw in
            do throws(DescriptorError) { try DescriptorIO.writeAll(descriptor, raw) } catch { failure = .cannotWrite(path: path, reason: reason(error)) }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = .cannotWrite(path: path, reason: errorText()) }
        if close(descriptor) != 0 && failure == nil { failure = .cannotWrite(path: path, reason: errorText()) }
        if failure == nil && rename(temporary, path) != 0 {
            failure = .cannotRename(from: temporary, to: path, reason: errorText())
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
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
        }
    }
}
