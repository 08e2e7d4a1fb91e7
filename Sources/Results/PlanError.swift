import Payload
import Units

/// A sweep plan that cannot be made: a value out of range or a name that is not known.
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
            return "'\(text)' is not a pool; use process (pipe), process:shm or thread, comma-separated, such as process,thread."
        case .unknownShape(let text):
            return "'\(text)' is not a payload shape; use one of \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", "))."
        case .minAboveMax(let min, let max):
            return "--min \(ByteSize(bytes: min)) is above --max \(ByteSize(bytes: max)); give a --min no larger than --max."
        case .badFactor(let factor):
            return "--factor \(factor) must be above 1 (each size is the previous one times the factor), e.g. --factor 4."
        case .badWorkers(let workers):
            return "--workers \(workers) is out of range; use 1 to 256 (the default is the number of cores)."
        case .badGIL(let gil):
            return "--gil \(gil) is outside 0…1; 0 models native threads, 1 pure-Python code."
        case .badTasks(let tasks):
            return "--tasks \(tasks) must be at least 1."
        case .badBudget(let seconds):
            return "--budget \(seconds) must be a positive number of seconds per point, e.g. --budget 1."
        }
    }
}
