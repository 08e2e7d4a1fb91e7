import Foundation
import Testing
import TestSupport
import Results

extension Integration {
    /// `compare --fail-on-regression` as a CI gate: a new run that measured nothing, only failures, or less than
    /// the baseline fails the gate exactly as a regression does (exit 1), with one sentence per reason.
    @Suite("Compare as a regression gate", .serialized)
    struct CompareGateTests {
        static let sizes = [1_000, 64_000]

        static func point(_ pool: PoolKind, _ size: Int, seed: UInt64, failed: Bool = false) -> PointResult {
            var point = SyntheticResults.point(
                pool: pool, size: size, latencies: SyntheticResults.latencies(median: 1e-4, seed: seed))
            if failed { point.failure = "the worker died" }
            return point
        }

        static func write(_ points: [PointResult], to path: String) throws {
            try SyntheticResults.result(points: points, sizes: sizes).jsonData().write(to: URL(fileURLWithPath: path))
        }

        /// Runs the gate with `newPoints` against a baseline of every (pool, size) that succeeded.
        static func gate(newPoints: [PointResult]) throws -> CommandRun {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let baseline = [PoolKind.process, .thread].flatMap { pool in sizes.map { point(pool, $0, seed: 1) } }
            try write(baseline, to: "\(dir.path)/old.json")
            try write(newPoints, to: "\(dir.path)/new.json")
            return try CommandRun.payloadlab(
                ["compare", "\(dir.path)/old.json", "\(dir.path)/new.json", "--fail-on-regression", "10"], timeout: 30)
        }

        static func lines(_ run: CommandRun) -> [String] {
            run.stderr.split(separator: "\n").map(String.init)
        }

        @Test func anUnchangedRunPasses() throws {
            let run = try Self.gate(newPoints: [PoolKind.process, .thread].flatMap { pool in Self.sizes.map { Self.point(pool, $0, seed: 1) } })
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.isEmpty)
        }

        @Test func anEmptyNewResultFails() throws {
            let run = try Self.gate(newPoints: [])
            #expect(run.status == 1)
            #expect(Self.lines(run) == ["payloadlab: The new result has no points, so nothing in it was checked against the old one."])
        }

        @Test func aNewResultWhosePointsAllFailedFails() throws {
            let run = try Self.gate(newPoints: [PoolKind.process, .thread].flatMap { pool in
                Self.sizes.map { Self.point(pool, $0, seed: 1, failed: true) }
            })
            #expect(run.status == 1)
            #expect(Self.lines(run) == ["payloadlab: Every point of the new result failed (4 of 4), so nothing in it was checked against the old one."])
        }

        @Test func aNewResultMissingBaselinePointsFailsNamingThem() throws {
            let run = try Self.gate(newPoints: Self.sizes.map { Self.point(.process, $0, seed: 1) })
            #expect(run.status == 1)
            #expect(Self.lines(run) == ["payloadlab: The new result lacks 2 points the old one has: thread records binary 1KB; thread records binary 64KB."])
        }

        @Test func aPointThatNewlyFailedFailsBesideTheMissingOnes() throws {
            let run = try Self.gate(newPoints: [Self.point(.process, 1_000, seed: 1), Self.point(.process, 64_000, seed: 1, failed: true)])
            #expect(run.status == 1)
            let lines = Self.lines(run)
            #expect(lines.count == 2, "\(run.stderr)")
            #expect(lines.first?.hasPrefix("payloadlab: The new result lacks 2 points the old one has:") == true)
            #expect(lines.last == "payloadlab: 1 point that succeeded in the old result failed in the new one: process records binary 64KB.")
        }
    }
}
