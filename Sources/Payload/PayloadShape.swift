/// The kinds of object payloadlab generates; each stands for a kind of data teams hand to workers.
public enum PayloadShape: String, CaseIterable, Codable, Sendable, Hashable {
    /// Random, incompressible bytes (images, already-compressed files).
    case blob
    /// Compressible UTF-8 lines of words (logs, documents).
    case text
    /// A large array of Double (tensors, time series).
    case numeric
    /// An array of small structs (rows as services exchange them).
    case records
    /// A nested document of maps, arrays, strings and numbers (a pointer-heavy object graph).
    case tree
}
