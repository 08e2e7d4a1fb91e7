import ArgumentParser
import Calibration

/// `payloadlab pipe-sink`: the child side of the calibration's raw pipe measurement (see `PipeSink`).
/// Hidden: `payloadlab calibrate` starts it; a user never needs to.
struct PipeSinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipe-sink",
        abstract: "Read stdin to the end, discarding it, and report the byte count and last-byte time (calibration helper).",
        shouldDisplay: false
    )

    func run() throws {
        let code = PipeSink.run(input: 0, output: 1)
        if code != 0 { throw ExitCode(code) }
    }
}
