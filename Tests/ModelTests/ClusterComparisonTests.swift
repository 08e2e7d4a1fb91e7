import Foundation
import Testing
import TestSupport
@testable import Units
@testable import Results
@testable import Model
@testable import Payload

@Suite("Model: a cluster of hosts")
struct ClusterComparisonTests {
    /// A CPython sweep of thread, process and Dask on 2 cores, 2 workers, cpu:30.
    static let model = CostModel.fit(try! SyntheticDaskSweep.result())

    static func compare(
        _ model: CostModel = ClusterComparisonTests.model, size: String = "120MB", work: String = "cpu:30", workers: Int = 8,
        link: String? = "25Gbit,100us", calibration: Calibration? = SyntheticDaskSweep.calibration
    ) throws -> ClusterComparison {
        let request = try RecommendationRequest(
            size: size, shape: "records", work: work, gil: 1, workers: workers, codec: Runtime.pythonCodec, link: link)
        return try ClusterComparison.compare(model: model, request: request, calibration: calibration)
    }

    @Test func daskIsFittedLikeTheOtherPools() throws {
        let dask = try #require(Self.model.option(pool: .dask, codec: Runtime.pythonCodec, shape: .records))
        #expect(dask.pipeline == Stage.allCases.filter { $0 != .sync })
        #expect(abs(dask.efficiency - 1) < 1e-6, "the formula reproduces the measured throughput")
        #expect(abs(try #require(dask.machinerySeconds).predict(bytes: 120e6) - SyntheticDaskSweep.daskOverheadSeconds) < 1e-9)
        let transfer = try #require(dask.stageSeconds[.transfer]).predict(bytes: 120e6)
        #expect(abs(transfer - SyntheticDaskSweep.daskStages[.transfer]!.at(120_000_000)) < 1e-9)
        #expect(dask.memory.workerPeak != nil, "Dask's workers report their own peaks")
    }

    /// 120 MB, cpu:30, 8 workers on 2 cores over 25 Gbit/s: the hand-computed figures of docs/MODEL.md's formula.
    @Test func clusterThroughputIsTheFormulaByHand() throws {
        let comparison = try Self.compare()
        let cluster = try #require(comparison.cluster)
        let size = 120_000_000
        func line(_ stage: Stage) -> Double { SyntheticDaskSweep.daskStages[stage]!.at(size) }
        let work = 30e-9 * Double(size)
        let overhead = SyntheticDaskSweep.daskOverheadSeconds
        // Local: Dask as measured, T = every stage + overhead, 2 workers on 2 cores.
        let localTask = Stage.allCases.filter { $0 != .sync && $0 != .work }.map(line).reduce(work + overhead, +)
        // Remote: the link prices 38.5 ms, below Dask's measured 122 ms on loopback, so 122 ms is charged.
        let linkTransfer = 120e6 / (25e9 / 8) + 100e-6
        #expect(abs(try #require(cluster.linkTransferSeconds) - linkTransfer) < 1e-12)
        #expect(abs(cluster.transferSeconds - line(.transfer)) < 1e-9)
        let remoteTask = line(.transfer) + line(.deserialize) + line(.verify) + work + line(.reserialize) + line(.write) + overhead
        #expect(abs(cluster.remoteTaskSeconds / remoteTask - 1) < 1e-9)
        let remote = 6 / remoteTask
        let local = min(2 / localTask, (2 - remote * line(.serialize)) / localTask)
        #expect(abs(cluster.remoteTasksPerSecond / remote - 1) < 1e-6)
        #expect(abs(cluster.localTasksPerSecond / local - 1) < 1e-6)
        #expect(abs(cluster.tasksPerSecond / (remote + local) - 1) < 1e-6)
        #expect(cluster.limit == .remoteWorkers)
        #expect(cluster.localWorkers == 2 && cluster.remoteWorkers == 6 && cluster.otherHosts == 3)
        #expect(cluster.placement == "2 here + 6 on 3 hosts")
    }

