import Model
import Results
import Units
import Payload
/// Renders a sweep result as the markdown report a team reads to decide. Pure: values in, text out.
public enum MarkdownReport {
    /// Extra sections other renderers contribute (charts, the model's decision map), placed after the tables.
    public struct Extras: Sendable {
        /// The report's file name without extension; when set, the charts `SweepCharts` draws are linked.
        public var reportName: String?
        /// Markdown sections appended before the method section.
        public var sections: [String]

        public init(reportName: String? = nil, sections: [String] = []) {
            self.reportName = reportName
            self.sections = sections
        }
    }

    public static func render(_ result: SweepResult, extras: Extras = Extras()) -> String {
        let model = CostModel.fitWithUncertainty(result)
        var out = "# payloadlab: process pool vs thread pool — \(result.name)\n\n"
        if !result.complete {
            out += "> **Incomplete run.** \(result.stopReason ?? "The sweep stopped early.") "
            out += "The tables below hold the \(result.points.count) of \(result.plan.pointCount) points that finished.\n\n"
        }
        out += QuietMachineSection.header(result)
        out += recommendation(result, model: model)
        let comparisons = MeasuredComparison.all(in: result)
        func chart(_ kind: SweepCharts.Kind, _ comparison: MeasuredComparison) -> String {
            guard let name = extras.reportName else { return "" }
            let link = SweepCharts.link(kind, comparison, result: result, reportName: name)
            return "![\(link.alt)](\(link.path))\n\n"
        }
        for comparison in comparisons { out += chart(.throughput, comparison) }
        out += RuntimeSection.render(result, reportName: extras.reportName)
        out += NetworkSection.render(result)
        out += environment(result)
        out += poolStartup(result)
        for comparison in comparisons {
            out += shapeSection(result, comparison, stagesChart: chart(.stages, comparison))
        }
        out += memory(result)
        for comparison in comparisons { out += chart(.memory, comparison) }
        out += failures(result)
        out += EfficiencySection.render(result)
        if !model.options.isEmpty {
            out += DecisionMapSection.render(result, model: model)
            for comparison in comparisons {
                let native = chart(.decisionNative, comparison)
                let locked = chart(.decisionLocked, comparison)
                if Set(model.options(shape: comparison.shape, codec: comparison.codec).map(\.pool)).count >= 2 {
                    out += native + locked
                }
            }
            out += ModelAccuracySection.render(result, model: model)
        }
        for section in extras.sections { out += section }
        out += method(result)
        return out
    }

    /// The recommendation's sentences, for the top of the report and the terminal.
    public static func headline(_ result: SweepResult) -> [String] {
        MeasuredComparison.all(in: result).map { sentence(for: $0, result: result) }
            + FormatComparison.all(in: result).map(sentence(for:))
    }

    /// Formats compared as well as pools: which codec brings the process pool closest to the threads.
    static func sentence(for formats: FormatComparison) -> String {
        guard let best = formats.entries.first else { return "" }
        let size = Formatting.sizeLabel(formats.sizeBytes)
        let others = formats.entries.dropFirst().map {
            "with `\($0.codec)` its best (\($0.processPool.label)) reaches \(Formatting.ratio($0.timesBestThread))"
        }
        let tail = others.isEmpty ? "" : "; " + others.joined(separator: ", ")
        return "**\(formats.shape.rawValue)** at \(size), formats compared: the best process pool is "
            + "`\(best.codec)` over \(best.processPool.label), at \(Formatting.ratio(best.timesBestThread)) "
            + "the throughput of the best thread pool (`\(formats.threadCodec)`, "
            + "\(Formatting.significant(formats.threadTasksPerSecond)) tasks/s)\(tail)."
    }

