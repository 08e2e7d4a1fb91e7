#if canImport(Glibc)
import Glibc
#endif
import Platform
import Units

/// A sweep's own scratch directory: created with a unique name, and removed with everything in it.
public enum ScratchDirectory {
    /// Creates `<parent>/payloadlab-XXXXXX`.
    public static func create(in parent: String) throws(SweepError) -> String {
        guard FilesystemInfo.exists(parent) else { throw .directoryMissing(.scratch, path: parent) }
        guard FilesystemInfo.isWritableDirectory(parent) else {
            throw .directoryNotWritable(.scratch, path: parent)
        }
        var template = Array((parent + "/payloadlab-XXXXXX").utf8CString)
        let created: UnsafeMutablePointer<CChar>? = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw .directoryNotWritable(.scratch, path: parent) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        TemporaryPaths.register(path, isDirectory: true)
        return path
    }

    /// Removes the files directly inside `path`, then `path` itself.
    public static func remove(_ path: String) {
        TemporaryPaths.removeFiles(in: path)
        rmdir(path)
        TemporaryPaths.unregister(path)
    }
}
