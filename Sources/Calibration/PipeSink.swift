import CPlatform
import Glibc
import Platform

/// The child side of the raw pipe measurement: reads its input to the end into one reused buffer and discards it.
///
/// Protocol on `output`, as text lines:
/// 1. `ready` once its receive buffer is allocated and touched, so the parent starts its clock only when the
///    child can read (process start-up is not counted as transfer time);
/// 2. `<bytes> <ns>` after end of file: the number of bytes read and the CLOCK_MONOTONIC stamp (nanoseconds)
///    taken right after the last read that returned data. CLOCK_MONOTONIC is shared by every process on the
///    machine, so the parent computes bandwidth from its own start stamp to this one.
///
/// `payloadlab pipe-sink` (a hidden subcommand) runs this with stdin and stdout.
public enum PipeSink {
    /// Size of the reused receive buffer: as large as the writer's chunks, so a read can take a whole pipe buffer.
    public static let bufferBytes = 1 << 20

    /// The line the sink writes before it reads.
    public static let readyLine = "ready\n"

    /// Runs the sink. Returns the process exit code: 0 on success, 1 if reading or reporting failed (with one
    /// sentence on stderr).
    public static func run(input: Int32, output: Int32) -> Int32 {
        run(input: input, output: output, errorOutput: 2)
    }

    /// `run(input:output:)` writing its error sentence to `errorOutput` instead of stderr (for tests).
    static func run(input: Int32, output: Int32, errorOutput: Int32) -> Int32 {
        func fail(_ message: String) -> Int32 {
            try? DescriptorIO.writeAll(errorOutput, message + "\n")
            return 1
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferBytes, alignment: 4096)
        defer { buffer.deallocate() }
        // Touch every page now: first-touch page faults are not pipe bandwidth.
        memset(buffer, 0, bufferBytes)

        do throws(DescriptorError) {
            try DescriptorIO.writeAll(output, readyLine)
        } catch {
            return fail("pipe-sink could not write to its stdout (\(reason(error))); run it from payloadlab calibrate, which reads that output.")
        }
        var total = 0
        var lastByteNs = pl_monotonic_ns()
        while true {
            let n: Int
            do throws(DescriptorError) {
                n = try DescriptorIO.read(input, into: UnsafeMutableRawBufferPointer(start: buffer, count: bufferBytes))
            } catch {
                return fail("pipe-sink could not read its stdin (\(reason(error))); give it a pipe or a file.")
            }
            if n == 0 { break }
            lastByteNs = pl_monotonic_ns()
            total += n
        }
        do throws(DescriptorError) {
            try DescriptorIO.writeAll(output, "\(total) \(lastByteNs)\n")
        } catch {
            return fail("pipe-sink could not write its report to stdout (\(reason(error))); run it from payloadlab calibrate, which reads that output.")
        }
        return 0
    }

    private static func reason(_ error: DescriptorError) -> String {
        if case .system(_, let code) = error { return CalibrationError.text(code) }
        return error.description
    }

    /// Parses the sink's full output (`ready\n<bytes> <ns>\n`) into the byte count and the last-byte stamp.
    static func parseReport(_ text: String) -> (bytes: Int, lastByteNs: UInt64)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 3, lines[0] == "ready", lines[2].isEmpty else { return nil }
        let fields = lines[1].split(separator: " ")
        guard fields.count == 2, let bytes = Int(fields[0]), bytes >= 0, let ns = UInt64(fields[1]) else { return nil }
        return (bytes, ns)
    }
}
