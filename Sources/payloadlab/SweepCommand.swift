import ArgumentParser
import Dispatch
import Foundation
import Units
import Payload
import Codec
import Results
import Platform
import Calibration
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

    @Option(help: "Smallest payload size.") var min: String = "1KB"
    @Option(help: "Largest payload size (required), e.g. 200MB.") var max: String
    @Option(help: "Each size is the previous one times this factor, up to --max.") var factor: Double = 4
    @Option(help: "Payload shapes: blob, text, numeric, records, tree (comma-separated).") var shapes: String = "records,blob"
    @Option(help: "Codecs: binary, json, plist, with +zstd[:level] (comma-separated).") var codecs: String = "binary"
    @Option(help: "Pools: process, thread (comma-separated).") var pools: String = "process,thread"
    @Option(help: "Workers per pool (default: the number of cores).") var workers: Int?
    @Option(help: "Measured tasks per point (default: as many as --budget allows).") var tasks: Int?
    @Option(help: "Seconds of measuring per point after warm-up (at least 8 tasks are measured).") var budget: Double = 1.0
    @Option(help: "Work per task: none, checksum, or cpu:<ns per byte>.") var work: String = "none"
    @Option(help: "Share (0…1) of work and codec time under one process-wide lock, modelling CPython's GIL.") var gil: Double = 0
    @Flag(help: "fsync each written file.") var sync = false
    @Option(help: "Directory for scratch files (default: the system temporary directory).") var scratch: String?
    @Option(help: "Directory for the report and its JSON.") var out: String = "reports"
    @Option(help: "Report name (default: sweep-<date>-<time>).") var name: String?
    @Option(help: "Seed for the generated payloads.") var seed: UInt64 = 1
    @Option(help: "Seconds before a silent worker is declared hung (default: scaled to size and work).") var taskTimeout: Double?
    @Flag(help: "No progress on stderr.") var quiet = false
    @Flag(help: "Skip measuring this machine's limits first (the report then has no efficiency section).") var noCalibrate = false
    @Option(help: "Bytes moved per calibration measurement (default: --max, at least 16MB, at most 256MB).") var calibrateSize: String?

    func run() throws {
        _ = try execute { print($0) }
    }

    /// Runs the sweep and writes its report; `summary` gets the report paths and the headline, one line each.
    /// Returns the path of the result JSON.
    func execute(summary: (String) -> Void) throws -> String {
        let plan: SweepPlan
        let outDirectory: String
        let scratchParent = scratch ?? FileManager.default.temporaryDirectory.path
        do throws(any Error) {
            let minSize = try ByteSize(parsing: min)
            let maxSize = try ByteSize(parsing: max)
            let shapeList = try commaSeparated(shapes).map { (text) throws(PlanError) -> PayloadShape in
                guard let shape = PayloadShape(rawValue: text.lowercased()) else { throw .unknownShape(text) }
                return shape
            }
            let codecList = commaSeparated(codecs)
            for codec in codecList { _ = try Codecs.named(codec) }
            let flatOnly = codecList.filter { $0.lowercased().hasPrefix("raw") }
            if let codec = flatOnly.first, let shape = shapeList.first(where: { !RawCodec.supports($0) }) {
                throw CommandFailure.usage("The \(codec) codec holds only blob and numeric payloads, not \(shape.rawValue); drop it from --shapes or sweep it separately.")
            }
            let poolList = try commaSeparated(pools).map { (text) throws(PlanError) in try PoolKind(parsing: text) }
            guard !shapeList.isEmpty, !codecList.isEmpty, !poolList.isEmpty else {
                throw CommandFailure.usage("--shapes, --codecs and --pools each need at least one value.")
            }
            plan = try SweepPlan(
                minBytes: minSize.bytes, maxBytes: maxSize.bytes, factor: factor, shapes: shapeList,
                codecs: codecList, pools: poolList, workers: workers ?? Cores.available,
                work: try WorkProfile(parsing: work), gil: gil, sync: sync, tasks: tasks, budgetSeconds: budget,
                seed: seed)
            outDirectory = try ReportDirectory.prepare(out, createIfMissing: out == "reports")
            guard FilesystemInfo.exists(scratchParent) else {
                throw SweepError.directoryMissing(flag: "--scratch", path: scratchParent)
            }
            guard FilesystemInfo.isWritableDirectory(scratchParent) else {
                throw SweepError.directoryNotWritable(flag: "--scratch", path: scratchParent)
            }
            if let calibrateSize { _ = try ByteSize(parsing: calibrateSize) }
            if let taskTimeout, !(taskTimeout > 0) {
                throw CommandFailure.usage("--task-timeout \(taskTimeout) must be a positive number of seconds.")
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CommandFailure.usage("\(error)")
        }
        guard let executable = ExecutableLocator.payloadlab() else {
            throw CommandFailure.runtime(SweepError.executableNotFound.description)
        }

        let environment = Environment.capture(commandLine: CommandLine.arguments, scratchDirectory: scratchParent)
        do {
            try ResourceGuard(plan: plan, environment: environment).check(scratch: scratchParent)
        } catch {
            throw CommandFailure.runtime("\(error)")
        }
        let warnings = RunConditions.warnings(environment: environment)
        for warning in warnings { StandardError.write("warning: \(warning)\n") }

        // A file-size limit (ulimit -f) must give EFBIG, reported as a full disk, not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        let reportName = name ?? ReportDirectory.defaultName()
        let jsonPath = "\(outDirectory)/\(reportName).json"
        let markdownPath = "\(outDirectory)/\(reportName).md"
        let stop = StopFlag()
        let signals = SignalWatcher(stop: stop) {
            StandardError.write("\npayloadlab: stopping after the current batch (Ctrl-C)…\n")
        }
        defer { signals.cancel() }

        if !quiet {
            StandardError.write(
                "payloadlab sweep: \(plan.pointCount) points (\(plan.sizes.count) sizes × \(plan.shapes.count) shapes × \(plan.codecs.count) codecs × \(plan.pools.count) pools), \(plan.workers) workers\n")
        }
        var calibration: Calibration?
        var allWarnings = warnings
        if !noCalibrate {
            let size = try calibrateSize.map { try ByteSize(parsing: $0).bytes }
                ?? Swift.min(256_000_000, Swift.max(16_000_000, plan.maxBytes))
            if !quiet { StandardError.write("calibrating this machine's limits (\(ByteSize(bytes: size)) per measurement)…\n") }
            do {
                calibration = try Calibrator(
                    scratchDirectory: scratchParent, sizeBytes: size, helperExecutable: executable,
                    copyThreads: Swift.min(plan.workers, environment.cores)).run()
            } catch {
                let warning = "Calibration failed (\(error)); the report has no efficiency section."
                allWarnings.append(warning)
                StandardError.write("warning: \(warning)\n")
            }
            if let disturbed = calibration?.disturbedPhases, !disturbed.isEmpty {
                let warning = "Other processes used the CPU during calibration (\(disturbed.joined(separator: ", "))); those limits may read low."
                allWarnings.append(warning)
                StandardError.write("warning: \(warning)\n")
            }
        }
        let runner = SweepRunner(
            plan: plan,
            options: SweepOptions(executable: executable, scratchParent: scratchParent, taskTimeoutSeconds: taskTimeout),
            name: reportName, environment: environment, warnings: allWarnings, calibration: calibration)
        let progress = ProgressPrinter(quiet: quiet, plan: plan)
        runner.onProgress = { progress.show($0) }
        var saveError: (any Error)?
        runner.onPoint = { partial in
            do { try AtomicFile.write(try partial.jsonData(), to: jsonPath) } catch { saveError = error }
        }
        let result = runner.run(stop: stop)
        do {
            try AtomicFile.write(try result.jsonData(), to: jsonPath)
            try ReportOutput.write(result: result, directory: outDirectory, name: reportName)
        } catch {
            throw CommandFailure.runtime("Could not write the report to \(outDirectory): \(error); check --out.")
        }
        if let saveError {
            StandardError.write("warning: a checkpoint of \(jsonPath) could not be written: \(saveError)\n")
        }

        summary(markdownPath)
        summary(jsonPath)
        for line in MarkdownReport.headline(result) { summary(line) }
        let failed = result.points.filter { !$0.succeeded }
        if stop.isSet {
            throw CommandFailure.runtime("Interrupted: \(result.points.count) finished points were saved to \(jsonPath).")
        }
        if !result.complete {
            throw CommandFailure.runtime("\(result.stopReason ?? "The sweep stopped early."); the \(result.points.count) points finished were saved to \(jsonPath).")
        }
        if !failed.isEmpty {
            throw CommandFailure.runtime("\(failed.count) of \(result.points.count) points failed (marked in the report); first: \(failed[0].failure ?? "").")
        }
        return jsonPath
    }
}

/// Turns SIGINT and SIGTERM into a `StopFlag`, so a sweep stops its workers and saves what it measured.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(stop: StopFlag, onSignal: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // Two signals close together can arrive as one event; `data` counts them.
                if stop.isSet || source.data > 1 {
                    // A second Ctrl-C: give up waiting. Scratch files go now; workers die with their parent
                    // (PR_SET_PDEATHSIG), and cannot create files in a scratch directory that no longer exists.
                    StandardError.write("payloadlab: stopped at once (second Ctrl-C); unsaved points are lost.\n")
                    TemporaryPaths.removeAll()
                    _exit(130)
                }
                stop.stop()
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
