import Units
import Payload
import Results

extension ClusterComparison {
    /// The comparison as `payloadlab recommend --runtime python` prints it: the choice among the three options, a
    /// table of them, the cluster's transfer and crossovers, the memory each needs, then the choice between the two
    /// pools on this machine as `Recommendation.text` gives it. Pure: no I/O.
    ///
    /// - Parameter source: the result file the model was fitted to, named when given.
    public func text(source: String? = nil) -> String {
        guard let cluster else {
            var out = local.text(source: source)
            out += "\nCluster of hosts: \(missingMeasurement ?? ClusterComparison.missingSentence(shape: local.shape))\n"
            return out
        }
        let scenario = local.scenario
        let best = local.recommended
        let settings = "\(scenario.work), \(scenario.workers) workers, this machine has \(local.cores) cores"
        let subject = "\(Formatting.bytes(Double(scenario.sizeBytes))) \(local.shape.rawValue) (\(settings))"
        var out: String
        switch (verdict, faster) {
        case (.winner, .cluster?):
            out = "Use a Dask cluster (\(cluster.pool.label), \(cluster.placement)) for \(subject), over \(cluster.network.label).\n"
        case (.winner, _):
            out = "Use the \(best.pool.label) pool with \(best.codec) for \(subject); a Dask cluster over \(cluster.network.label) would not pay.\n"
        case (.tooCloseToCall, _):
            out = "Too close to call between a Dask cluster and the \(best.pool.label) pool for \(subject): their \(Formatting.percent(OptionUncertainty.coverage)) intervals overlap.\n"
        default:
            out = "A Dask cluster and the \(best.pool.label) pool tie for \(subject), over \(cluster.network.label); keep the \(best.pool.label) pool, which needs no other hosts.\n"
        }
        if let source { out += "Model fitted to \(source).\n" }
        out += "\n"
        out += table(cluster: cluster).render() + "\n"

        if let margin {
            let slower = faster == .cluster ? "the \(best.pool.label) pool (\(best.codec))" : "the cluster"
            let quicker = faster == .cluster ? "the cluster" : "the \(best.pool.label) pool"
            out += "Margin: \(quicker) delivers \(Formatting.ratio(margin)) the throughput of \(slower)"
            out += verdict == .tie ? ", within \(Formatting.percent(MeasuredComparison.tieMargin - 1)): a tie.\n" : ".\n"
        }
        out += transferLine(cluster) + "\n"
        for sentence in sentences { out += sentence + "\n" }
        out += memoryLine(cluster) + "\n"
        out += networkNote(cluster) + "\n"
        out += "\nBetween the pools on this machine alone:\n"
        out += local.text()
        return out
    }

    /// Every local option and the cluster, fastest local first.
    func table(cluster: ClusterPrediction) -> MarkdownTable {
        let scenario = local.scenario
        let intervals = cluster.tasksPerSecondInterval != nil || local.options.contains { $0.tasksPerSecondInterval != nil }
        let throughputHeader = intervals ? "tasks/s (\(Formatting.percent(OptionUncertainty.coverage)) interval)" : "tasks/s"
        var table = MarkdownTable(
            header: ["option", "runs on", "latency", throughputHeader, "MB/s", "\(scenario.tasks) tasks", "memory", "limited by"],
            rightAligned: [2, 3, 4, 5, 6])
        func throughput(_ value: Double, _ interval: PredictionInterval?) -> String {
            Formatting.significant(value) + (interval.map { " (\(Recommendation.range($0)))" } ?? "")
        }
        for option in local.options {
            table.add([
                option.label, "\(option.workers) here", Formatting.seconds(option.latencySeconds),
                throughput(option.tasksPerSecond, option.tasksPerSecondInterval),
                Formatting.significant(option.bytesPerSecond / 1e6), Formatting.seconds(option.totalSeconds),
                option.memory.totalPeakBytes > 0 ? Formatting.bytes(Double(option.memory.totalPeakBytes)) : "–",
                option.limit.label,
            ])
        }
        let memory = cluster.remoteWorkers > 0
            ? "\(Formatting.bytes(Double(cluster.thisMachineBytes))) here, \(Formatting.bytes(Double(cluster.memory.totalPeakBytes))) in all"
            : Formatting.bytes(Double(cluster.memory.totalPeakBytes))
        table.add([
            "\(cluster.label) \(cluster.codec)", cluster.placement, Formatting.seconds(cluster.latencySeconds),
            throughput(cluster.tasksPerSecond, cluster.tasksPerSecondInterval),
            Formatting.significant(cluster.bytesPerSecond / 1e6), Formatting.seconds(cluster.totalSeconds),
            cluster.memory.totalPeakBytes > 0 ? memory : "–", cluster.limit.label,
        ])
        return table
    }

