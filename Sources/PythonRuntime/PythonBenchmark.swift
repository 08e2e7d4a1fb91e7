#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform

/// Runs the driver's `bench` command: the yardsticks for CPython measurements (the driver's own overhead per task
/// against a hand-written submit loop, and its pickle rates against `python3 -m timeit`), in one child process.
public struct PythonBenchmark {
    public var interpreter: PythonInterpreter
    public var driver: String

    public init(interpreter: PythonInterpreter, driver: String) {
        self.interpreter = interpreter
        self.driver = driver
    }

    /// Runs `request` to the end (the driver cleans up its pools and scratch files on every path) and gathers its
    /// lines; a driver error line becomes `.driverFailed`, a silent or crashed driver `.driverExited`.
    public func run(_ request: PythonBenchmarkRequest, timeoutSeconds: Double = 3600) throws(PythonRuntimeError)
        -> PythonBenchmarkResult
    {
        let input: String
        let output: ChildOutput
        do {
            input = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            output = try ChildOutput.run(interpreter.path, [driver, "bench"], stdin: input, timeoutSeconds: timeoutSeconds)
        } catch {
            throw .driverFailed(kind: "internal", message: "The Python driver's bench could not run: \(error).")
        }
        var result = try Self.gather(output.stdout, python: interpreter.version, status: output.termination, stderr: output.stderr)
        result.overheadSizeBytes = request.overheadSizeBytes
        return result
    }

    /// The result in the driver's `bench` lines; exposed for tests of malformed output.
    static func gather(
        _ stdout: String, python: String, status: ChildProcess.Termination, stderr: String
    ) throws(PythonRuntimeError) -> PythonBenchmarkResult {
        var result = PythonBenchmarkResult(python: python, overheadSizeBytes: 0, overhead: [], pickle: [])
        var finished = false
        let decoder = JSONDecoder()
        try DriverLines.forEach(stdout) { event, data in
            switch event {
            case "overhead": result.overhead.append(try decoder.decode(PythonBenchmarkResult.OverheadRound.self, from: data))
            case "pickle": result.pickle.append(try decoder.decode(PythonBenchmarkResult.PicklePair.self, from: data))
            case "done": finished = true
            default: break
            }
        }
        guard finished else { throw .driverExited(status: status.summary, stderr: stderr) }
        return result
    }
}
