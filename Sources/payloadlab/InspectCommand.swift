import ArgumentParser
import Units
import Codec
import Platform
import Payload

/// `payloadlab inspect`: decodes a payload file and describes it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Decode a payload file and print its shape, codec, size, element count and checksum.",
        discussion: "The codec is detected from the bytes unless --codec names it. A damaged file is reported in one "
            + "sentence with exit status 1."
    )

    @Argument(help: "The payload file.")
    var file: String

    @Option(help: "The codec to decode with, instead of detecting it.")
    var codec: String?

    func validate() throws {
        if let codec { _ = try CommandParsing.codec(codec) }
    }

    func run() throws {
        let bytes = try CommandParsing.orFail { try AtomicFile.read(file) }
        let name = try CommandParsing.orFail {
            if let named = self.codec { return named }
            if let detected = bytes.withUnsafeBytes({ Codecs.detect($0) }) { return detected }
            // A zstd frame whose start does not decompress: decoding names what is wrong with it.
            if bytes.starts(with: ZstdCodec.frameMagic) { return "binary+zstd" }
            throw InspectFailure(message: "Cannot tell which codec wrote '\(file)' (it is neither binary, flat, "
                + "JSON, a property list nor zstd); name it with --codec.")
        }
        let decoder = try CommandParsing.codec(name)
        let start = MonotonicClock.now()
        let payload = try CommandParsing.orFail { try bytes.withUnsafeBytes { try decoder.decode($0) } }
        let seconds = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
        let lines = [
            ("file", file),
            ("codec", self.codec == nil ? "\(name) (detected)" : name),
            ("shape", payload.shape.rawValue),
            ("encoded", "\(bytes.count) bytes (\(Formatting.bytes(Double(bytes.count))))"),
            ("elements", "\(payload.elementCount)"),
            ("checksum", CommandParsing.hex(payload.checksum)),
            ("decoded", "in \(Formatting.seconds(seconds))"),
        ]
        for (label, value) in lines {
            try StandardOutput.line(label.padding(toLength: 10) + value)
        }
    }
}

/// A failure of `inspect` that is not a codec's: its message is the sentence to print.
struct InspectFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
