import ArgumentParser
import Foundation
import Units
import Results
import Platform
import Calibration
import Report

/// `payloadlab calibrate`: this machine's limits (memcpy, raw pipe, loopback TCP, disk write, zstd, spawn, thread start).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Measure this machine's limits: memcpy, raw pipe, loopback TCP, disk write, zstd, process spawn and thread start.",
        discussion: """
            Each figure is the median of several repetitions after a warm-up. Bandwidths move --size bytes per \
            repetition (zstd uses at most 64MB of generated text). Pipe bandwidth is measured with writer and reader \
            pinned to two different CPUs (the figure a busy pool sees) and to one. TCP over loopback is one \
            connection to a child process (bandwidth), a 64-byte ping-pong (round trip, p50) and a connect: the \
            upper bound of a real network. The disk measurement writes to --scratch and removes its files.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "A writable directory for the disk-write measurement (default: the temporary directory).")
    var scratch: String?

    @Option(parsing: .unconditional, help: "Bytes per bandwidth repetition, such as 64MB or 1GiB.")
    var size: String = "256MB"

    @Option(help: "Output format: text (a table) or json (the Calibration object).")
    var format: Format = .text

    func validate() throws {
        do {
            let bytes = try ByteSize(parsing: size).bytes
            guard bytes >= Calibrator.chunkBytes else { throw CalibrationError.sizeTooSmall(bytes: bytes) }
        } catch let error as UnitsError {
            throw CommandFailure.usage(error.description)
        } catch let error as CalibrationError {
            throw CommandFailure.usage(ErrorSentences.calibration(error, sizeFlag: "--size"))
        }
    }

    func run() throws {
        let sizeBytes = try ByteSize(parsing: size).bytes
        let scratchDirectory = scratch ?? FileManager.default.temporaryDirectory.path
        guard let executable = ExecutableLocator.current() else {
            throw CommandFailure.runtime("payloadlab cannot find its own executable through /proc/self/exe; run it on Linux with /proc mounted.")
        }
        let calibrator = Calibrator(
            scratchDirectory: scratchDirectory, sizeBytes: sizeBytes, helperExecutable: executable,
            copyThreads: Swift.min(2, Cores.available))
        // Ctrl-C, SIGTERM or SIGHUP stops the measurement within one write; its scratch files go on the way out.
        let signals = SignalWatcher { signal in
            StandardError.write("\npayloadlab: stopping the calibration (\(SignalWatcher.label(signal)))…\n")
        }
        defer { signals.cancel() }
        let calibration: Calibration
        do {
            calibration = try calibrator.run { line in
                StandardError.write("calibrate: " + line + "\n")
            }
        } catch {
            throw CommandFailure.runtime(ErrorSentences.calibration(error, sizeFlag: "--size"))
        }
        let text: String
        switch format {
        case .text:
            text = calibration.renderedText()
        case .json:
            do {
                text = try calibration.renderedJSON()
            } catch {
                throw CommandFailure.runtime("The calibration could not be written as JSON (\(error)); run with --format text.")
            }
        }
        try StandardOutput.write(text)
    }
}