    static func recommendation(_ result: SweepResult, model: CostModel) -> String {
        var out = "## Recommendation\n\n"
        out += "For work `\(result.plan.work)`\(result.plan.gil > 0 ? " with a modelled interpreter lock over \(Formatting.percent(result.plan.gil)) of work and codec time (`--gil \(Formatting.significant(result.plan.gil))`)" : " with native threads (`--gil 0`)"), \(result.plan.workers) workers, \(result.plan.sync ? "writes fsynced" : "writes to the page cache")\(hugePagesSetting(result)):\n\n"
        let comparisons = MeasuredComparison.all(in: result)
        if comparisons.isEmpty {
            out += "- No point finished, so there is nothing to recommend.\n"
        }
        for comparison in comparisons {
            out += "- \(sentence(for: comparison, result: result))\n"
        }
        for formats in FormatComparison.all(in: result) {
            out += "- \(sentence(for: formats))\n"
        }
        out += modelOutlook(result, comparisons, model: model)
        if result.plan.gil > 0 {
            out += "\n*The interpreter lock is a model (CPython's GIL), not CPython itself: it serialises the chosen share of each thread's work and codec time behind one lock per process.*\n"
        }
        out += "\n"
        return out
    }

    /// What the cost model expects under the other lock setting: the least work per byte at which each pool wins
    /// at the largest measured size (see the decision map for every cell).
    static func modelOutlook(_ result: SweepResult, _ comparisons: [MeasuredComparison], model: CostModel) -> String {
        guard !model.options.isEmpty else { return "" }
        let otherGIL: Double = result.plan.gil > 0 ? 0 : 1
        var out = ""
        for comparison in comparisons {
            guard let size = comparison.rows.last?.sizeBytes,
                  Set(model.options(shape: comparison.shape, codec: comparison.codec).map(\.pool)).count >= 2
            else { continue }
            // CPython's GIL is measured, not modelled: its outlook is always for pure-Python work holding it.
            let cpython = comparison.codec == Runtime.pythonCodec
            let gil = cpython ? 1 : otherGIL
            let grid = DecisionMapSection.grid(
                model: model, shape: comparison.shape, codec: comparison.codec, workers: model.sweepWorkers,
                sizes: [size], workNanosecondsPerByte: DecisionMapSection.workRows, gil: gil)
            let winners = grid.cells.map { $0.first?.winner }
            let label = cpython ? "pure-Python work in CPython (it holds the GIL)"
                : otherGIL == 1 ? "CPython-like code (`--gil 1`)" : "native threads (`--gil 0`)"
            let subject = comparison.shape.rawValue
                + (result.plan.allCodecs.count > 1 && !cpython ? " with `\(comparison.codec)`" : "")
            if let index = winners.firstIndex(where: { $0 != nil && $0 != winners.first ?? nil }), let flipped = winners[index] {
                let work = grid.rows[index]
                out += "- Model: with \(label), \(subject) at \(Formatting.sizeLabel(size)) goes to the **\(flipped.label) pool** from about \(Formatting.significant(work)) ns of work per byte (see the decision map).\n"
            } else if let winner = winners.first ?? nil, let open = winners.firstIndex(where: { $0 == nil }) {
                let work = grid.rows[open] > 0 ? "from about \(Formatting.significant(grid.rows[open])) ns of work per byte" : "with no work"
                let named = open > 1 ? "with up to \(Formatting.significant(grid.rows[open - 1])) ns of work per byte" : "with no work"
                out += "- Model: with \(label), \(subject) at \(Formatting.sizeLabel(size)) goes to the **\(winner.label) pool** \(named); \(work) it names no pool: the pools are within \(Formatting.percent(MeasuredComparison.tieMargin - 1)) or their \(Formatting.percent(OptionUncertainty.coverage)) intervals overlap (too close to call; see the decision map).\n"
            } else if let winner = winners.first ?? nil {
                out += "- Model: with \(label), \(subject) at \(Formatting.sizeLabel(size)) stays with the **\(winner.label) pool** for work up to \(Formatting.significant(DecisionMapSection.workRows.last ?? 0)) ns per byte.\n"
            } else if grid.cells.contains(where: { $0.first?.margin != nil }) {
                out += "- Model: with \(label), \(subject) at \(Formatting.sizeLabel(size)) names no pool for work up to \(Formatting.significant(DecisionMapSection.workRows.last ?? 0)) ns per byte: the pools are within \(Formatting.percent(MeasuredComparison.tieMargin - 1)) or their \(Formatting.percent(OptionUncertainty.coverage)) intervals overlap (too close to call).\n"
            }
        }
        return out
    }

