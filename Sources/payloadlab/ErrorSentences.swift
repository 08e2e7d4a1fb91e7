import Units
import Codec
import Payload
import Results
import Platform
import Calibration
import Sweep
import Model

/// The sentences users see for the libraries' errors, naming the command-line flags to change.
///
/// The libraries' errors carry values and a flag-free `description`; only the CLI knows its flags, so the advice
/// ("give a --min no larger than --max") is written here. These are the texts the CLI has always printed.
enum ErrorSentences {
    /// A usage error of `sweep`: its plan, directories and request checks by their flags; anything else as is.
    static func sweep(_ error: any Error) -> String {
        switch error {
        case let error as PlanError: return sweep(error)
        case let error as SweepError: return sweep(error)
        case let error as SweepRequestError: return sweep(error)
        default: return "\(error)"
        }
    }

    static func sweep(_ error: PlanError) -> String {
        switch error {
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
        case .unknownPool, .unknownShape:
            return error.description
        }
    }

    static func sweep(_ error: SweepError) -> String {
        switch error {
        case .directoryMissing(let directory, let path):
            return "\(flag(directory)) \(path) does not exist; create it or pass another directory."
        case .directoryNotWritable(let directory, let path):
            return "\(flag(directory)) \(path) is not a writable directory; pass one you can write to."
        case .notEnoughMemory(let needed, let available, let fitting):
            return "This sweep needs about \(Formatting.bytes(Double(needed))) of memory but \(Formatting.bytes(Double(available))) is available; try --max \(ByteSize(bytes: fitting)) or fewer --workers."
        case .notEnoughDisk(let needed, let available, let path):
            return "This sweep needs about \(Formatting.bytes(Double(needed))) of scratch space in \(path) but \(Formatting.bytes(Double(available))) is free; pass --scratch on a larger disk or a smaller --max."
        case .directoryUnreachable(let directory, let path, let errno):
            return "\(flag(directory)) \(SweepError.abbreviated(path)) \(SweepError.unreachable(errno)); pass another directory."
        case .badName(let name, let problem):
            return "--name \(SweepError.quoted(name)) \(SweepError.text(problem)); pass a plain file name such as --name sweep-1."
        case .nameInUse(let name, let directory, let holder):
            return "Another sweep\(holder.map { " (process \($0))" } ?? "") is writing --name \(name) in \(directory); wait for it to finish or pass another --name or --out."
        case .lockFailed(let path, let errno):
            return "Cannot lock \(path) (\(SystemErrorText.describe(errno))); pass an --out you can write to."
        case .executableNotFound, .checkpointFailed:
            return error.description
        }
    }

    static func sweep(_ error: SweepRequestError) -> String {
        switch error {
        case .codecCannotHoldShape(let codec, let shape):
            return codecCannotHoldShape(codec: codec, shape: shape, remedy: "drop it from --shapes or sweep it separately")
        case .emptySelection:
            return "--shapes, --codecs and --pools each need at least one value."
        case .badTaskTimeout(let seconds):
            return "--task-timeout \(seconds) must be a positive number of seconds."
        case .unknownRuntime(let text):
            return "--runtime '\(text)' is not a runtime; use swift, python or swift,python."
        case .unknownStartMethod(let method, let available):
            return "--start-method \(method) is not offered by this interpreter; use one of \(available.joined(separator: ", "))."
        case .daskNeedsPythonRuntime:
            return "dask is a pool of the python runtime; add --runtime python (alone: the swift runtime has no dask pool)."
        case .badDaskScheduler(let text):
            return "--dask-scheduler '\(text)' is not a scheduler address; give one such as tcp://10.0.0.5:8786."
        case .daskSchedulerUnreachable(let address, let reason):
            return "--dask-scheduler \(address): nothing accepts a connection there (\(reason)); start the scheduler, or check the address."
        case .hugePagesNeedSwiftRuntime:
            return "--huge-pages advises payloadlab's own buffers, but --runtime python measures CPython's; add swift to --runtime (swift,python) or drop --huge-pages."
        case .asyncWithDask:
            return "--async runs tasks through asyncio's run_in_executor, which a Dask client does not offer; drop --async, or sweep the dask pools in a run of their own without it."
        }
    }

