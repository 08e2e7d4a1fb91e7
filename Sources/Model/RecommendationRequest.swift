import Results
import Payload
import Units
/// The arguments of `payloadlab recommend`, checked: everything the command line can get wrong is caught here, so
/// the command stays a thin shell and the checks are tested without running it.
///
/// Settings left nil are taken from the sweep the model was fitted to (its work, lock share and workers; its only
/// shape when it measured one).
public struct RecommendationRequest: Sendable, Equatable {
    /// The default number of tasks a total time is predicted for.
    public static let defaultTasks = 100
    /// The largest worker count accepted (as for a sweep).
    public static let maximumWorkers = 256

    public var sizeBytes: Int
    public var shape: PayloadShape?
    public var work: WorkProfile?
    public var gil: Double?
    public var workers: Int?
    public var tasks: Int
    public var codec: String?
    /// The link a cluster of hosts is priced over; nil prices it at the calibration's loopback TCP.
    public var link: NetworkLink?

    /// Parses and range-checks the command-line values.
    ///
    /// - Throws: a usage `RecommendError` for a size `ByteSize(parsing:)` rejects, an unknown shape, a work
    ///   profile `WorkProfile(parsing:)` rejects, a lock share outside 0…1, fewer than 1 worker or task, or a link
    ///   `NetworkLink(parsing:)` rejects.
    public init(
        size: String, shape: String? = nil, work: String? = nil, gil: Double? = nil, workers: Int? = nil,
        tasks: Int? = nil, codec: String? = nil, link: String? = nil
    ) throws(RecommendError) {
        do {
            sizeBytes = try ByteSize(parsing: size).bytes
        } catch {
            throw .badSize(error)
        }
        if let shape {
            guard let parsed = PayloadShape(rawValue: shape.trimmingWhitespace().lowercased()) else {
                throw .unknownShape(shape)
            }
            self.shape = parsed
        }
        if let work {
            do {
                self.work = try WorkProfile(parsing: work)
            } catch {
                throw .badWork(error)
            }
        }
        if let gil {
            guard gil.isFinite, (0...1).contains(gil) else { throw .badGIL(gil) }
            self.gil = gil
        }
        if let workers {
            guard (1...RecommendationRequest.maximumWorkers).contains(workers) else { throw .badWorkers(workers) }
            self.workers = workers
        }
        let tasks = tasks ?? RecommendationRequest.defaultTasks
        guard tasks >= 1 else { throw .badTasks(tasks) }
        self.tasks = tasks
        if let codec {
            let trimmed = codec.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw .emptyCodec }
            self.codec = trimmed
        }
        if let link {
            do {
                self.link = try NetworkLink(parsing: link)
            } catch {
                throw .badLink(error)
            }
        }
    }

    /// The shape asked for, or the model's only one.
    ///
    /// - Throws: `.shapeNotMeasured` when the model has no option for the asked shape; `.shapeNeeded` when none was
    ///   asked and the sweep measured several.
    public func resolvedShape(model: CostModel) throws(RecommendError) -> PayloadShape {
        let measured = model.shapes
        if let shape {
            guard measured.contains(shape) else { throw .shapeNotMeasured(shape.rawValue, measured: measured.map(\.rawValue)) }
            return shape
        }
        guard measured.count == 1 else {
            if measured.isEmpty { throw .nothingModelled }
            throw .shapeNeeded(measured: measured.map(\.rawValue))
        }
        return measured[0]
    }
}

/// Why `recommend` cannot answer; each renders as one sentence with the wrong value and the next step.
///
/// `description` names no command-line option; the CLI renders its own sentence with the flags
/// (`ErrorSentences` in the executable).
public enum RecommendError: Error, Equatable, CustomStringConvertible {
    case badSize(UnitsError)
    case unknownShape(String)
    case badWork(WorkProfileError)
    case badGIL(Double)
    case badWorkers(Int)
    case badTasks(Int)
    case emptyCodec
    case badLink(NetworkLinkError)
    case shapeNeeded(measured: [String])
    case shapeNotMeasured(String, measured: [String])
    case codecNotMeasured(String, shape: String, measured: [String])
    case noResult(directory: String)
    case nothingModelled
    /// The sweep measured Dask but neither local pool, so there is nothing on this machine to set a cluster against.
    case noLocalPool

    /// True for mistakes in the arguments (exit status 64), false for missing or unusable results (exit status 1).
    public var isUsage: Bool {
        switch self {
        case .noResult, .nothingModelled, .noLocalPool: return false
        default: return true
        }
    }

    public var description: String {
        switch self {
        case .badSize(let error):
            return "Payload size: \(error.description)"
        case .unknownShape(let text):
            return "'\(text)' is not a payload shape; use one of \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", "))."
        case .badWork(let error):
            return "Work: \(error.description)"
        case .badGIL(let gil):
            return "The lock share \(Formatting.significant(gil)) is outside 0…1; 0 models native threads, 1 pure-Python code."
        case .badWorkers(let workers):
            return "\(workers) workers is out of range; use 1 to \(RecommendationRequest.maximumWorkers)."
        case .badTasks(let tasks):
            return "\(tasks) tasks is too few; use at least 1."
        case .emptyCodec:
            return "The codec is empty; name a codec the sweep measured, such as binary."
        case .shapeNeeded(let measured):
            return "The sweep measured several shapes; pick one of \(measured.joined(separator: ", "))."
        case .shapeNotMeasured(let shape, let measured):
            return "The sweep did not measure shape \(shape) (it has \(measured.isEmpty ? "none" : measured.joined(separator: ", "))); pass one of those, or sweep that shape."
        case .codecNotMeasured(let codec, let shape, let measured):
            return "The sweep did not measure codec \(codec) for \(shape) (it has \(measured.isEmpty ? "none" : measured.joined(separator: ", "))); pass one of those, or sweep that codec."
        case .badLink(let error):
            return "Link: \(error.description)"
        case .noResult(let directory):
            return "No sweep result (*.json) in \(directory)/; run a sweep first."
        case .nothingModelled:
            return "No option of the sweep succeeded at two or more sizes, so there is no model to ask; run the sweep again."
        case .noLocalPool:
            return "The sweep measured only Dask, so there is no pool on this machine to compare a cluster with; sweep the process and thread pools too."
        }
    }
}