    static func sentence(for comparison: MeasuredComparison, result: SweepResult) -> String {
        let subject = comparison.codec == Runtime.pythonCodec
            ? "**\(comparison.shape.rawValue)** in CPython (`pickle`)" : "**\(comparison.shape.rawValue)** with `\(comparison.codec)`"
        let rows = comparison.rows
        guard let first = rows.first, let last = rows.last else { return "\(subject): no measurements." }
        let range = "\(Formatting.sizeLabel(first.sizeBytes))–\(Formatting.sizeLabel(last.sizeBytes))"
        let pools = Set(rows.flatMap(\.tasksPerSecond.keys))
        if pools.count == 1, let pool = pools.first {
            // Nothing to compare: say what was measured instead of calling a one-pool sweep a tie.
            let throughput = { (row: MeasuredComparison.Row) in
                "\(row.tasksPerSecond[pool].map { Formatting.significant($0) } ?? "–") tasks/s at \(Formatting.sizeLabel(row.sizeBytes))"
            }
            let span = rows.count == 1 ? throughput(first) : "from \(throughput(first)) to \(throughput(last))"
            return "\(subject): only the \(pool.label) pool was measured (\(range)), \(span); sweep both pools to compare them."
        }
        let winners = Set(rows.compactMap(\.winner))
        let margins = rows.filter { $0.winner != nil }.map(\.margin)
        let spread = margins.isEmpty ? "" : (margins.min()! == margins.max()! ? "\(Formatting.ratio(margins[0]))" : "\(Formatting.ratio(margins.min()!))–\(Formatting.ratio(margins.max()!))")
        if winners.isEmpty {
            return "\(subject): neither pool is more than \(Formatting.percent(MeasuredComparison.tieMargin - 1)) faster at any size (\(range)); pick on memory and simplicity."
        }
        if winners.count == 1, let winner = winners.first {
            let ties = rows.filter { $0.winner == nil }.map { Formatting.sizeLabel($0.sizeBytes) }
            let tieText = ties.isEmpty ? "" : " (a tie within \(Formatting.percent(MeasuredComparison.tieMargin - 1)) at \(ties.joined(separator: ", ")))"
            return "\(subject): use the **\(winner.label) pool** at every measured size (\(range)); it delivers \(spread) the other's throughput\(tieText)."
        }
        let crossings = comparison.crossovers.map {
            "\($0.belowWinner.label) → \($0.aboveWinner.label) at about \(Formatting.sizeLabel($0.estimatedBytes)) (between \(Formatting.sizeLabel($0.betweenBytes.0)) and \(Formatting.sizeLabel($0.betweenBytes.1)))"
        }
        let byWinner = Dictionary(grouping: rows.filter { $0.winner != nil }, by: { $0.winner! })
        let parts = byWinner.keys.sorted { byWinner[$0]!.map(\.sizeBytes).min()! < byWinner[$1]!.map(\.sizeBytes).min()! }.map { pool -> String in
            let sizes = byWinner[pool]!.map(\.sizeBytes)
            let best = byWinner[pool]!.map(\.margin).max()!
            return "the \(pool.label) pool wins at \(Formatting.sizeLabel(sizes.min()!))–\(Formatting.sizeLabel(sizes.max()!)) (up to \(Formatting.ratio(best)))"
        }
        return "\(subject): \(parts.joined(separator: "; ")); the winner changes \(crossings.joined(separator: ", then "))."
    }

