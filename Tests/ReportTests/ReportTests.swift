import Foundation
import Testing
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Results
@testable import Model
@testable import Report

@Suite("Reports, CSV and compare")
struct ReportTests {
    static func sample(name: String = "synthetic", threadFactor: Double = 1, seed: UInt64 = 1) throws -> SweepResult {
        let sizes = [1_000, 16_000, 256_000, 4_000_000]
        var points: [PointResult] = []
        for (index, size) in sizes.enumerated() {
            let process = 200e-6 + Double(size) * 2e-9
            let thread = (20e-6 + Double(size) * 3e-9) * threadFactor
            points.append(SyntheticResults.point(
                pool: .process, size: size, latencies: SyntheticResults.latencies(median: process, seed: seed + UInt64(index))))
            points.append(SyntheticResults.point(
                pool: .thread, size: size, latencies: SyntheticResults.latencies(median: thread, seed: seed + 100 + UInt64(index))))
        }
        return try SyntheticResults.result(points: points, sizes: sizes, name: name)
    }

    @Test func reportReRendersByteForByteFromItsJSON() throws {
        let result = try Self.sample()
        let decoded = try JSONDecoder().decode(SweepResult.self, from: try result.jsonData())
        let first = ReportFiles.render(result: result, name: "r")
        let again = ReportFiles.render(result: decoded, name: "r")
        #expect(first.map(\.name) == again.map(\.name))
        for (a, b) in zip(first, again) {
            #expect(a.text == b.text, "\(a.name) differs after a JSON round trip")
        }
        #expect(first.contains { $0.name == "r.md" } && first.contains { $0.name == "r.csv" })
        #expect(first.filter { $0.name.hasSuffix(".svg") }.count == 5)  // throughput, stages, memory, two decision maps
    }

    @Test func chartsAreWellFormedAndNameThePools() throws {
        let files = SweepCharts.all(for: try Self.sample(), reportName: "r")
        for file in files {
            let parser = XMLParser(data: Data(file.svg.utf8))
            #expect(parser.parse(), "\(file.name) is not well-formed XML")
        }
        let throughput = try #require(files.first { $0.name.contains("throughput") })
        #expect(throughput.svg.contains("process pool") && throughput.svg.contains("thread pool"))
        #expect(throughput.svg.contains("payload size"))
        let markdown = MarkdownReport.render(try Self.sample(), extras: .init(reportName: "r"))
        for file in files { #expect(markdown.contains("](\(file.name))"), "\(file.name) is not linked") }
    }

    @Test func recommendationFollowsTheTables() throws {
        let result = try Self.sample()
        let comparison = try #require(MeasuredComparison.all(in: result).first)
        // Threads: 20 µs + 3 ns/B; processes 200 µs + 2 ns/B (per task, same workers): threads win small sizes.
        #expect(comparison.rows.first?.winner == .thread)
        #expect(comparison.rows.last?.winner == .process)
        let crossover = try #require(comparison.crossovers.first)
        #expect(crossover.belowWinner == .thread && crossover.aboveWinner == .process)
        #expect(crossover.betweenBytes == (16_000, 256_000))  // equal at 180 µs = 1 ns/B × 180 KB
        let markdown = MarkdownReport.render(result)
        #expect(markdown.contains("the winner changes thread → process"))
    }

    @Test func csvHasOneRowPerStageWithTheHeadersColumnCount() throws {
        let result = try Self.sample()
        let csv = CSVExport.render(result)
        let lines = csv.split(separator: "\n")
        #expect(lines.first.map(String.init) == CSVExport.header.joined(separator: ","))
        for line in lines { #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == CSVExport.header.count) }
        // process: 7 stages + latency; thread: 3 stages + latency; 4 sizes.
        #expect(lines.count == 1 + 4 * (8 + 4))
    }

    @Test func compareSaysSameWithinNoiseForTwinRuns() throws {
        let comparison = ResultComparison(old: try Self.sample(seed: 1), new: try Self.sample(seed: 7))
        #expect(comparison.rows.count == 8)
        #expect(comparison.rows.allSatisfy { $0.verdict == .same }, "\(comparison.render())")
        #expect(comparison.regressions(beyond: 5).isEmpty)
    }

    @Test func compareFindsARealSlowdownAndSpeedup() throws {
        let slower = ResultComparison(old: try Self.sample(), new: try Self.sample(threadFactor: 1.5, seed: 3))
        let threadRows = slower.rows.filter { $0.key.pool == .thread }
        #expect(threadRows.allSatisfy { $0.verdict == .slower })
        #expect(slower.rows.filter { $0.key.pool == .process }.allSatisfy { $0.verdict == .same })
        #expect(slower.regressions(beyond: 40).count == 4)
        #expect(slower.regressions(beyond: 60).isEmpty)

        let faster = ResultComparison(old: try Self.sample(), new: try Self.sample(threadFactor: 0.6, seed: 3))
        #expect(faster.rows.filter { $0.key.pool == .thread }.allSatisfy { $0.verdict == .faster })
    }

    @Test func compareListsPointsPresentInOnlyOneRun() throws {
        let old = try Self.sample()
        var new = try Self.sample(seed: 5)
        new.points.removeAll { $0.sizeBytes == 1_000 && $0.pool == .thread }
        let comparison = ResultComparison(old: old, new: new)
        #expect(comparison.rows.count == 7)
        #expect(comparison.onlyInOld.count == 1)
        #expect(comparison.render().contains("Only in the old run: thread records binary 1KB"))
    }
}

/// The results JSON and the markdown report are pinned: a change to either must be a conscious one with regenerated
/// fixtures (`PAYLOADLAB_REGENERATE_FIXTURES=1 swift test`). The JSON's schema version is bumped when a field
/// changes meaning or old files would no longer decode; an added optional key (older readers ignore it, older
/// files decode without it) only regenerates the fixture.
@Suite("Golden results and report")
struct GoldenResultTests {
    @Test func resultsJSONMatchesTheGoldenFixture() throws {
        let data = try ReportTests.sample(name: "golden").jsonData()
        let url = Fixtures.url("results/golden-v\(SweepResult.currentSchemaVersion).json")
        if ProcessInfo.processInfo.environment["PAYLOADLAB_REGENERATE_FIXTURES"] == "1" { try data.write(to: url) }
        let golden = try Data(contentsOf: url)
        #expect(golden == data, "the results JSON changed: bump SweepResult.currentSchemaVersion if a field changed meaning, then regenerate")
        // And the fixture still loads through the same path `report`, `compare` and `recommend` use.
        #expect(try SweepResult.decode(golden, path: url.path) == (try ReportTests.sample(name: "golden")))
    }

    @Test func markdownReportMatchesTheGoldenFixture() throws {
        let markdown = MarkdownReport.render(try ReportTests.sample(name: "golden"), extras: .init(reportName: "golden"))
        let url = Fixtures.url("results/golden.md")
        if ProcessInfo.processInfo.environment["PAYLOADLAB_REGENERATE_FIXTURES"] == "1" {
            try Data(markdown.utf8).write(to: url)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(golden == markdown, "the report's text changed; look at the diff, then regenerate the fixture")
    }
}
