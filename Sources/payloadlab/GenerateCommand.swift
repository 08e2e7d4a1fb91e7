import ArgumentParser
import Foundation
import Units
import Payload
import Platform
import Codec

extension PayloadShape: ExpressibleByArgument {}

/// `payloadlab generate`: writes a generated payload, encoded with a codec, to a file.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a generated payload to a file, encoded with a codec.",
        discussion: "The same shape, size and seed always give the same payload. The file is written to a temporary "
            + "name and renamed, so a failure leaves no partial file."
    )

    @Option(help: "The payload's shape: \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: PayloadShape

    @Option(parsing: .unconditional, help: "The size of its binary encoding, such as 64KB, 200MB or 1GiB.")
    var size: String

    @Option(help: "Selects the content; the same seed gives the same payload.")
    var seed: UInt64 = 1

    @Option(help: "The codec: binary, json, plist, raw (blob, numeric), flat (records), or any of them followed by +zstd[:LEVEL].")
    var codec: String = "binary"

    @Option(help: "For --shape tree: the deepest nesting of maps and arrays (1–64).")
    var depth: Int = Payload.defaultTreeDepth

    @Option(name: .customLong("fan-out"), help: "For --shape tree: the most children of one map or array.")
    var fanOut: Int = Payload.defaultTreeFanOut

    @Option(name: [.short, .long], help: "The file to write.")
    var output: String

    func validate() throws {
        _ = try CommandParsing.size(size)
        _ = try CommandParsing.codec(codec)
        let held = Codecs.shapes(heldBy: codec)
        if !held.contains(shape) {
            throw CommandFailure.usage(ErrorSentences.codecCannotHoldShape(
                codec: codec, shape: shape,
                remedy: "pass --shape \(Codecs.shapeList(held).replacingOccurrences(of: " and ", with: " or ")), "
                    + "or another codec"))
        }
        guard (1...BinaryLayout.maximumTreeDepth).contains(depth) else {
            throw CommandFailure.usage("--depth \(depth) is outside 1…\(BinaryLayout.maximumTreeDepth); pick a depth such as 6.")
        }
        guard (1...1_024).contains(fanOut) else {
            throw CommandFailure.usage("--fan-out \(fanOut) is outside 1…1024; pick a fan-out such as 8.")
        }
    }

    func run() throws {
        let sizeBytes = try CommandParsing.size(size)
        let codec = try CommandParsing.codec(codec)
        let payload = shape == .tree
            ? Payload.generateTree(sizeBytes: sizeBytes, seed: seed, depth: depth, fanOut: fanOut)
            : Payload.generate(shape: shape, sizeBytes: sizeBytes, seed: seed)
        let bytes = try CommandParsing.orFail { try codec.encode(payload) }
        try CommandParsing.orFail { try AtomicFile.write(bytes, to: output) }
        try StandardOutput.line("wrote \(output): \(shape.rawValue), \(codec.name), \(bytes.count) bytes "
            + "(\(Formatting.bytes(Double(bytes.count)))), \(payload.elementCount) elements, "
            + "checksum \(CommandParsing.hex(payload.checksum))")
    }
}

/// Parsing and failure reporting shared by `generate`, `inspect` and `bench codecs`.
enum CommandParsing {
    /// A size such as `64MB`; a bad one is a usage error (exit 64).
    static func size(_ text: String) throws -> Int {
        do {
            return try ByteSize(parsing: text).bytes
        } catch {
            throw CommandFailure.usage(error.description)
        }
    }

    /// A codec by name; an unknown one is a usage error (exit 64).
    static func codec(_ name: String) throws -> any Codec {
        do {
            return try Codecs.named(name)
        } catch {
            throw CommandFailure.usage("\(error)")
        }
    }

    /// Runs `body`; an error is printed as one sentence on standard error and exits with status 1.
    static func orFail<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw CommandFailure.runtime("\(error)")
        }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
