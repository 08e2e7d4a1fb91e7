import Foundation

/// Writes result and report files so a reader never sees half of one: through `PayloadFile`'s temporary file in
/// the same directory, synced, then renamed into place.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        try PayloadFile.write([UInt8](data), to: path)
    }

    public static func write(_ text: String, to path: String) throws {
        try PayloadFile.write(Array(text.utf8), to: path)
    }
}
