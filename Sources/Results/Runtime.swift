/// The language whose pipeline a point measured: payloadlab's own Swift workers and threads, or CPython's own
/// `pickle` and `concurrent.futures` pools run by the driver in `Sources/PythonRuntime`.
public enum Runtime: String, Codable, CaseIterable, Sendable, Hashable, Comparable {
    case swift
    case python

    /// The codec name a point of this runtime carries: Swift points name their codec; CPython always pickles.
    public static let pythonCodec = "pickle"

    public static func < (lhs: Runtime, rhs: Runtime) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
