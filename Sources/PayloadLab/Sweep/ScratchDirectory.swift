#if canImport(Glibc)
import Glibc
#endif

/// A sweep's own scratch directory: created with a unique name, and removed with everything in it.
public enum ScratchDirectory {
    /// Creates `<parent>/payloadlab-XXXXXX`.
    public static func create(in parent: String) throws(SweepError) -> String {
        guard FilesystemInfo.exists(parent) else { throw .directoryMissing(flag: "--scratch", path: parent) }
        guard FilesystemInfo.isWritableDirectory(parent) else {
            throw .directoryNotWritable(flag: "--scratch", path: parent)
        }
        var template = Array((parent + "/payloadlab-XXXXXX").utf8CString)
        let created: UnsafeMutablePointer<CChar>? = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw .directoryNotWritable(flag: "--scratch", path: parent) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes the files directly inside `path`, then `path` itself.
    public static func remove(_ path: String) {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                }
                if name == "." || name == ".." { continue }
                unlink(path + "/" + name)
            }
            closedir(dir)
        }
        rmdir(path)
    }
}
