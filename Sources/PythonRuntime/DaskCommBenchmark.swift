import Foundation
import Platform
import Results

/// Runs the driver's `dask-comm` command: Dask's own comm (`distributed.comm`) between the driver and a child
/// interpreter on 127.0.0.1, with no scheduler and no task, at each size asked. The yardstick a Dask transfer is
/// set against besides raw TCP (`DaskCommBaseline`).
public struct DaskCommBenchmark {
    /// The driver's request.
    struct Request: Encodable {
        var `protocol` = 1
        var sizes: [Int]
        var rounds: Int
        var timeoutSeconds: Double
    }

    public var interpreter: PythonInterpreter
    public var driver: String

    public init(interpreter: PythonInterpreter, driver: String) {
        self.interpreter = interpreter
        self.driver = driver
    }

    /// Times `rounds` messages of each size (after one untimed message) and a small round trip; a driver error line
    /// becomes `.driverFailed`, a silent or crashed driver `.driverExited`.
    public func run(sizes: [Int], rounds: Int = 5, timeoutSeconds: Double) throws(PythonRuntimeError) -> DaskCommBaseline {
        let input: String
        let output: ChildOutput
        do {
            let request = Request(sizes: sizes, rounds: rounds, timeoutSeconds: timeoutSeconds)
            input = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            // Every message may take the per-message timeout; the child's start-up gets one more.
            let whole = timeoutSeconds * Double(sizes.count * (rounds + 1) + 2)
            output = try ChildOutput.run(interpreter.path, [driver, "dask-comm"], stdin: input, timeoutSeconds: whole)
        } catch {
            throw .driverFailed(kind: "internal", message: "The Python driver's dask-comm could not run: \(error).")
        }
        return try Self.gather(output.stdout, python: interpreter.version, status: output.termination, stderr: output.stderr)
    }

    /// The baseline in the driver's `dask-comm` lines; exposed for tests of malformed output.
    static func gather(
        _ stdout: String, python: String, status: ChildProcess.Termination, stderr: String
    ) throws(PythonRuntimeError) -> DaskCommBaseline {
        struct ReadingLine: Decodable { var sizeBytes: Int; var rounds: Int; var medianNs: Int64; var bestNs: Int64 }
        struct DoneLine: Decodable { var roundTripNs: Int64 }
        var readings: [DaskCommBaseline.Reading] = []
        var roundTrip: Double?
        let decoder = JSONDecoder()
        try DriverLines.forEach(stdout) { event, data in
            switch event {
            case "daskComm":
                let reading = try decoder.decode(ReadingLine.self, from: data)
                readings.append(DaskCommBaseline.Reading(
                    sizeBytes: reading.sizeBytes, rounds: reading.rounds,
                    medianSeconds: Double(reading.medianNs) / 1e9, bestSeconds: Double(reading.bestNs) / 1e9))
            case "done":
                roundTrip = Double(try decoder.decode(DoneLine.self, from: data).roundTripNs) / 1e9
            default:
                break
            }
        }
        guard let roundTrip else { throw .driverExited(status: status.summary, stderr: stderr) }
        return DaskCommBaseline(readings: readings, roundTripSeconds: roundTrip, python: python)
    }
}