    static func environment(_ result: SweepResult) -> String {
        let env = result.environment
        var out = "## Environment\n\n"
        var table = MarkdownTable(header: ["", ""])
        table.add(["CPU", "\(env.cpuModel), \(env.cores) cores"])
        table.add(["Memory", "\(Formatting.bytes(Double(env.memoryBytes))) (\(Formatting.bytes(Double(env.availableMemoryBytes))) available at start)"])
        table.add(["Kernel", env.kernel])
        table.add(["Swift", "\(env.swiftVersion), \(env.buildConfiguration) build"])
        table.add(["payloadlab", env.payloadlabVersion])
        table.add(["Scratch", "\(env.scratchDirectory) (\(env.scratchFilesystem))"])
        if let hugePages = hugePagesRow(result) { table.add(["Huge pages", hugePages]) }
        let after = env.loadAverageAfter.map { Formatting.fixed($0, decimals: 2) } ?? "–"
        table.add(["Load average", "\(Formatting.fixed(env.loadAverageBefore, decimals: 2)) before, \(after) after"])
        table.add(["Started", env.startedAt])
        table.add(["Duration", Formatting.seconds(result.durationSeconds)])
        table.add(["Command", "`\(env.commandLine)`"])
        out += table.render() + "\n"
        for warning in result.warnings {
            out += "> **Warning:** \(warning)\n\n"
        }
        return out
    }

    /// ", payload buffers advised to use huge pages (`--huge-pages`)" for the recommendation's settings line when the
    /// run asked for them; empty otherwise.
    static func hugePagesSetting(_ result: SweepResult) -> String {
        guard result.plan.usesHugePages else { return "" }
        var out = ", payload buffers advised to use huge pages (`--huge-pages`"
        if let mode = result.environment.hugePages?.mode { out += ", kernel mode \(mode)" }
        if result.environment.hugePages?.probeTookEffect == false { out += ", which did not take effect here" }
        return out + ")"
    }

    /// The environment table's huge-page line: the kernel's modes, and what `--huge-pages` found. Nil for results
    /// that recorded neither.
    static func hugePagesRow(_ result: SweepResult) -> String? {
        let asked = result.plan.usesHugePages
        guard let support = result.environment.hugePages else {
            return asked ? "advised (`--huge-pages`); the kernel's mode was not recorded" : nil
        }
        var out = "transparent huge pages \(support.mode ?? "not in this kernel")"
        if let shared = support.sharedMemoryMode { out += " (shared memory: \(shared))" }
        if asked {
            out += "; `--huge-pages` on: "
            if let error = support.adviceError {
                out += "madvise failed (\(Sentence.clause(error))), so buffers stayed in 4 KiB pages"
            } else if let probed = support.probeBytes, let huge = support.probeHugePageBytes {
                out += "a probe's advised \(Formatting.sizeLabel(probed)) got \(Formatting.sizeLabel(huge)) in huge pages"
            } else {
                out += "advice accepted"
            }
            if result.plan.pools.contains(.processShm), !support.sharedMemoryCanTakeEffect {
                out += "; shared segments (`process:shm`) stay in 4 KiB pages under shared-memory mode \(support.sharedMemoryMode ?? "unknown")"
            }
        } else if support.alwaysOn {
            out += "; no advice asked, but mode always gives private memory huge pages anyway"
        } else {
            out += "; off for this run (`--huge-pages` not given)"
        }
        return out
    }

    static func poolStartup(_ result: SweepResult) -> String {
        var out = "## Pool start-up (measured apart, never in task cost)\n\n"
        for pool in result.plan.pools {
            let times = result.points.filter { $0.pool == pool && $0.succeeded }.map(\.poolStartSeconds)
            guard let summary = Summary.of(times) else { continue }
            out += "- \(pool.label) pool of \(result.plan.workers): median \(Formatting.seconds(summary.median)) to start (\(summary.count) starts, \(Formatting.seconds(summary.min))–\(Formatting.seconds(summary.max)))"
            if pool == .process, let pipe = result.points.first(where: { $0.pool == .process && $0.pipeBufferBytes > 0 })?.pipeBufferBytes {
                out += "; pipe buffer \(Formatting.sizeLabel(pipe))"
            }
            out += ".\n"
        }
        for pool in result.plan.pools {
            let smallest = result.points.filter { $0.pool == pool && $0.succeeded && $0.overhead != nil }
                .min { $0.sizeBytes < $1.sizeBytes }
            if let point = smallest, let overhead = point.overhead {
                out += "- \(pool.label) pool machinery per task at \(Formatting.sizeLabel(point.sizeBytes)) (latency minus its stages): median \(Formatting.seconds(overhead.median)); whole round trip \(Formatting.seconds(point.latency.median)).\n"
            }
        }
        return out + "\n"
    }

