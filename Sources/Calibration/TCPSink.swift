import CPlatform
import Glibc
import Platform
import Units

/// The child side of the loopback TCP measurements: connects to 127.0.0.1:`port`, where the calibrating parent
/// listens, and either reads everything to end of file into one reused buffer (`.sink`) or sends every byte back as
/// it arrives (`.echo`, for the round-trip time).
///
/// Protocol on `output`, as text lines, as `PipeSink`'s:
/// 1. `ready` once connected and its receive buffer is allocated and touched, so the parent starts its clock only
///    when the child can read;
/// 2. `<bytes> <ns>` after end of file: the bytes read and the CLOCK_MONOTONIC stamp taken right after the last
///    read that returned data (shared by every process on the machine).
///
/// `payloadlab tcp-sink --port PORT [--echo]` (a hidden subcommand) runs this with stdout.
public enum TCPSink {
    /// What the sink does with the bytes it reads.
    public enum Mode: Sendable, Equatable {
        /// Discards them (bandwidth).
        case sink
        /// Writes each one back at once, with Nagle's algorithm off (round-trip time).
        case echo
    }

    /// Size of the reused receive buffer.
    public static let bufferBytes = 1 << 20

    /// How long the sink waits for its connection to be accepted before giving up.
    static let connectSeconds = 10.0

    /// Runs the sink. Returns the process exit code: 0 on success, 1 when connecting, reading, echoing or reporting
    /// failed (with one sentence on stderr).
    public static func run(port: UInt16, mode: Mode, output: Int32) -> Int32 {
        run(port: port, mode: mode, output: output, errorOutput: 2)
    }

    /// `run(port:mode:output:)` writing its error sentence to `errorOutput` instead of stderr (for tests).
    static func run(port: UInt16, mode: Mode, output: Int32, errorOutput: Int32) -> Int32 {
        func fail(_ message: String) -> Int32 {
            try? DescriptorIO.writeAll(errorOutput, message + "\n")
            return 1
        }
        var connection: Int32
        do throws(DescriptorError) {
            connection = try LoopbackSocket.connect(port: port, deadline: Deadline(secondsFromNow: connectSeconds))
            if mode == .echo { try LoopbackSocket.setNoDelay(connection) }
        } catch {
            return fail("tcp-sink could not connect to 127.0.0.1:\(port) (\(reason(error))); run it from payloadlab calibrate, which listens there.")
        }
        defer { DescriptorIO.close(&connection) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferBytes, alignment: 4096)
        defer { buffer.deallocate() }
        // Touch every page now: first-touch page faults are not network bandwidth.
        memset(buffer, 0, bufferBytes)

        do throws(DescriptorError) {
            try DescriptorIO.writeAll(output, PipeSink.readyLine)
        } catch {
            return fail("tcp-sink could not write to its stdout (\(reason(error))); run it from payloadlab calibrate, which reads that output.")
        }
        var total = 0
        var lastByteNs = pl_monotonic_ns()
        while true {
            let n: Int
            do throws(DescriptorError) {
                n = try DescriptorIO.read(connection, into: UnsafeMutableRawBufferPointer(start: buffer, count: bufferBytes))
            } catch {
                return fail("tcp-sink could not read from 127.0.0.1:\(port) (\(reason(error))); the calibrating parent went away, so run payloadlab calibrate again.")
            }
            if n == 0 { break }
            lastByteNs = pl_monotonic_ns()
            total += n
            if mode == .echo {
                do throws(DescriptorError) {
                    try DescriptorIO.writeAll(connection, UnsafeRawBufferPointer(start: buffer, count: n))
                } catch {
                    return fail("tcp-sink could not echo to 127.0.0.1:\(port) (\(reason(error))); the calibrating parent went away, so run payloadlab calibrate again.")
                }
            }
        }
        do throws(DescriptorError) {
            try DescriptorIO.writeAll(output, "\(total) \(lastByteNs)\n")
        } catch {
            return fail("tcp-sink could not write its report to stdout (\(reason(error))); run it from payloadlab calibrate, which reads that output.")
        }
        return 0
    }

    private static func reason(_ error: DescriptorError) -> String {
        if case .system(_, let code) = error { return CalibrationError.text(code) }
        return Sentence.clause(error.description)
    }
}
