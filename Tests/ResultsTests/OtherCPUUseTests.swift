import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Payload
@testable import Units

/// The disturbed-point classification is a pure function of recorded numbers; nothing here measures anything.
@Suite("Results: other processes' CPU use")
struct OtherCPUUseTests {
    static func use(_ seconds: Double, wall: Double = 1, resolution: Double = 0.04, first: Double? = nil) -> OtherCPUUse {
        OtherCPUUse(seconds: seconds, wallSeconds: wall, batchSeconds: [seconds], resolutionSeconds: resolution, firstAttemptCPUs: first)
    }

    static func point(size: Int, pool: PoolKind = .process, other: OtherCPUUse?) -> PointResult {
        var point = PointResult.empty(
            pool: pool, shape: .blob, codec: "binary", workers: 2, sizeBytes: size, work: .none, gil: 0, sync: false)
        point.otherCPU = other
        return point
    }

    @Test func aQuarterOfACPUIsTheThreshold() {
        #expect(OtherCPUUse.disturbedThresholdCPUs == 0.25)
        // Beyond the counters' resolution: 0.04 s of rounding is subtracted first.
        #expect(!OtherCPUUse.isDisturbed(seconds: 0.29, wallSeconds: 1, resolutionSeconds: 0.04))
        #expect(OtherCPUUse.isDisturbed(seconds: 0.30, wallSeconds: 1, resolutionSeconds: 0.04))
        #expect(OtherCPUUse.isDisturbed(seconds: 1.0, wallSeconds: 1, resolutionSeconds: 0.04))
        #expect(Self.use(0.26, resolution: 0).isDisturbed)
        #expect(!Self.use(0.25, resolution: 0).isDisturbed)
    }

    @Test func aShortWindowsRoundingIsNotACompetitor() {
        // 5 ms of batches, one tick (10 ms) seen on the machine's counters: rounding, not 2 CPUs of load.
        #expect(OtherCPUUse.averageCPUs(seconds: 0.01, wallSeconds: 0.005, resolutionSeconds: 0.04) == 0)
        #expect(!OtherCPUUse.isDisturbed(seconds: 0.01, wallSeconds: 0.005, resolutionSeconds: 0.04))
    }

    @Test func emptyOrBrokenWindowsCountAsQuiet() {
        #expect(OtherCPUUse.averageCPUs(seconds: 1, wallSeconds: 0, resolutionSeconds: 0) == 0)
        #expect(OtherCPUUse.averageCPUs(seconds: .nan, wallSeconds: 1, resolutionSeconds: 0) == 0)
        #expect(OtherCPUUse.averageCPUs(seconds: 1, wallSeconds: .infinity, resolutionSeconds: 0) == 0)
        #expect(!Self.point(size: 1_000, other: nil).isDisturbed)
    }

    @Test func disturbedPointsLeaveTheFitOnlyWhileMostOfTheSweepWasQuiet() {
        let quiet = (0..<3).map { Self.point(size: 1_000 << $0, other: Self.use(0.05)) }
        let busy = Self.point(size: 64_000, other: Self.use(0.9, first: 1.1))
        let mostlyQuiet = SweepQuietness(points: quiet + [busy])
        #expect(mostlyQuiet == SweepQuietness(measured: 4, disturbed: 1, remeasured: 1, unmeasured: 0))
        #expect(!mostlyQuiet.mostlyDisturbed)
        #expect(!mostlyQuiet.keepsInFit(busy))
        #expect(quiet.allSatisfy(mostlyQuiet.keepsInFit))

        let busyAllAlong = (0..<3).map { Self.point(size: 1_000 << $0, other: Self.use(0.9)) } + [quiet[0]]
        let mostlyBusy = SweepQuietness(points: busyAllAlong)
        #expect(mostlyBusy.mostlyDisturbed)
        #expect(busyAllAlong.allSatisfy(mostlyBusy.keepsInFit), "a busy machine's model keeps every point")

        // Half and half is not "most of the sweep quiet": the points stay in.
        #expect(SweepQuietness(points: [quiet[0], busy]).mostlyDisturbed)
        // Points without the measurement are counted apart and never judged.
        let unmeasured = SweepQuietness(points: quiet + [Self.point(size: 9, other: nil)])
        #expect(unmeasured.unmeasured == 1 && unmeasured.measured == 3 && !unmeasured.mostlyDisturbed)
    }

    @Test func theKeysAreOptionalSoEarlierResultsStillLoad() throws {
        let url = Fixtures.url("results/golden-v1.json")
        let golden = try SweepResult.decode(try Data(contentsOf: url), path: url.path)
        #expect(golden.points.allSatisfy { $0.otherCPU == nil && $0.memory.workerPeaksSelfReported == nil })
        #expect(golden.quietness.measured == 0)
        let json = String(decoding: try golden.jsonData(), as: UTF8.self)
        #expect(!json.contains("otherCPU") && !json.contains("workerPeaksSelfReported"))

        var point = Self.point(size: 1_000, other: Self.use(0.5, first: 0.7))
        point.memory.workerPeaksSelfReported = true
        let decoded = try JSONDecoder().decode(PointResult.self, from: try JSONEncoder().encode(point))
        #expect(decoded == point)
    }
}
