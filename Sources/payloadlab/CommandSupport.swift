import ArgumentParser
import Foundation

/// Ends the command with one sentence on stderr and an exit status: 64 for usage errors, 1 for runtime failures.
enum CommandFailure {
    static func usage(_ message: String) -> ExitCode {
        printError(message)
        return ExitCode(64)
    }

    static func runtime(_ message: String) -> ExitCode {
        printError(message)
        return ExitCode(1)
    }

    static func printError(_ message: String) {
        StandardError.write("payloadlab: \(message)\n")
    }
}

/// The comma-separated values of an option such as `--shapes records,blob`.
func commaSeparated(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
