import ArgumentParser
import Foundation
import Calibration

/// `payloadlab tcp-sink --port PORT [--echo]`: the child side of the calibration's loopback TCP measurements (see
/// `TCPSink`). Hidden: `payloadlab calibrate` starts it; a user never needs to.
struct TCPSinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcp-sink",
        abstract: "Connect to 127.0.0.1:PORT, read to the end (or echo with --echo), and report the byte count and last-byte time (calibration helper).",
        shouldDisplay: false
    )

    @Option(parsing: .unconditional, help: "The port on 127.0.0.1 where payloadlab calibrate listens (1…65535).") var port: String
    @Flag(help: "Send every byte back as it arrives (round-trip measurement).") var echo = false

    func validate() throws {
        _ = try parsedPort()
    }

    /// The port, or a usage failure naming the bad value.
    func parsedPort() throws -> UInt16 {
        guard let value = Int(port.trimmingCharacters(in: .whitespaces)), (1...65_535).contains(value) else {
            throw CommandFailure.usage("tcp-sink --port '\(port)' is not a TCP port; give 1 to 65535, the port payloadlab calibrate listens on.")
        }
        return UInt16(value)
    }

    func run() throws {
        let code = TCPSink.run(port: try parsedPort(), mode: echo ? .echo : .sink, output: 1)
        if code != 0 { throw ExitCode(code) }
    }
}
