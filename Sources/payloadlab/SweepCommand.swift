import ArgumentParser
import Foundation
import Units
import Payload
import Codec
import Results
import Platform
import Calibration
import PythonRuntime
import Sweep
import Report

/// `payloadlab sweep`: measure process pool vs thread pool across sizes and write a report.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Measure process pool vs thread pool across payload sizes and write reports/<name>.md and .json.",
        discussion: """
            Sizes accept B, KB, MB, GB (powers of 1000) and KiB, MiB, GiB (powers of 1024): 512, 64KiB, 200MB.
            Each point starts its own pool (start-up is reported apart), runs warm-up tasks, then measures tasks
            until --budget seconds have passed (at least a handful of tasks), keeping every raw sample in the JSON.
            """
    )

    @Option(parsing: .unconditional, help: "Smallest payload size.") var min: String = "1KB"
    @Option(parsing: .unconditional, help: "Largest payload size (required), e.g. 200MB.") var max: String
    @Option(parsing: .unconditional, help: "Each size is the previous one times this factor, up to --max.") var factor: Double = 4
    @Option(help: "Payload shapes: blob, text, numeric, records, tree (comma-separated).") var shapes: String = "records,blob"
    @Option(help: "Codecs: binary, json, plist, with +zstd[:level] (comma-separated).") var codecs: String = "binary"
    @Option(help: "Pools: process, process:shm, thread; with --runtime python also dask (both dask:submit and dask:scatter) (comma-separated).") var pools: String = "process,thread"
    @Option(parsing: .unconditional, help: "Workers per pool (default: the number of cores).") var workers: Int?
    @Option(parsing: .unconditional, help: "Measured tasks per point (default: as many as --budget allows).") var tasks: Int?
    @Option(parsing: .unconditional, help: "Seconds of measuring per point after warm-up (at least 8 tasks are measured).") var budget: Double = 1.0
    @Option(help: "Work per task: none, checksum, or cpu:<ns per byte>.") var work: String = "none"
    @Option(parsing: .unconditional, help: "Share (0…1) of work and codec time under one process-wide lock, modelling CPython's GIL.") var gil: Double = 0
    @Flag(help: "fsync each written file.") var sync = false
    @Option(help: "Directory for scratch files (default: the system temporary directory).") var scratch: String?
    @Option(help: "Directory for the report and its JSON.") var out: String = "reports"
    @Option(help: "Report name (default: sweep-<date>-<time>).") var name: String?
    @Option(help: "Seed for the generated payloads.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Seconds before a silent worker is declared hung (default: scaled to size and work).") var taskTimeout: Double?
    @Flag(help: "No progress on stderr.") var quiet = false
    @Flag(inversion: .prefixedNo, help: "Measure a point once more when other processes kept more than a quarter of a CPU busy during it.") var remeasure = true
    @Flag(help: "Skip measuring this machine's limits first (the report then has no efficiency section).") var noCalibrate = false
    @Option(parsing: .unconditional, help: "Bytes moved per calibration measurement (default: --max, at least 16MB, at most 256MB).") var calibrateSize: String?
    @Option(help: "Runtimes to measure: swift (payloadlab's own pools), python (CPython's pickle and concurrent.futures), or swift,python.") var runtime: String = "swift"
    @Option(help: "The CPython interpreter for --runtime python (default: python3 on PATH; with --pools dask, the checkout's .venv/bin/python3 when there is one).") var python: String?
    @Option(help: "multiprocessing start method for CPython's process pools: fork, forkserver or spawn (default: the platform's); Dask's processes are always fresh interpreters.") var startMethod: String?
    @Option(help: "Dask pools: an existing scheduler, tcp://HOST:PORT, instead of a scheduler and workers started on 127.0.0.1 for each point.") var daskScheduler: String?
    @Flag(name: .customLong("async"), help: "CPython: run tasks from an asyncio event loop (run_in_executor) and report the loop's lag; not with the dask pools.") var async = false
    @Flag(help: "Advise payload-sized buffers (2 MiB and up) in the parent and the workers to use transparent huge pages (madvise MADV_HUGEPAGE); recorded in the result.") var hugePages = false

    func run() throws {
        _ = try execute { line in StandardOutput.attempt(line + "\n") }
    }

    /// The options as a request for the Sweep library, which checks them.
    var request: SweepRequest {
        var request = SweepRequest(maxSize: max)
        request.minSize = min
        request.factor = factor
        request.shapes = commaSeparated(shapes)
        request.codecs = commaSeparated(codecs)
        request.pools = commaSeparated(pools)
        request.workers = workers
        request.tasks = tasks
        request.budgetSeconds = budget
        request.work = work
        request.gil = gil
        request.sync = sync
        request.seed = seed
        request.scratch = scratch
        request.out = out
        request.name = name
        request.taskTimeoutSeconds = taskTimeout
        request.calibrate = !noCalibrate
        request.calibrateSize = calibrateSize
        request.runtimes = commaSeparated(runtime)
        request.python = python
        request.startMethod = startMethod
        request.async = async
        request.daskScheduler = daskScheduler
        request.hugePages = hugePages
        return request
    }

    /// Runs the sweep and writes its report; `summary` gets the report paths and the headline, one line each, and
    /// returns why it could not show them (stdout closed or full). Returns the path of the result JSON.
    func execute(summary: (String) -> StandardOutput.Failure?) throws -> String {
        let checked: SweepRequest.Checked
        do {
            checked = try request.checked()
        } catch {
            throw CommandFailure.usage(ErrorSentences.sweep(error))
        }
        let python: PythonSettings?
        do {
            python = try request.pythonSettings(for: checked.plan)
        } catch let error as SweepRequestError {
            throw CommandFailure.usage(ErrorSentences.sweep(error))
        } catch {
            throw CommandFailure.runtime("\(error)")
        }
        guard let executable = ExecutableLocator.payloadlab() else {
            throw CommandFailure.runtime(SweepError.executableNotFound.description)
        }
        let environment = Environment.capture(
            commandLine: CommandLine.arguments, scratchDirectory: checked.scratchParent,
            probeHugePages: checked.plan.usesHugePages)
        do {
            try ResourceGuard(plan: checked.plan, environment: environment).check(scratch: checked.scratchParent)
        } catch {
            throw CommandFailure.runtime(ErrorSentences.sweep(error))
        }
        // One sweep per report name and directory: a second one would overwrite the first's files as they go.
        let lock: FileLock
        do {
            lock = try ReportDirectory.lock(name: checked.name, in: checked.outDirectory)
        } catch {
            throw CommandFailure.runtime(ErrorSentences.sweep(error))
        }
        defer { lock.release() }
        var warnings = RunConditions.warnings(environment: environment)
        for warning in warnings { StandardError.write("warning: \(warning)\n") }

        // A file-size limit (ulimit -f) must give EFBIG, reported as a full disk, not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        let stop = StopFlag(watchingSignals: true)
        let signals = SignalWatcher { signal in
            StandardError.write("\npayloadlab: stopping after the current batch (\(SignalWatcher.label(signal)))…\n")
        }
        defer { signals.cancel() }

        let plan = checked.plan
        if !quiet {
            StandardError.write(
                "payloadlab sweep: \(plan.pointCount) points (\(plan.sizes.count) sizes × \(plan.shapes.count) shapes × \(plan.codecs.count) codecs × \(plan.pools.count) pools\(python.map { " + CPython \($0.interpreter.version)" } ?? "")), \(plan.workers) workers\n")
        }
        let calibration = calibrate(checked, executable: executable, environment: environment, warnings: &warnings)
        let runner = SweepRunner(
            plan: plan,
            options: SweepOptions(
                executable: executable, scratchParent: checked.scratchParent,
                taskTimeoutSeconds: checked.taskTimeoutSeconds, python: python, remeasure: remeasure),
            name: checked.name, environment: environment, warnings: warnings, calibration: calibration)
        let result = try measure(runner, checked: checked, stop: stop)
        return try finish(result, checked: checked, stopped: stop.isSet, summary: summary)
    }

    /// Measures the machine's limits unless `--no-calibrate`; a failure becomes a warning, and the report then has
    /// no efficiency section.
    func calibrate(
        _ checked: SweepRequest.Checked, executable: String, environment: Environment, warnings: inout [String]
    ) -> Calibration? {
        guard let size = checked.calibrationBytes else { return nil }
        if !quiet { StandardError.write("calibrating this machine's limits (\(ByteSize(bytes: size)) per measurement)…\n") }
        var calibration: Calibration?
        do {
            calibration = try Calibrator(
                scratchDirectory: checked.scratchParent, sizeBytes: size, helperExecutable: executable,
                copyThreads: Swift.min(checked.plan.workers, environment.cores)).run()
        } catch .interrupted {
            // The sweep that follows sees the same stop and ends at once, saying so.
            return nil
        } catch {
            let sentence = ErrorSentences.calibration(error, sizeFlag: "--calibrate-size")
            let warning = "Calibration failed (\(Sentence.clause(sentence))); the report has no efficiency section."
            warnings.append(warning)
            StandardError.write("warning: \(warning)\n")
        }
        if let disturbed = calibration?.disturbedPhases, !disturbed.isEmpty {
            let warning = "Other processes used the CPU during calibration (\(disturbed.joined(separator: ", "))); those limits may read low."
            warnings.append(warning)
            StandardError.write("warning: \(warning)\n")
        }
        return calibration
    }

    /// Runs every point, saving the JSON after each one so an interrupted sweep keeps what it measured, then
    /// writes the result and its report. A checkpoint that cannot be saved stops the sweep at once, and the
    /// failure says what is on disk.
    func measure(_ runner: SweepRunner, checked: SweepRequest.Checked, stop: StopFlag) throws -> SweepResult {
        let jsonPath = "\(checked.outDirectory)/\(checked.name).json"
        let progress = ProgressPrinter(quiet: quiet, plan: checked.plan)
        runner.onProgress = { progress.show($0) }
        var saveError: (any Error)?
        var savedPoints: Int?
        runner.onPoint = { partial in
            do {
                try AtomicFile.write(try partial.jsonData(), to: jsonPath)
                savedPoints = partial.points.count
            } catch {
                saveError = error
                throw error
            }
        }
        let result = runner.run(stop: stop)
        if let saveError {
            throw CommandFailure.runtime(
                "Saving \(jsonPath) after point \(result.points.count) of \(checked.plan.pointCount) failed "
                + "(\(Sentence.clause(saveError))), so the sweep stopped there; "
                + "\(Self.onDisk(jsonPath: jsonPath, savedPoints: savedPoints)) and no report was written. "
                + "Free space in --out or pass another --out, then run again.")
        }
        do {
            try AtomicFile.write(try result.jsonData(), to: jsonPath)
            savedPoints = result.points.count
            try ReportOutput.write(result: result, directory: checked.outDirectory, name: checked.name)
        } catch {
            throw CommandFailure.runtime(
                "Could not write the report to \(checked.outDirectory) (\(Sentence.clause(error))); "
                + "\(Self.onDisk(jsonPath: jsonPath, savedPoints: savedPoints)). Free space in --out or pass another --out.")
        }
        return result
    }

    /// What a failed save left on disk, as a clause.
    static func onDisk(jsonPath: String, savedPoints: Int?) -> String {
        guard let savedPoints else { return "nothing was saved" }
        return "\(jsonPath) holds the \(savedPoints) point\(savedPoints == 1 ? "" : "s") saved before"
    }

    /// Prints the report paths and headline, then fails (exit 1) if the sweep was stopped, ended early or had
    /// failed points. Returns the result JSON's path.
    func finish(
        _ result: SweepResult, checked: SweepRequest.Checked, stopped: Bool, summary: (String) -> StandardOutput.Failure?
    ) throws -> String {
        let jsonPath = "\(checked.outDirectory)/\(checked.name).json"
        // Everything is saved by now; a stdout that takes no more only changes how the command ends.
        var outputFailure: StandardOutput.Failure?
        for line in ["\(checked.outDirectory)/\(checked.name).md", jsonPath] + MarkdownReport.headline(result) {
            outputFailure = summary(line)
            if outputFailure != nil { break }
        }
        let failed = result.points.filter { !$0.succeeded }
        if stopped {
            let by = StopSignals.received.map { " by \(StopSignals.name($0))" } ?? ""
            throw CommandFailure.runtime("Interrupted\(by): \(result.points.count) finished points were saved to \(jsonPath).")
        }
        if !result.complete {
            throw CommandFailure.runtime("\(Sentence.clause(result.stopReason ?? "The sweep stopped early")); the \(result.points.count) points finished were saved to \(jsonPath).")
        }
        if !failed.isEmpty {
            throw CommandFailure.runtime("\(failed.count) of \(result.points.count) points failed (marked in the report); first: \(Sentence.clause(failed[0].failure ?? "unknown")).")
        }
        if let outputFailure {
            throw outputFailure.exitCode(saved: "the report was saved to \(checked.outDirectory)/\(checked.name).md and \(jsonPath).")
        }
        return jsonPath
    }
}
