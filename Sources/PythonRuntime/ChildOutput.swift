#if canImport(Glibc)
import Glibc
#endif
import Platform
import Units

/// A short-lived child run to completion with its stdout and stderr captured, within a time limit.
struct ChildOutput {
    var stdout: String
    var stderr: String
    var termination: ChildProcess.Termination

    /// Runs `path` with `arguments`, feeding `stdin` (or an empty stdin), and kills it after `timeoutSeconds`.
    static func run(_ path: String, _ arguments: [String], stdin: String?, timeoutSeconds: Double) throws -> ChildOutput {
        var input = try DescriptorIO.pipe()
        var output = try DescriptorIO.pipe()
        var errors = try DescriptorIO.pipe()
        defer {
            DescriptorIO.close(&input.read); DescriptorIO.close(&input.write)
            DescriptorIO.close(&output.read); DescriptorIO.close(&output.write)
            DescriptorIO.close(&errors.read); DescriptorIO.close(&errors.write)
        }
        let child = try ChildProcess.spawn(
            executable: path, arguments: arguments,
            descriptors: [(input.read, 0), (output.write, 1), (errors.write, 2)])
        defer { child.killAndReap() }
        DescriptorIO.close(&input.read)
        DescriptorIO.close(&output.write)
        DescriptorIO.close(&errors.write)
        if let stdin { try DescriptorIO.writeAll(input.write, stdin) }
        DescriptorIO.close(&input.write)
        let deadline = Deadline(secondsFromNow: timeoutSeconds)
        let out = try LineReader(output.read).readAll(deadline: deadline)
        let err = (try? LineReader(errors.read).readAll(deadline: deadline)) ?? ""
        let end = child.wait(upTo: max(0.1, Double(Int64(deadline.instant) - Int64(MonotonicClock.now())) / 1e9))
        return ChildOutput(stdout: out, stderr: err, termination: end)
    }
}
