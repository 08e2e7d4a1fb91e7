import Payload
import Units

/// A sweep plan that cannot be made: a value out of range or a name that is not known.
///
/// Each case carries the offending value; `description` names no command-line option, so the library serves any
/// front end. The CLI renders its own sentence naming the flag (`ErrorSentences` in the executable).
public enum PlanError: Error, Equatable, CustomStringConvertible {
    case unknownPool(String)
    case unknownShape(String)
    case minAboveMax(min: Int, max: Int)
    case badFactor(Double)
    case badWorkers(Int)
    case badGIL(Double)
    case badTasks(Int)
    case badBudget(Double)

    public var description: String {
        switch self {
        case .unknownPool(let text):
            return "'\(text)' is not a pool; use process (pipe), process:shm, thread or dask (python runtime), comma-separated, such as process,thread."
        case .unknownShape(let text):
            return "'\(text)' is not a payload shape; use one of \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", "))."
        case .minAboveMax(let min, let max):
            return "The smallest size \(ByteSize(bytes: min)) is above the largest \(ByteSize(bytes: max)); give a smallest size no larger than the largest."
        case .badFactor(let factor):
            return "The size factor \(factor) must be above 1 (each size is the previous one times the factor), e.g. 4."
        case .badWorkers(let workers):
            return "\(workers) workers is out of range; use 1 to 256."
        case .badGIL(let gil):
            return "The lock share \(gil) is outside 0…1; 0 models native threads, 1 pure-Python code."
        case .badTasks(let tasks):
            return "\(tasks) tasks per point is too few; use at least 1."
        case .badBudget(let seconds):
            return "A budget of \(seconds) seconds per point is not positive; use a positive number of seconds, e.g. 1."
        }
    }
}
