import Foundation
import TestSupport

/// Runs the built payloadlab executable as a user would, with a time limit.
struct CommandRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    static func payloadlab(
        _ arguments: [String], timeout: Double = 60, environment: [String: String] = [:],
        executable: String? = nil, whileRunning: ((Process, URL) -> Void)? = nil
    ) throws -> CommandRun {
        let process = Process()
        // `executable` runs something else first (a shell that lowers a limit, then execs payloadlab).
        process.executableURL = URL(fileURLWithPath: try executable ?? TestExecutable.path())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("payloadlab-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        // Data.write, not FileManager.createFile: on Linux the latter writes atomically through a
        // /tmp/TemporaryDirectory.* that Foundation never removes.
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        // Run in a scratch directory, so a default `reports/` never lands in the repository.
        process.currentDirectoryURL = directory
        try process.run()
        whileRunning?(process, errURL)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
            process.waitUntilExit()
        }
        process.waitUntilExit()
        return CommandRun(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
            timedOut: timedOut)
    }
}