    /// A codec that holds only some shapes (`raw`, `flat`) asked for with a shape it cannot hold, with what to
    /// change.
    static func codecCannotHoldShape(codec: String, shape: PayloadShape, remedy: String) -> String {
        "The \(codec) codec holds only \(Codecs.shapeList(Codecs.shapes(heldBy: codec))) payloads, not "
            + "\(shape.rawValue); \(remedy)."
    }

    private static func flag(_ directory: SweepError.Directory) -> String {
        switch directory {
        case .reports: return "--out"
        case .scratch: return "--scratch"
        }
    }

    /// A calibration error, naming `sizeFlag`: `--size` for `calibrate`, `--calibrate-size` for `sweep`.
    static func calibration(_ error: CalibrationError, sizeFlag: String) -> String {
        switch error {
        case .sizeTooSmall(let bytes):
            return "A calibration size of \(bytes) bytes is below one 1MiB write; pass \(sizeFlag) of at least 1MiB."
        case .scratchMissing(let path, let errno):
            return "The scratch directory '\(path)' cannot be used (\(CalibrationError.text(errno))); pass --scratch with an existing writable directory."
        case .scratchNotADirectory(let path):
            return "The scratch path '\(path)' is not a directory; pass --scratch with a writable directory."
        case .scratchNotWritable(let path, let errno):
            return "The scratch directory '\(path)' is not writable (\(CalibrationError.text(errno))); pass --scratch with a writable directory."
        case .scratchTooSmall(let path, let available, let needed):
            return "The scratch directory '\(path)' has \(Formatting.bytes(Double(available))) free but the disk measurement needs \(Formatting.bytes(Double(needed))); pass --scratch on a larger file system or a smaller \(sizeFlag)."
        case .diskWriteFailed(let path, let errno):
            return "Writing the scratch file '\(path)' failed (\(CalibrationError.text(errno))); pass --scratch with a directory on a file system with room, or a smaller \(sizeFlag)."
        case .outOfMemory(let bytes):
            return "Allocating \(Formatting.bytes(Double(bytes))) for a calibration buffer failed; pass a smaller \(sizeFlag)."
        default:
            return error.description
        }
    }

    /// A `recommend` error, naming its flags and the sweep that would answer it.
    static func recommend(_ error: RecommendError) -> String {
        switch error {
        case .badSize(let error):
            return "--size: \(error.description)"
        case .unknownShape(let text):
            return "--shape '\(text)' is not a payload shape; use one of \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", "))."
        case .badWork(let error):
            return "--work: \(error.description)"
        case .badGIL(let gil):
            return "--gil \(Formatting.significant(gil)) is outside 0…1; 0 models native threads, 1 pure-Python code."
        case .badWorkers(let workers):
            return "--workers \(workers) is out of range; use 1 to \(RecommendationRequest.maximumWorkers)."
        case .badTasks(let tasks):
            return "--tasks \(tasks) must be at least 1."
        case .emptyCodec:
            return "--codec is empty; name a codec the sweep measured, such as binary."
        case .badLink(let error):
            return "--link: \(error.description)"
        case .shapeNeeded(let measured):
            return "The sweep measured several shapes; pick one with --shape \(measured.joined(separator: "|"))."
        case .shapeNotMeasured(let shape, let measured):
            return "The sweep did not measure shape \(shape) (it has \(listed(measured))); pass one of those, or measure it with payloadlab sweep --shapes \(shape)."
        case .codecNotMeasured(let codec, let shape, let measured):
            return "The sweep did not measure codec \(codec) for \(shape) (it has \(listed(measured))); pass one of those, or measure it with payloadlab sweep --codecs \(codec)."
        case .noResult(let directory):
            return "No sweep result (*.json) in \(directory)/; make one with payloadlab sweep --max 200MB, measure this request with --measure, or pass --from FILE.json."
        case .nothingModelled:
            return "No option of the sweep succeeded at two or more sizes, so there is no model to ask; run payloadlab sweep --max 200MB again."
        case .noLocalPool:
            return "The sweep measured only Dask, so there is no pool on this machine to compare a cluster with; run payloadlab sweep --runtime python --pools process,thread,dask."
        }
    }

    private static func listed(_ measured: [String]) -> String {
        measured.isEmpty ? "none" : measured.joined(separator: ", ")
    }
}
