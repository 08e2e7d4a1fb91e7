import Foundation
import Testing
import TestSupport
@testable import Results

extension Integration {
    /// `payloadlab recommend --runtime python [--link …]`: thread pool, process pool and a cluster of hosts.
    @Suite("Recommend a cluster of hosts", .serialized)
    struct RecommendClusterTests {
        static func save(_ result: SweepResult, in directory: TemporaryDirectory, name: String) throws -> String {
            let path = "\(directory.path)/\(name).json"
            try result.jsonData().write(to: URL(fileURLWithPath: path))
            return path
        }

        static let request = ["--size", "120MB", "--shape", "records", "--work", "cpu:30", "--workers", "8"]

        @Test func comparesThreeOptionsOverTheGivenLink() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = try Self.save(try SyntheticDaskSweep.result(), in: directory, name: "dask")
            let run = try CommandRun.payloadlab(
                ["recommend", "--from", path, "--runtime", "python"] + Self.request + ["--link", "25Gbit,100us"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("Use a Dask cluster (dask, 2 here + 6 on 3 hosts) for 120 MB records"))
            for needle in ["| thread pickle ", "| process pickle ", "| cluster dask pickle ", "Work per byte:",
                           "Workers: the cluster wins (by 10 % or more) from 3 workers", "Memory at the peak:"] {
                #expect(run.stdout.contains(needle), "no \(needle) in:\n\(run.stdout)")
            }
            #expect(run.stderr.isEmpty)
        }

        @Test func theLinkAloneImpliesThePythonRuntimeAndJSONAddsTheCluster() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = try Self.save(try SyntheticDaskSweep.result(), in: directory, name: "dask")
            let run = try CommandRun.payloadlab(
                ["recommend", "--from", path, "--format", "json"] + Self.request + ["--link", "1GB/s,200us"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let cluster = try #require(json["cluster"] as? [String: Any])
            let network = try #require(cluster["network"] as? [String: Any])
            #expect(network["source"] as? String == "given")
            let link = try #require(network["link"] as? [String: Any])
            #expect((link["bitsPerSecond"] as? NSNumber)?.doubleValue == 8e9)
            #expect(json["clusterComparison"] != nil)
        }

        @Test func withoutALinkItIsPricedAtLoopbackAndSaysSo() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = try Self.save(try SyntheticDaskSweep.result(), in: directory, name: "dask")
            let run = try CommandRun.payloadlab(["recommend", "--from", path, "--runtime", "python"] + Self.request)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("No --link was given, so the cluster is priced at this machine's loopback TCP"))
        }

        @Test func withoutDaskItNamesTheMissingSweepAndStillComparesThePools() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = try Self.save(try SyntheticDaskSweep.result(dask: false), in: directory, name: "pools")
            let run = try CommandRun.payloadlab(
                ["recommend", "--from", path, "--runtime", "python"] + Self.request + ["--link", "25Gbit,100us"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("Use the process pool with pickle"))
            #expect(run.stdout.hasSuffix("Cluster of hosts: The results have no Dask measurement of records (pools dask and dask:scatter, at two sizes or more), so a cluster of hosts cannot be priced; run make python-deps, then payloadlab sweep --runtime python --pools process,thread,dask.\n"))
        }
    }
}
