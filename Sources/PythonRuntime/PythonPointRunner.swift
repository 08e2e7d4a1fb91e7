#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Payload
import Platform
import Results
import Units

/// Measures one point in CPython: starts the driver on the request, reads its JSON lines as they come, and
/// assembles the same `PointResult` a Swift point produces, so statistics, model and report treat both alike.
public struct PythonPointRunner {
    public var interpreter: PythonInterpreter
    public var driver: String

    public init(interpreter: PythonInterpreter, driver: String) {
        self.interpreter = interpreter
        self.driver = driver
    }

    /// Runs `request`; never throws for a failed point (the point records why), but stops the driver at once
    /// when `shouldStop` turns true (an interrupt) and removes whatever it left.
    public func measure(
        _ request: PythonPointRequest, point template: PointResult, shouldStop: () -> Bool
    ) -> PointResult {
        var point = template
        point.runtime = .python
        point.codec = Runtime.pythonCodec
        point.gil = 1
        do {
            try run(request, into: &point, shouldStop: shouldStop)
        } catch {
            point.failure = "\(error)"
        }
        point.summarize()
        return point
    }

    private func run(_ request: PythonPointRequest, into point: inout PointResult, shouldStop: () -> Bool) throws {
        var input = try DescriptorIO.pipe()
        var output = try DescriptorIO.pipe()
        let errorPath = "\(request.scratchDirectory)/python-driver-\(getpid()).stderr"
        var errorFile = open(errorPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            DescriptorIO.close(&input.read); DescriptorIO.close(&input.write)
            DescriptorIO.close(&output.read); DescriptorIO.close(&output.write)
            DescriptorIO.close(&errorFile)
            unlink(errorPath)
        }
        let child = try ChildProcess.spawn(
            executable: interpreter.path, arguments: [driver, "run"],
            descriptors: [(input.read, 0), (output.write, 1), (errorFile >= 0 ? errorFile : output.write, 2)])
        defer {
            stop(child)
            SharedMemoryLeftovers.remove(ownerPID: child.pid)
        }
        DescriptorIO.close(&input.read)
        DescriptorIO.close(&output.write)
        let json = try JSONEncoder().encode(request)
        try DescriptorIO.writeAll(input.write, String(decoding: json, as: UTF8.self))
        DescriptorIO.close(&input.write)

        var assembly = PythonPointAssembly(point: point)
        let reader = LineReader(output.read)
        let silence = request.taskTimeoutSeconds * 2 + 120
        var lastLine = MonotonicClock.now()
        while true {
            if shouldStop() {
                point = assembly.point
                throw PythonRuntimeError.driverFailed(kind: "interrupted", message: "Interrupted.")
            }
            guard let next = try nextLine(reader) else {
                if MonotonicClock.seconds(from: lastLine, to: MonotonicClock.now()) > silence {
                    throw PythonRuntimeError.driverSilent(seconds: silence)
                }
                continue
            }
            let line = next.line
            lastLine = MonotonicClock.now()
            guard let line else { break }
            if line.isEmpty { continue }
            guard let decoded = try? JSONDecoder().decode(PythonDriverLine.self, from: Data(line.utf8)) else {
                throw PythonRuntimeError.driverFailed(
                    kind: "protocol",
                    message: "The Python driver sent a line this payloadlab cannot read (\(line.prefix(80))); use the driver shipped with this build.")
            }
            if decoded.event == "error" {
                point = assembly.point
                throw PythonRuntimeError.driverFailed(kind: decoded.kind ?? "internal", message: decoded.message ?? line)
            }
            if assembly.take(decoded, interpreter: interpreter) { break }
        }
        point = assembly.point
        let end = child.wait(upTo: 30)
        point.cpu = CPUUse(
            parentUserSeconds: end.userSeconds, parentSystemSeconds: end.systemSeconds,
            workerUserSeconds: 0, workerSystemSeconds: 0)
        guard assembly.finished else {
            let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw PythonRuntimeError.driverExited(status: end.summary, stderr: stderr)
        }
    }

    /// The next line (nil inside: end of output), or nil when none came within 0.2 s, so the caller can check for
    /// an interrupt between reads.
    private func nextLine(_ reader: LineReader) throws -> (line: String?, Void)? {
        do throws(DescriptorError) {
            return (try reader.next(deadline: Deadline(secondsFromNow: 0.2)), ())
        } catch {
            if case .timedOut = error { return nil }
            throw error
        }
    }

    /// Asks the driver to clean up (SIGINT: it unlinks segments and scratch files, stops its workers), then makes
    /// sure it is gone.
    private func stop(_ child: ChildProcess) {
        guard child.poll() == nil else { return }
        child.signal(SIGINT)
        child.wait(upTo: 10)
    }
}