    static func shapeSection(_ result: SweepResult, _ comparison: MeasuredComparison, stagesChart: String = "") -> String {
        var out = "## \(comparison.shape.rawValue) with `\(comparison.codec)`\n\n"
        out += throughputTable(result, comparison).render() + "\n"
        let here = result.points.filter { $0.shape == comparison.shape && $0.codec == comparison.codec && $0.succeeded }
        if here.contains(where: \.isDisturbed) { out += QuietMachineSection.footnote }
        out += stagesChart

        let stages = Stage.allCases.filter { stage in
            result.points.contains { $0.shape == comparison.shape && $0.codec == comparison.codec && $0.stages[stage] != nil }
        }
        out += "Median wall time per stage and task, with the CPU time of the thread that ran it on the `└ cpu` row "
        out += "(p10–p90 of end-to-end latency in brackets):\n\n"
        for row in comparison.rows {
            out += "### \(comparison.shape.rawValue), \(Formatting.sizeLabel(row.sizeBytes))\n\n"
            let here = result.points.filter {
                $0.shape == comparison.shape && $0.codec == comparison.codec && $0.sizeBytes == row.sizeBytes
            }
            out += stageTable(here, stages: stages).render() + "\n"
            for point in here.sorted(by: { $0.pool < $1.pool }) {
                for note in point.notes { out += "- \(point.pool.label): \(note)\n" }
            }
            if here.contains(where: { !$0.notes.isEmpty }) { out += "\n" }
        }
        return out
    }

    /// One row per size: each pool's tasks/s, MB/s and median latency, then the winner and its margin.
    static func throughputTable(_ result: SweepResult, _ comparison: MeasuredComparison) -> MarkdownTable {
        let pools = result.plan.pools
        var header = ["size"]
        for pool in pools { header += ["\(pool.label) tasks/s", "\(pool.label) MB/s", "\(pool.label) latency p50"] }
        header += ["winner", "margin"]
        var summary = MarkdownTable(header: header, rightAligned: Set(0..<header.count - 2).subtracting([0]))
        for row in comparison.rows {
            var cells = [Formatting.sizeLabel(row.sizeBytes)]
            for pool in pools {
                let tps = row.tasksPerSecond[pool]
                let point = result.points.first {
                    $0.succeeded && $0.pool == pool && $0.shape == comparison.shape && $0.codec == comparison.codec
                        && $0.sizeBytes == row.sizeBytes
                }
                cells.append((tps.map { Formatting.significant($0) } ?? "–") + QuietMachineSection.mark(point))
                cells.append(tps.map { Formatting.significant($0 * Double(row.sizeBytes) / 1e6) } ?? "–")
                cells.append(row.latency[pool].map(Formatting.seconds) ?? "–")
            }
            cells.append(row.winner?.label ?? "tie")
            cells.append(Formatting.ratio(row.margin))
            summary.add(cells)
        }
        return summary
    }

    /// One point's row per pool (median wall time per stage, latency, tasks/s, MB/s, samples), each followed by
    /// its `└ cpu` row of CPU time per stage.
    static func stageTable(_ points: [PointResult], stages: [Stage]) -> MarkdownTable {
        let header = ["pool"] + stages.map(\.rawValue) + ["latency", "tasks/s", "MB/s", "samples"]
        var table = MarkdownTable(header: header, rightAligned: Set(1..<header.count))
        for point in points.sorted(by: { $0.pool < $1.pool }) {
            guard point.succeeded else {
                table.add([point.pool.label + " (failed)"] + stages.map { _ in "–" } + ["–", "–", "–", "0"])
                continue
            }
            var cells = [point.pool.label + QuietMachineSection.mark(point)]
            for stage in stages {
                cells.append(point.median(stage).map(Formatting.seconds) ?? "–")
            }
            let l = point.latency
            cells.append("\(Formatting.seconds(l.median)) (\(Formatting.seconds(l.p10))–\(Formatting.seconds(l.p90)))")
            cells.append(Formatting.significant(point.tasksPerSecond))
            cells.append(Formatting.significant(point.bytesPerSecond / 1e6))
            cells.append("\(point.samples.count)")
            table.add(cells)
            var cpu = ["└ cpu"]
            for stage in stages {
                cpu.append(point.stageCPUMedians[stage].map(Formatting.seconds) ?? "–")
            }
            table.add(cpu + ["", "", "", ""])
        }
        return table
    }