    @Test func theClusterWinsBeyondTheCoresWhenTheLinkIsFastAndWorkIsHigh() throws {
        let comparison = try Self.compare()
        #expect(comparison.faster == .cluster)
        #expect(comparison.verdict == .winner)
        #expect(try #require(comparison.margin) > 3)
        #expect(comparison.winnerLabel == "cluster dask")
        // Two workers are this machine's Dask, which loses to its process pool; a third, on another host, wins.
        #expect(comparison.workerCrossover == 3)
        #expect(comparison.sentences.contains(
            "Workers: the cluster wins (by 10 % or more) from 3 workers at 120 MB with cpu:30 over a 25.0 Gbit/s, 100 µs link: 1 beyond this machine's 2 cores, on 1 other host like it."))
        #expect(try Self.compare(workers: 2).faster == .local)
    }

    @Test func theClusterNeverWinsOverASlowLink() throws {
        let comparison = try Self.compare(link: "10Mbit,1ms")
        #expect(comparison.faster != .cluster || comparison.verdict == .tie)
        #expect(comparison.workerCrossover == nil)
        let cluster = try #require(comparison.cluster)
        #expect(cluster.limit == .link)
        #expect(comparison.sentences.contains { $0.hasPrefix("Workers: the cluster does not win (by 10 % or more) with any worker count up to 256") })
        #expect(comparison.sentences.contains { $0.contains("limited by the link") })
    }

    @Test func crossoversMoveOnlyOneWayAsTheLinkGetsFaster() throws {
        let links = ["10Mbit,100us", "100Mbit,100us", "1Gbit,100us", "25Gbit,100us"]
        let comparisons = try links.map { try Self.compare(link: $0) }
        // A missing crossover is "never": later than any count or work.
        let workers = comparisons.map { Double($0.workerCrossover ?? Int.max) }
        let work = comparisons.map { $0.workCrossoverNanosecondsPerByte ?? .infinity }
        #expect(workers == workers.sorted(by: >), "\(workers)")
        #expect(work == work.sorted(by: >), "\(work)")
        #expect(workers.first == Double(Int.max), "10 Mbit/s never pays at cpu:30")
        // 25 Gbit/s pays with any cpu: work at 8 workers; with none the thread pool, bound by its lock like the
        // client, keeps up with the cluster.
        #expect(work.last == FlipSearch.workRange.lowerBound, "\(work)")
        // Over the slow link heavy work still pays (the link is idle most of a task), from more work than over 100 Mbit/s.
        #expect(work[0].isFinite && work[0] > work[1])
    }

    @Test func moreWorkNeverNeedsMoreWorkers() throws {
        let counts = try ["cpu:1", "cpu:10", "cpu:30", "cpu:300"].map {
            Double(try Self.compare(work: $0, link: "1Gbit,100us").workerCrossover ?? Int.max)
        }
        #expect(counts == counts.sorted(by: >), "\(counts)")
    }

    @Test func theWorkCrossoverIsWhereTheClusterStartsToWin() throws {
        let comparison = try Self.compare(link: "100Mbit,100us")
        let crossing = try #require(comparison.workCrossoverNanosecondsPerByte)
        #expect(crossing > 0.1 && crossing < 1000)
        let below = try Self.compare(work: "cpu:\(crossing * 0.98)", link: "100Mbit,100us")
        let above = try Self.compare(work: "cpu:\(crossing * 1.02)", link: "100Mbit,100us")
        func ratio(_ c: ClusterComparison) -> Double { c.cluster!.tasksPerSecond / c.bestLocal.tasksPerSecond }
        #expect(ratio(below) < MeasuredComparison.tieMargin)
        #expect(ratio(above) >= MeasuredComparison.tieMargin)
    }

    @Test func withoutALinkTheClusterIsPricedAtLoopbackTCP() throws {
        let comparison = try Self.compare(link: nil)
        let cluster = try #require(comparison.cluster)
        #expect(cluster.network.source == .loopbackCalibration)
        #expect(cluster.network.link == NetworkLink(bitsPerSecond: 16e9, latencySeconds: 40e-6))
        #expect(comparison.text().contains("No --link was given, so the cluster is priced at this machine's loopback TCP from the calibration: loopback is the upper bound of a real network"))
        // With no TCP figures in the calibration, Dask's own loopback transfer is all there is.
        let old = try #require(try Self.compare(link: nil, calibration: SampleCalibration.example).cluster)
        #expect(old.network.source == .measuredDaskTransfer)
        #expect(old.linkTransferSeconds == nil)
        #expect(old.transferSeconds == cluster.measuredTransferSeconds)
    }

    @Test func memoryCountsEveryHost() throws {
        let cluster = try #require(try Self.compare().cluster)
        let size = 120_000_000.0
        let client = 50e6 + size + (1e6 + size) * 8  // the client holds one object in flight per worker
        let worker = Double(SyntheticDaskSweep.daskWorkerBaselineBytes) + 2 * size
        #expect(abs(Double(cluster.memory.parentPeakBytes) - client) < 2)
        #expect(abs(Double(cluster.thisMachineBytes) - (client + 2 * worker)) < 4)
        #expect(abs(Double(cluster.memory.totalPeakBytes) - (client + 8 * worker)) < 4)
        let text = try Self.compare().text()
        #expect(text.contains("for each of the 6 workers on other hosts"))
        #expect(text.contains("Memory at the peak: the process pool"))
    }

    @Test func withoutDaskItSaysWhichMeasurementIsMissingAndStillComparesThePools() throws {
        let model = CostModel.fit(try SyntheticDaskSweep.result(dask: false))
        let comparison = try Self.compare(model)
        #expect(comparison.cluster == nil)
        #expect(comparison.verdict == .onlyOnePool)
        #expect(comparison.missingMeasurement == "The results have no Dask measurement of records (pools dask and dask:scatter, at two sizes or more), so a cluster of hosts cannot be priced; run make python-deps, then payloadlab sweep --runtime python --pools process,thread,dask.")
        #expect(comparison.local.runnerUp != nil, "thread and process are still compared")
        #expect(Set(comparison.local.options.map(\.pool)) == [.process, .thread])
        let text = comparison.text(source: "x.json")
        #expect(text.hasPrefix(comparison.local.text(source: "x.json")))
        #expect(text.hasSuffix("Cluster of hosts: \(try #require(comparison.missingMeasurement))\n"))
    }

    @Test func theLocalChoiceLeavesDaskOut() throws {
        let comparison = try Self.compare()
        #expect(Set(comparison.local.options.map(\.pool)) == [.process, .thread])
        #expect(comparison.local.recommended.pool == .process)
    }

    @Test func onlyDaskIsNotEnough() throws {
        var result = try SyntheticDaskSweep.result()
        result.points.removeAll { !$0.pool.isDask }
        #expect(throws: RecommendError.noLocalPool) { try Self.compare(CostModel.fit(result)) }
    }

    @Test func textNamesTheWinnerTheTransferAndTheCrossovers() throws {
        let text = try Self.compare().text(source: "sweep.json")
        #expect(text.hasPrefix("Use a Dask cluster (dask, 2 here + 6 on 3 hosts) for 120 MB records (cpu:30, 8 workers, this machine has 2 cores), over a 25.0 Gbit/s, 100 µs link.\nModel fitted to sweep.json.\n"))
        #expect(text.contains("| cluster dask pickle | 2 here + 6 on 3 hosts |"))
        #expect(text.contains("Transfer to another host: 120 MB over 25.0 Gbit/s, 100 µs takes 38.5 ms a task (size ÷ bandwidth + latency), but Dask took 122 ms for it over loopback here and a real network is no faster, so 122 ms is charged;"))
        #expect(text.contains("Work per byte: the cluster wins (by 10 % or more) with any cpu: work from 0.100 to 1000 ns/B at 120 MB with 8 workers over a 25.0 Gbit/s, 100 µs link; with work none the best local pool keeps up."))
        #expect(text.contains("Margin: the cluster delivers 3.94× the throughput of the process pool (pickle).\n"))
        #expect(text.contains("\nBetween the pools on this machine alone:\nUse the process pool with pickle"))
        let slow = try Self.compare(link: "10Mbit,1ms").text()
        #expect(slow.hasPrefix("Use the process pool with pickle for 120 MB records (cpu:30, 8 workers, this machine has 2 cores); a Dask cluster over a 10.0 Mbit/s, 1.00 ms link would not pay.\n")
            || slow.hasPrefix("A Dask cluster and the process pool tie"), "\(slow)")
    }

    @Test func jsonKeepsTheRecommendationsKeysAndAddsTheCluster() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: try Self.compare().jsonData()) as? [String: Any])
        #expect(json["recommended"] != nil && json["options"] != nil && json["scenario"] != nil)
        let cluster = try #require(json["cluster"] as? [String: Any])
        #expect(cluster["pool"] as? String == "dask")
        #expect(cluster["remoteWorkers"] as? Int == 6)
        let outcome = try #require(json["clusterComparison"] as? [String: Any])
        #expect(outcome["faster"] as? String == "cluster")
        #expect(outcome["workerCrossover"] as? Int == 3)
        #expect(json["missingMeasurement"] == nil)

        let missing = try #require(try JSONSerialization.jsonObject(
            with: try Self.compare(CostModel.fit(try SyntheticDaskSweep.result(dask: false))).jsonData()) as? [String: Any])
        #expect((missing["missingMeasurement"] as? String)?.contains("make python-deps") == true)
        #expect(missing["cluster"] == nil)
    }
}
