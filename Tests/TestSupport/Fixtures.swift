import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Platform

/// Paths of the repository's `fixtures/` files, found from this source file's location.
public enum Fixtures {
    public static func url(_ relative: String, file: String = #filePath) -> URL {
        var root = URL(fileURLWithPath: file)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        return root.appendingPathComponent("fixtures").appendingPathComponent(relative)
    }
}

/// The built payloadlab executable that process pools start as workers; a test that needs it fails without it.
public enum TestExecutable {
    public static func path() throws -> String {
        guard let path = ExecutableLocator.payloadlab() else {
            throw TestSetupError("The payloadlab executable was not found; build it first (`swift build --build-tests`) or set PAYLOADLAB_EXECUTABLE.")
        }
        return path
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A fresh temporary directory, removed by `remove()`.
public struct TemporaryDirectory {
    public let path: String

    public init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/payloadlab-test-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw TestSetupError("Cannot create a temporary directory.")
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The names of the files inside.
    public var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}
