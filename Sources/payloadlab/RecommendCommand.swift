import ArgumentParser
import Foundation
import Units
import Payload
import Results
import Sweep
import Model

/// `payloadlab recommend`: ask the cost model fitted to a sweep which pool to use.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend a pool (and codec) for a payload size and work, from the cost model of a sweep.",
        discussion: """
            Reads the newest reports/*.json (or --from), fits each stage's cost against payload size, and predicts
            every pool's latency, throughput, total time and memory. Settings left out are the sweep's own.
            With --measure it first runs a short sweep of this request's pipeline (its shape, codec and workers; four
            sizes up to --size; work none, no lock), saves it as reports/recommend-<date>-<time>.json, and
            recommends from that. The work and the lock share are then added by the model, as everywhere else:
            cpu:N work is N ns of CPU per byte by definition, and the lock serialises a known share of it.
            With --runtime python it also prices a cluster of hosts running Dask from the sweep's Dask pools: up
            to this machine's cores of workers run here, the rest on other hosts reached over --link (default:
            this machine's loopback TCP from the calibration, the upper bound of a real network).
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(parsing: .unconditional, help: "Payload size, e.g. 120MB.") var size: String
    @Option(help: "Payload shape (default: the sweep's, when it measured one).") var shape: String?
    @Option(help: "Work per task: none, checksum, or cpu:<ns per byte> (default: the sweep's).") var work: String?
    @Option(parsing: .unconditional, help: "Share (0…1) of work and codec time under one lock per process (default: the sweep's).") var gil: Double?
    @Option(parsing: .unconditional, help: "Workers per pool (default: the sweep's).") var workers: Int?
    @Option(help: "Tasks to predict the total time for.") var tasks: Int = RecommendationRequest.defaultTasks
    @Option(help: "Only this codec (default: the best measured codec of each pool).") var codec: String?
    @Option(help: "The sweep result to model (default: the newest *.json in reports/).") var from: String?
    @Option(help: "Output: text or json.") var format: OutputFormat = .text
    @Flag(help: "Measure first: a short sweep of this size, shape, codec and workers (about half a minute for 120MB), then recommend from it.")
    var measure = false
    @Option(parsing: .unconditional, help: "With --measure: seconds of measuring per point.") var budget: Double = 0.25
    @Option(help: "Answer for swift (payloadlab's pools) or python (CPython's pickle and concurrent.futures); default: swift when the sweep measured it.")
    var runtime: String?
    @Option(help: "With --measure --runtime python: the CPython interpreter (default: python3 on PATH).") var python: String?
    @Option(parsing: .unconditional, help: "A link between hosts, BANDWIDTH,LATENCY such as 25Gbit,100us or 1GB/s,200us, to price a Dask cluster over (implies --runtime python; default: this machine's loopback TCP).")
    var link: String?

    func run() throws {
        let request: RecommendationRequest
        let chosenRuntime = try parsedRuntime()
        do {
            // CPython always pickles, and its pure-Python work holds the real GIL unless told otherwise.
            let python = chosenRuntime == .python
            request = try RecommendationRequest(
                size: size, shape: shape, work: work, gil: gil ?? (python ? 1 : nil), workers: workers, tasks: tasks,
                codec: python ? Runtime.pythonCodec : codec, link: link)
        } catch {
            throw CommandFailure.usage(ErrorSentences.recommend(error))
        }
        if measure, from != nil {
            throw CommandFailure.usage("--measure and --from both say where the measurements come from; pass one of them.")
        }
        let path: String
        if measure {
            path = try measureRequest(request)
        } else if let chosen = from ?? ReportDirectory.newestResult(in: "reports") {
            path = chosen
        } else {
            throw CommandFailure.runtime(ErrorSentences.recommend(.noResult(directory: "reports")))
        }
        var result: SweepResult
        do {
            result = try SweepResult.load(path: path)
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        result = try Self.restrict(result, to: chosenRuntime, path: path)
        if result.points.first?.measuredRuntime == .python {
            return try answerWithCluster(result, request: request, path: path)
        }
        let recommendation: Recommendation
        do {
            recommendation = try Recommendation.recommend(model: CostModel.fitWithUncertainty(result), request: request)
        } catch {
            let sentence = ErrorSentences.recommend(error)
            throw error.isUsage ? CommandFailure.usage(sentence) : CommandFailure.runtime(sentence)
        }
        switch format {
        case .text:
            try StandardOutput.write(recommendation.text(source: path))
        case .json:
            let json: String
            do {
                json = String(decoding: try recommendation.jsonData(), as: UTF8.self)
            } catch {
                throw CommandFailure.runtime("Could not encode the recommendation as JSON: \(error).")
            }
            try StandardOutput.line(json)
        }
    }

    /// The CPython answer: the thread pool, the process pool and a cluster of hosts running Dask.
    func answerWithCluster(_ result: SweepResult, request: RecommendationRequest, path: String) throws {
        let comparison: ClusterComparison
        do {
            comparison = try ClusterComparison.compare(
                model: CostModel.fitWithUncertainty(result), request: request, calibration: result.calibration)
        } catch {
            let sentence = ErrorSentences.recommend(error)
            throw error.isUsage ? CommandFailure.usage(sentence) : CommandFailure.runtime(sentence)
        }
        switch format {
        case .text:
            try StandardOutput.write(comparison.text(source: path))
        case .json:
            let json: String
            do {
                json = String(decoding: try comparison.jsonData(), as: UTF8.self)
            } catch {
                throw CommandFailure.runtime("Could not encode the recommendation as JSON: \(error).")
            }
            try StandardOutput.line(json)
        }
    }

    /// The runtime asked for, nil when left to the result (python when only --link says which: a cluster of hosts
    /// is priced from CPython's Dask pools).
    func parsedRuntime() throws -> Runtime? {
        guard let runtime else { return link == nil ? nil : .python }
        guard let parsed = Runtime(rawValue: runtime.lowercased()) else {
            throw CommandFailure.usage("--runtime '\(runtime)' is not a runtime; use swift or python.")
        }
        if parsed == .swift, link != nil {
            throw CommandFailure.usage("--link prices a Dask cluster, which only the python runtime measures; drop --link or ask about --runtime python.")
        }
        if parsed == .python, let codec, codec != Runtime.pythonCodec {
            throw CommandFailure.usage("--runtime python always pickles; drop --codec \(codec) or ask about --runtime swift.")
        }
        return parsed
    }

    /// The result's points of one runtime: a recommendation compares pools within a runtime, never across. Left
    /// to the result, Swift when it has Swift points, else CPython.
    static func restrict(_ result: SweepResult, to asked: Runtime?, path: String) throws -> SweepResult {
        let measured = Set(result.points.map(\.measuredRuntime))
        let runtime = asked ?? (measured.contains(.swift) || measured.isEmpty ? .swift : .python)
        guard measured.contains(runtime) else {
            throw CommandFailure.runtime(
                "\(path) has no \(runtime == .python ? "CPython" : "Swift") points; sweep with --runtime \(runtime.rawValue), or pass --measure.")
        }
        var restricted = result
        restricted.points = result.points.filter { $0.measuredRuntime == runtime }
        if result.plan.runtimes != nil { restricted.plan.runtimes = [runtime] }
        if runtime == .python { restricted.plan.gil = 1 }  // the real GIL, measured
        return restricted
    }

    /// Runs the short sweep `--measure` asks for and returns its result's path. Its progress and headline go to
    /// stderr, so stdout carries only the recommendation (`--format json` stays parseable).
    func measureRequest(_ request: RecommendationRequest) throws -> String {
        let sizeBytes = request.sizeBytes
        // Four sizes, ×4 apart, ending at the asked size: the model then interpolates rather than extrapolates.
        // Work and lock stay out of the measurement (they would only add the CPU time the profile defines, and
        // make a heavy request take many minutes); the model adds them to the measured pipeline.
        // At least two sizes, also for a request of a few KB (the model needs two to separate fixed from per-byte).
        let smallest = Swift.max(1_000, sizeBytes / 64)
        let largest = Swift.max(sizeBytes, smallest * 4)
        var arguments = [
            "--min", "\(smallest)B", "--max", "\(largest)B", "--factor", "4",
            "--shapes", (request.shape ?? .records).rawValue, "--codecs", codec ?? "binary",
            "--work", "none", "--gil", "0",
            "--budget", "\(budget)", "--calibrate-size", "16MB",
            "--runtime", (try parsedRuntime() ?? .swift).rawValue,
            "--name", "recommend-" + ReportDirectory.defaultName().replacingOccurrences(of: "sweep-", with: ""),
        ]
        if let workers = request.workers { arguments += ["--workers", "\(workers)"] }
        if let python { arguments += ["--python", python] }
        try checkMemory(request, smallest: smallest, largest: largest)
        let sweep: SweepCommand
        do {
            sweep = try SweepCommand.parse(arguments)
        } catch {
            throw CommandFailure.usage("--measure could not plan its sweep: \(SweepCommand.message(for: error))")
        }
        StandardError.write("payloadlab recommend --measure: payloadlab sweep \(arguments.joined(separator: " "))\n")
        return try sweep.execute { line in
            StandardError.write(line + "\n")
            return nil
        }
    }

    /// Refuses a `--measure` that cannot fit in memory in terms of this command's flags (the sweep's own check
    /// would suggest a smaller `--max`, which the user never typed).
    func checkMemory(_ request: RecommendationRequest, smallest: Int, largest: Int) throws {
        let workers = request.workers ?? Cores.available
        guard let plan = try? SweepPlan(
            minBytes: smallest, maxBytes: largest, shapes: [request.shape ?? .records], codecs: [codec ?? "binary"],
            workers: workers) else { return }
        let environment = Environment.capture(commandLine: [], scratchDirectory: FileManager.default.temporaryDirectory.path)
        let guardrail = ResourceGuard(plan: plan, environment: environment)
        let available = environment.availableMemoryBytes
        let needed = guardrail.estimatedPeakMemoryBytes
        guard available > 0, needed > available else { return }
        let fitting = Int(clampingFinite: Double(request.sizeBytes) * Double(available) / Double(needed)) / 1_000_000 * 1_000_000
        throw CommandFailure.runtime(
            "Measuring \(ByteSize(bytes: request.sizeBytes)) payloads with \(workers) workers needs about "
            + "\(Formatting.bytes(Double(needed))) of memory but \(Formatting.bytes(Double(available))) is available; "
            + "ask about --size \(ByteSize(bytes: Swift.max(1_000, fitting))) or less, or fewer --workers.")
    }
}