    static func memory(_ result: SweepResult) -> String {
        var out = "## Memory and CPU\n\n"
        let selfReported = result.points.contains { $0.memory.workerPeaksSelfReported == true }
        out += selfReported
            ? "Peak resident memory per point, read from the kernel: VmHWM, the parent's own and each worker's as the worker reported it after every task. "
            : "Peak resident memory per point, read from the kernel (VmHWM for the parent, `wait4` for workers). "
        out += "Copies = memory added at the peak ÷ one encoded payload. Parent CPU covers the measured batches "
        out += "(the thread pool's work runs in the parent); worker CPU covers each worker's whole life.\n\n"
        // Other processes' CPU use, where it was measured (results written before it have no such column).
        let others = result.points.contains { $0.otherCPU != nil }
        if others {
            out += "Other processes' CPU = the CPUs that processes other than payloadlab's (parent and workers) kept busy on average while the point's batches ran, from `/proc/stat`; \(QuietMachineSection.marker) marks a point above \(Formatting.significant(OtherCPUUse.disturbedThresholdCPUs, digits: 2)) (disturbed).\n\n"
        }
        var table = MarkdownTable(
            header: ["shape", "size", "pool", "parent peak", "parent copies", "worker peak (max)", "worker copies", "largest process", "parent CPU user+sys", "workers CPU user+sys"]
                + (others ? ["other processes' CPU"] : []),
            rightAligned: others ? [1, 3, 4, 5, 6, 7, 8, 9, 10] : [1, 3, 4, 5, 6, 7, 8, 9])
        for point in result.points.sorted(by: { ($0.shape.rawValue, $0.sizeBytes, $0.pool) < ($1.shape.rawValue, $1.sizeBytes, $1.pool) }) where point.succeeded {
            let m = point.memory
            let other = others ? [point.otherCPU.map { Formatting.significant($0.averageCPUs, digits: 2) } ?? "–"] : []
            table.add([
                point.shape.rawValue + (result.plan.allCodecs.count > 1 ? " \(point.codec)" : ""),
                Formatting.sizeLabel(point.sizeBytes), point.pool.label + QuietMachineSection.mark(point),
                Formatting.bytes(Double(m.parentPeakBytes)), Formatting.significant(m.parentCopies, digits: 2),
                m.workerPeakBytes.max().map { Formatting.bytes(Double($0)) } ?? "–",
                m.workerCopies.map { Formatting.significant($0, digits: 2) } ?? "–",
                Formatting.bytes(Double(m.largestProcessPeakBytes)),
                "\(Formatting.seconds(point.cpu.parentUserSeconds)) + \(Formatting.seconds(point.cpu.parentSystemSeconds))",
                point.pool.isProcess
                    ? "\(Formatting.seconds(point.cpu.workerUserSeconds)) + \(Formatting.seconds(point.cpu.workerSystemSeconds))" : "–",
            ] + other)
        }
        return out + table.render() + "\n"
    }

    static func failures(_ result: SweepResult) -> String {
        let failed = result.points.filter { !$0.succeeded }
        guard !failed.isEmpty else { return "" }
        var out = "## Failed points\n\n"
        for point in failed {
            out += "- \(point.pool.label) \(point.shape.rawValue) `\(point.codec)` \(Formatting.sizeLabel(point.sizeBytes)): \(point.failure ?? "")\n"
        }
        return out + "\n"
    }

