import Foundation
@testable import PayloadLab

/// Paths of the repository's `fixtures/` files, found from this source file's location.
enum Fixtures {
    static func url(_ relative: String, file: String = #filePath) -> URL {
        var root = URL(fileURLWithPath: file)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        return root.appendingPathComponent("fixtures").appendingPathComponent(relative)
    }
}

/// The built payloadlab executable that process pools start as workers; a test that needs it fails without it.
enum TestExecutable {
    static func path() throws -> String {
        guard let path = ExecutableLocator.payloadlab() else {
            throw TestSetupError("The payloadlab executable was not found; build it first (`swift build --build-tests`) or set PAYLOADLAB_EXECUTABLE.")
        }
        return path
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = try ScratchDirectory.create(in: FileManager.default.temporaryDirectory.path)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The names of the files inside.
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}
