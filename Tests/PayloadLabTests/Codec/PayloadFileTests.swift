import Foundation
import Testing
@testable import PayloadLab

@Suite("Payload files")
struct PayloadFileTests {
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "payloadlab-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAndReadsBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = try BinaryCodec().encode(Payload.generate(shape: .records, sizeBytes: 50_000, seed: 1))
        try PayloadFile.write(bytes, to: "\(directory)/records.plb")
        #expect(try PayloadFile.read("\(directory)/records.plb") == bytes)
        // Overwriting replaces the file whole and leaves no temporary file behind.
        try PayloadFile.write([1, 2, 3], to: "\(directory)/records.plb")
        #expect(try PayloadFile.read("\(directory)/records.plb") == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["records.plb"])
    }

    @Test func failureLeavesNoFileAndNamesThePath() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = "\(directory)/no/such/dir/out.plb"
        #expect(throws: PayloadFileError.self) { try PayloadFile.write([1], to: missing) }
        do {
            try PayloadFile.write([1], to: missing)
        } catch {
            #expect(error.description.contains("'\(missing)'"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func readingAMissingFileOrADirectoryThrows() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: PayloadFileError.self) { try PayloadFile.read("\(directory)/absent") }
        #expect(throws: PayloadFileError.cannotRead(path: directory, reason: "it is not a regular file")) {
            try PayloadFile.read(directory)
        }
    }
}
