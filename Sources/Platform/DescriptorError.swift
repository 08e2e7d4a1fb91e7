/// A failure of a descriptor operation: a system call that failed, an early end of file, or a deadline passed.
///
/// Higher layers turn it into their own error (a worker's closed pipe, a scratch disk that filled up), so its
/// own text is only the fallback.
public enum DescriptorError: Error, Equatable, CustomStringConvertible {
    /// A system call failed; `call` names it, `errno` is its error number.
    case system(call: String, errno: Int32)
    /// End of file after `got` of `expected` bytes.
    case closed(expected: Int, got: Int)
    /// Nothing arrived within the deadline.
    case timedOut(seconds: Double)
    /// A stop signal (SIGINT, SIGTERM, SIGHUP) ended the wait.
    case interrupted

    public var description: String {
        switch self {
        case .system(let call, let code):
            return "\(call) failed: \(SystemErrorText.describe(code)) (errno \(code))."
        case .closed(let expected, let got):
            return "The other end closed after \(got) of \(expected) bytes."
        case .timedOut(let seconds):
            return "Nothing arrived within \(seconds) s."
        case .interrupted:
            return "Interrupted by a stop signal."
        }
    }
}