    /// What a task sent to another host pays to get there, and why.
    func transferLine(_ cluster: ClusterPrediction) -> String {
        let size = Formatting.bytes(Double(cluster.sizeBytes))
        let measured = Formatting.seconds(cluster.measuredTransferSeconds)
        let overhead = "Dask's own per-task overhead (latency − stages) adds \(Formatting.seconds(cluster.overheadSeconds)), and the client serializes each object in \(Formatting.seconds(cluster.serializeSeconds))."
        guard let linkSeconds = cluster.linkTransferSeconds, let link = cluster.network.link else {
            return "Transfer to a worker: \(measured) a task for \(size), Dask's transfer as measured on this machine's loopback; \(overhead)"
        }
        let priced = "\(size) over \(link.label) takes \(Formatting.seconds(linkSeconds)) a task (size ÷ bandwidth + latency)"
        if cluster.measuredTransferSeconds > linkSeconds {
            return "Transfer to another host: \(priced), but Dask took \(measured) for it over loopback here and a real network is no faster, so \(measured) is charged; \(overhead)"
        }
        return "Transfer to another host: \(priced); Dask took \(measured) for it over loopback here. \(overhead)"
    }

    /// The memory each option needs at its peak.
    func memoryLine(_ cluster: ClusterPrediction) -> String {
        var parts: [String] = []
        var seen: Set<PoolKind> = []
        for option in local.options where !seen.contains(option.pool) && option.memory.totalPeakBytes > 0 {
            seen.insert(option.pool)
            parts.append("the \(option.pool.label) pool \(Formatting.bytes(Double(option.memory.totalPeakBytes)))")
        }
        if cluster.remoteWorkers > 0 {
            parts.append("the cluster \(Formatting.bytes(Double(cluster.thisMachineBytes))) on this machine (the client and \(cluster.localWorkers) workers) plus \(Formatting.bytes(Double(cluster.memory.workerPeakBytes))) for each of the \(cluster.remoteWorkers) workers on other hosts, \(Formatting.bytes(Double(cluster.memory.totalPeakBytes))) in all")
        } else {
            parts.append("the cluster \(Formatting.bytes(Double(cluster.memory.totalPeakBytes))) (the client and \(cluster.localWorkers) workers, all on this machine)")
        }
        return "Memory at the peak: " + parts.joined(separator: "; ") + "."
    }

    /// Where the network's figures come from, and that loopback is the upper bound of a real network.
    func networkNote(_ cluster: ClusterPrediction) -> String {
        switch cluster.network.source {
        case .given:
            return "The link is the one given (--link); a task on another host is charged at least Dask's transfer measured over loopback, the upper bound of a real network."
        case .loopbackCalibration:
            return "No --link was given, so the cluster is priced at this machine's loopback TCP from the calibration: loopback is the upper bound of a real network, so this is the cluster at its best; pass --link BANDWIDTH,LATENCY (e.g. --link 10Gbit,200us) to price a real one."
        case .measuredDaskTransfer:
            return "No --link was given and the calibration has no TCP figures, so the cluster is priced at Dask's own transfer over loopback, the upper bound of a real network; pass --link BANDWIDTH,LATENCY (e.g. --link 10Gbit,200us) to price a real one, or run payloadlab calibrate."
        }
    }
}
