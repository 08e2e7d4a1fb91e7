import Platform
import Units
/// A failure moving bytes between the parent and a worker process.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    /// A system call failed; `call` names it, `errno` is its error number.
    case system(call: String, errno: Int32)
    /// The other side closed the pipe after `got` of `expected` bytes.
    case closed(expected: Int, got: Int)
    /// Nothing arrived within the deadline.
    case timedOut(seconds: Double)
    /// A stop signal ended the wait.
    case interrupted
    /// A frame did not start with the protocol's magic number.
    case badMagic(UInt32)
    /// A frame came from another version of the worker protocol.
    case unsupportedVersion(UInt16)
    /// A frame named a kind this side does not know, or did not expect now.
    case unexpectedFrame(kind: UInt16, expected: String)
    /// A frame's length field exceeded the negotiated limit.
    case frameTooLarge(bytes: UInt64, limit: UInt64)
    /// A frame's metadata could not be read.
    case malformedMetadata(String)

    /// The same failure seen on a worker's pipe.
    public init(_ error: DescriptorError) {
        switch error {
        case .system(let call, let code): self = .system(call: call, errno: code)
        case .closed(let expected, let got): self = .closed(expected: expected, got: got)
        case .timedOut(let seconds): self = .timedOut(seconds: seconds)
        case .interrupted: self = .interrupted
        }
    }

    public var description: String {
        switch self {
        case .system(let call, let code):
            return "\(call) failed: \(SystemErrorText.describe(code)) (errno \(code))."
        case .closed(let expected, let got):
            return "The worker's pipe closed after \(got) of \(expected) bytes; the worker probably died (see its message above)."
        case .timedOut(let seconds):
            return "No answer from the worker within \(Formatting.seconds(seconds)); it is hung or the machine is overloaded."
        case .interrupted:
            return "Interrupted by a stop signal while the worker's pipe was full or silent."
        case .badMagic(let magic):
            return "A frame started with 0x\(String(magic, radix: 16)) instead of the worker protocol's magic; the worker's output is corrupt."
        case .unsupportedVersion(let version):
            return "The worker speaks protocol version \(version), this payloadlab speaks \(WorkerProtocol.version); use one build for both."
        case .unexpectedFrame(let kind, let expected):
            return "The worker sent a frame of kind \(kind) where \(expected) was expected; the worker's output is corrupt."
        case .frameTooLarge(let bytes, let limit):
            return "A frame claims \(bytes) bytes, above the limit of \(limit); the stream is corrupt."
        case .malformedMetadata(let what):
            return "A frame's metadata is malformed (\(what)); the stream is corrupt."
        }
    }
}

extension TransportError {
    /// Runs `body`, turning a descriptor failure into the same failure on a worker's pipe.
    static func wrapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DescriptorError {
            throw TransportError(error)
        }
    }
}
