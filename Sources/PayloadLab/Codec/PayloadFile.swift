#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Encoded payloads on disk: written whole or not at all, read whole.
public enum PayloadFile {
    /// Writes `bytes` to `path` through a temporary file in the same directory that is synced and then renamed over
    /// `path`, so a failure never leaves a half-written payload under the final name.
    public static func write(_ bytes: [UInt8], to path: String) throws(PayloadFileError) {
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let fileName = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        guard !fileName.isEmpty else { throw .cannotCreate(path: path, reason: "the path names a directory") }
        let temporary = "\(directory).\(fileName).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
        TemporaryPaths.register(temporary, isDirectory: false)
        defer { TemporaryPaths.unregister(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        // Errors name the file asked for; the temporary name is an implementation detail.
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: errorText()) }
        var failure: PayloadFileError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = Glibc.write(descriptor, base + offset, min(buffer.count - offset, 1 << 30))
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = .cannotWrite(path: path, reason: errorText())
                    return
                }
                offset += written
            }
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
    public static func read(_ path: String) throws(PayloadFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotRead(path: path, reason: errorText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, reason: errorText()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotRead(path: path, reason: "it is not a regular file")
        }
        let size = Int(status.st_size)
        var failure: PayloadFileError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            while initialized < size, let base = buffer.baseAddress {
                let got = Glibc.read(descriptor, base + initialized, min(size - initialized, 1 << 30))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = .cannotRead(path: path, reason: errorText())
                    return
                }
                if got == 0 { break }  // the file shrank while being read: keep what is there
                initialized += got
            }
        }
        if let failure { throw failure }
        return bytes
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// A payload file that could not be written or read.
public enum PayloadFileError: Error, CustomStringConvertible, Equatable, Sendable {
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
