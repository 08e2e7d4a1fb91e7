import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Platform

/// The executable's only way to its standard streams: raw writes through `DescriptorIO`, no Foundation
/// `FileHandle` (which traps on EPIPE, EBADF and ENOSPC) and no buffered `print` (whose errors are lost at exit).
enum StandardStreams {
    /// Run first by `main`: a closed reader must come back as EPIPE, not kill the process with SIGPIPE; and a closed
    /// stdin, stdout or stderr (`2>&-`) gets a placeholder, so the next file opened cannot take its number and
    /// receive progress lines. The placeholder is read-only: writes to it fail (EBADF) as they would have.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let placeholder = open("/dev/null", O_RDONLY)
            if placeholder >= 0 && placeholder != fd {
                dup2(placeholder, fd)
                close(placeholder)
            }
        }
    }
}

/// Writes progress, warnings and error sentences to stderr. Best effort: a closed, full or broken stderr is ignored,
/// so the command goes on and saves what it measured.
enum StandardError {
    static func write(_ text: String) {
        try? DescriptorIO.writeAll(STDERR_FILENO, text)
    }
}

/// Writes a command's results to stdout.
enum StandardOutput {
    /// Why stdout took no more output.
    enum Failure: Error, Equatable {
        /// The reader went away (EPIPE), as with `| head`.
        case closed
        /// Any other error (ENOSPC, EBADF, EIO).
        case failed(errno: Int32)

        /// The sentence for a failure other than `.closed`.
        func sentence(saved: String?) -> String {
            let code: Int32
            switch self {
            case .closed: code = EPIPE
            case .failed(let errno): code = errno
            }
            let reason = SystemErrorText.describe(code)
            if let saved { return "Could not write to standard output (\(reason)); \(saved)" }
            return "Could not write to standard output (\(reason)); the output is incomplete: redirect it to a file on a disk with room."
        }

        /// How the command ends: quietly with status 0 when the reader left, else with the sentence and status 1.
        func exitCode(saved: String? = nil) -> ExitCode {
            if self == .closed { return .success }
            return CommandFailure.runtime(sentence(saved: saved))
        }
    }

    /// Writes `text`, or says why stdout took it not.
    static func attempt(_ text: String) -> Failure? {
        do throws(DescriptorError) {
            try DescriptorIO.writeAll(STDOUT_FILENO, text)
            return nil
        } catch {
            if case .system(_, let code) = error { return code == EPIPE ? .closed : .failed(errno: code) }
            return .failed(errno: EIO)
        }
    }

    /// Writes `text`; a failure ends the command (quietly on EPIPE, with one sentence and status 1 otherwise).
    static func write(_ text: String) throws(ExitCode) {
        if let failure = attempt(text) { throw failure.exitCode() }
    }

    /// Writes `text` and a newline.
    static func line(_ text: String) throws(ExitCode) {
        try write(text + "\n")
    }
}
