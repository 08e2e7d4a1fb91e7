import Codec
import Payload

/// A sweep request whose parts do not fit together; the cases carry the values, the CLI names its flags.
public enum SweepRequestError: Error, Equatable, CustomStringConvertible {
    /// A codec that holds only some shapes (`raw`, `flat`) was asked for alongside a shape it cannot hold.
    case codecCannotHoldShape(codec: String, shape: PayloadShape)
    /// The shapes, codecs or pools list is empty.
    case emptySelection
    /// The task timeout is not a positive number of seconds.
    case badTaskTimeout(Double)
    /// A runtime other than swift and python.
    case unknownRuntime(String)
    /// A start method the interpreter does not offer.
    case unknownStartMethod(String, available: [String])
    /// A Dask pool in a plan that measures the swift runtime.
    case daskNeedsPythonRuntime
    /// A Dask scheduler address that is not `tcp://HOST:PORT`.
    case badDaskScheduler(String)
    /// A Dask scheduler address where nothing accepts a connection, with the reason in words.
    case daskSchedulerUnreachable(String, reason: String)
    /// Huge pages asked for in a plan with no Swift runtime: CPython's buffers are its own allocator's.
    case hugePagesNeedSwiftRuntime
    /// Tasks from an asyncio event loop asked for with a Dask pool: a Dask client is not an executor that
    /// `run_in_executor` can use, and a sweep's options apply to every pool.
    case asyncWithDask

    public var description: String {
        switch self {
        case .codecCannotHoldShape(let codec, let shape):
            return "The \(codec) codec holds only \(Codecs.shapeList(Codecs.shapes(heldBy: codec))) payloads, not \(shape.rawValue); drop that shape or sweep it separately."
        case .emptySelection:
            return "The shapes, codecs and pools each need at least one value."
        case .badTaskTimeout(let seconds):
            return "A task timeout of \(seconds) seconds is not positive; use a positive number of seconds."
        case .unknownRuntime(let text):
            return "'\(text)' is not a runtime; use swift, python or both."
        case .unknownStartMethod(let method, let available):
            return "'\(method)' is not a start method of this interpreter; use one of \(available.joined(separator: ", "))."
        case .daskNeedsPythonRuntime:
            return "dask is a pool of the python runtime; measure it with the python runtime only."
        case .badDaskScheduler(let text):
            return "'\(text)' is not a Dask scheduler address; give one such as tcp://10.0.0.5:8786."
        case .daskSchedulerUnreachable(let address, let reason):
            return "Nothing accepts a connection at the Dask scheduler \(address) (\(reason)); start the scheduler there, or give the address of one that runs."
        case .hugePagesNeedSwiftRuntime:
            return "Huge pages are advised for payloadlab's own buffers, and the python runtime allocates with CPython's; measure them with the swift runtime."
        case .asyncWithDask:
            return "Tasks from an asyncio event loop go through run_in_executor, which a Dask client does not offer; measure the Dask pools without the event loop, or sweep them separately."
        }
    }
}