    /// Where the Dask points' scheduler and workers ran, one sentence per kind of cluster the points recorded
    /// (results written before the scheduler had its own process say it ran in the client's).
    static func daskClusters(_ result: SweepResult) -> [String] {
        var sentences: [String] = []
        for point in result.points where point.pool.isDask {
            guard let details = point.python, let scheduler = details.daskScheduler else { continue }
            let sentence: String
            if scheduler != "local" {
                sentence = "Dask: the scheduler at \(scheduler) and its workers, on their own hosts; the client (the driver) serializes every task on this machine."
            } else if details.daskSchedulerInProcess == true {
                sentence = "Dask: a `distributed.LocalCluster` on 127.0.0.1, started per point: \(point.workers) worker processes of one thread each over TCP, and the scheduler on the client's event loop inside the driver's own process, sharing its interpreter and GIL."
            } else {
                sentence = "Dask: a scheduler process and \(point.workers) worker processes of one thread each (no nanny) on 127.0.0.1, over TCP, started per point; the client is the driver, in a process of its own, so the scheduler's work does not share the client's interpreter or GIL."
            }
            if !sentences.contains(sentence) { sentences.append(sentence) }
        }
        return sentences
    }

    static func method(_ result: SweepResult) -> String {
        let plan = result.plan
        var out = "## Method\n\n"
        out += "- Before each point the page cache's dirty data is flushed (`sync`), so earlier writes are not written back during it. "
        out += "Each point starts its own pool; start-up is reported above, not in task cost. "
        out += "\(plan.warmupTasksPerWorker) warm-up task per worker runs first and is kept apart in the JSON.\n"
        if let tasks = plan.tasks {
            out += "- \(tasks) measured tasks per point.\n"
        } else {
            out += "- Measured tasks per point: at least \(plan.minTasks) in at least \(plan.minBatches) batches, then more until \(Formatting.seconds(plan.budgetSeconds)) of measuring or \(plan.maxTasks) tasks.\n"
            if let rule = plan.slowPoint, rule.batches < plan.minBatches {
                let task = Formatting.seconds(rule.seconds / Double(plan.minBatches))
                out += "- A slow point (its warm-up tasks took longer than \(task) each, so \(plan.minBatches) batches would take over \(Formatting.seconds(rule.seconds))) is measured in at least \(rule.batches) batches of one task per worker instead; its median still resists one disturbed batch.\n"
            }
        }
        out += "- Process pool: the parent encodes on the feeder thread of an idle worker, writes the bytes to that worker's pipe; the worker decodes, verifies the checksum, works, re-encodes, writes and removes a scratch file, and reports its stage timestamps (CLOCK_MONOTONIC, shared by parent and workers). Workers run on their main thread under a fixed glibc heap policy (below 32 MiB an allocation reuses heap that is kept, not returned to the kernel, between tasks; from 32 MiB it is a fresh mapping), so a steady stream reuses its memory as the pool threads do instead of depending on glibc's adaptive trim.\n"
        out += "- Thread pool: a thread takes the parent's object in place (never copied), works, encodes, writes and removes a scratch file. Its threads are pinned round robin to the allowed CPUs, as a pool serving a steady stream ends up spread by the scheduler.\n"
        if result.environment.parentHeapPolicy == true {
            out += "- The parent (payloads, the process pool's encodes, the pool threads) ran under a fixed glibc heap policy too: below 32 MiB an allocation comes from the heap, from 32 MiB it is a fresh mapping every time, because the heap's free top goes back to the kernel once it reaches 32 MiB. Left to adapt, glibc served a 64 MB re-encode from heap that earlier points had grown in one sweep and from a fresh mapping in another, so a size's cost depended on what ran before it.\n"
        }
        for sentence in daskClusters(result) { out += "- \(sentence)\n" }
        if plan.usesHugePages {
            out += "- Huge pages (`--huge-pages`, the Swift runtime's pools): payload-sized buffers of 2 MiB and more — each generated payload, every encoding, a worker's receive buffer, decoded blobs, numbers and record arrays — were advised with `madvise(MADV_HUGEPAGE)` before their first write, in the parent and in the workers; buffers payloadlab owns start on a 2 MiB boundary, arrays have their whole 2 MiB pages advised. The `shm` transport's segments take the advice only when the kernel's shared-memory mode allows it.\n"
        }
        out += "- Throughput = the median over batches of tasks ÷ the batch's wall time, with all \(plan.workers) workers busy (a batch's clock starts once every one of its threads is running). Latency = from the parent taking a task to the parent holding its result.\n"
        out += "- Raw samples of every task are in `\(result.name).json` (schema version \(result.schemaVersion)).\n"
        return out
    }
}
