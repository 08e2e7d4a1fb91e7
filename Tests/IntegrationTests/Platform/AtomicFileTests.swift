import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import Payload
@testable import Codec

extension Integration {
    @Suite("Payload files")
    struct AtomicFileTests {
        func temporaryDirectory() throws -> String {
            let path = NSTemporaryDirectory() + "payloadlab-tests-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }

        @Test func writesAndReadsBack() throws {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let bytes = try BinaryCodec().encode(Payload.generate(shape: .records, sizeBytes: 50_000, seed: 1))
            try AtomicFile.write(bytes, to: "\(directory)/records.plb")
            #expect(try AtomicFile.read("\(directory)/records.plb") == bytes)
            // Overwriting replaces the file whole and leaves no temporary file behind.
            try AtomicFile.write([1, 2, 3], to: "\(directory)/records.plb")
            #expect(try AtomicFile.read("\(directory)/records.plb") == [1, 2, 3])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["records.plb"])
        }

        @Test func failureLeavesNoFileAndNamesThePath() throws {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let missing = "\(directory)/no/such/dir/out.plb"
            #expect(throws: AtomicFileError.self) { try AtomicFile.write([1], to: missing) }
            do {
                try AtomicFile.write([1], to: missing)
            } catch {
                #expect(error.description.contains("'\(missing)'"))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }

        @Test func readingAMissingFileOrADirectoryThrows() throws {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            #expect(throws: AtomicFileError.self) { try AtomicFile.read("\(directory)/absent") }
            #expect(throws: AtomicFileError.cannotRead(path: directory, reason: "it is not a regular file")) {
                try AtomicFile.read(directory)
            }
        }
    }
}
