import Testing
import TestSupport
@testable import Results
@testable import Report

/// The method section says where a Dask point's scheduler ran, from what the point recorded.
@Suite("Report: where Dask's scheduler ran")
struct DaskMethodTests {
    /// The synthetic Dask sweep with every Dask point's details as the driver reports them.
    static func result(scheduler: String, inProcess: Bool?) throws -> SweepResult {
        var result = try SyntheticDaskSweep.result()
        for index in result.points.indices where result.points[index].pool.isDask {
            var details = PythonPointDetails(
                pythonVersion: "3.11.7", startMethod: scheduler == "local" ? "exec" : nil, pickleBytes: 1_000,
                objectBytes: 4_000)
            details.daskMode = "submit"
            details.daskScheduler = scheduler
            details.daskSchedulerInProcess = inProcess
            result.points[index].python = details
        }
        return result
    }

    @Test func aLocalClusterHasTheSchedulerInAProcessOfItsOwn() throws {
        let report = MarkdownReport.render(try Self.result(scheduler: "local", inProcess: false))
        #expect(report.contains("- Dask: a scheduler process and 2 worker processes of one thread each (no nanny) on 127.0.0.1, over TCP, started per point; the client is the driver, in a process of its own, so the scheduler's work does not share the client's interpreter or GIL.\n"))
        #expect(!report.contains("LocalCluster"))
    }

    @Test func resultsFromBeforeSayTheSchedulerSharedTheClientsProcess() throws {
        let report = MarkdownReport.render(try Self.result(scheduler: "local", inProcess: true))
        #expect(report.contains("- Dask: a `distributed.LocalCluster` on 127.0.0.1, started per point: 2 worker processes of one thread each over TCP, and the scheduler on the client's event loop inside the driver's own process, sharing its interpreter and GIL.\n"))
    }

    @Test func aRemoteSchedulerIsNamed() throws {
        let report = MarkdownReport.render(try Self.result(scheduler: "tcp://10.0.0.5:8786", inProcess: false))
        #expect(report.contains("- Dask: the scheduler at tcp://10.0.0.5:8786 and its workers, on their own hosts;"))
        #expect(!report.contains("- Dask: a scheduler process"))
    }

    @Test func noDaskNoSentence() throws {
        #expect(!MarkdownReport.render(try SyntheticDaskSweep.result(dask: false)).contains("- Dask:"))
    }
}
