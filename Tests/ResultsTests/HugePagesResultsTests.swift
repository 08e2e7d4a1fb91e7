import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Payload
@testable import Units

/// `--huge-pages` in the results JSON: optional keys, so results written before them load unchanged.
@Suite("Results: huge pages")
struct HugePagesResultsTests {
    @Test func earlierResultsLoadWithTheOptionOff() throws {
        let url = Fixtures.url("results/golden-v1.json")
        let golden = try SweepResult.decode(try Data(contentsOf: url), path: url.path)
        #expect(golden.plan.hugePages == nil && !golden.plan.usesHugePages)
        #expect(golden.environment.hugePages == nil)
        let json = String(decoding: try golden.jsonData(), as: UTF8.self)
        #expect(!json.contains("hugePages"), "a run without the option writes no new key")
    }

    @Test func theOptionAndTheKernelsModesRoundTrip() throws {
        var result = try SyntheticResults.result(points: [], sizes: [1_000, 4_000])
        #expect(!String(decoding: try result.jsonData(), as: UTF8.self).contains("hugePages"))
        result.plan = try SweepPlan(maxBytes: 4_000, workers: 2, hugePages: true)
        result.environment.hugePages = HugePageSupport(
            mode: "madvise", sharedMemoryMode: "never", probeBytes: 4 << 20, probeHugePageBytes: 4 << 20)
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        #expect(json.contains(#""hugePages":true"#))
        let decoded = try SweepResult.decode(try result.jsonData(), path: "test.json")
        #expect(decoded == result)
        #expect(decoded.plan.usesHugePages)
    }

    @Test func whatTheModesAllow() {
        let madvise = HugePageSupport(mode: "madvise", sharedMemoryMode: "never")
        #expect(madvise.adviceCanTakeEffect && !madvise.alwaysOn && !madvise.sharedMemoryCanTakeEffect)
        #expect(madvise.probeTookEffect == nil, "no probe, no verdict")
        #expect(!HugePageSupport(mode: "never", sharedMemoryMode: nil).adviceCanTakeEffect)
        #expect(!HugePageSupport(mode: nil, sharedMemoryMode: nil).adviceCanTakeEffect)
        #expect(HugePageSupport(mode: "always", sharedMemoryMode: "advise").sharedMemoryCanTakeEffect)
        let refused = HugePageSupport(mode: "madvise", sharedMemoryMode: nil, adviceError: "Invalid argument")
        #expect(refused.probeTookEffect == false)
        let none = HugePageSupport(mode: "madvise", sharedMemoryMode: nil, probeBytes: 4 << 20, probeHugePageBytes: 0)
        #expect(none.probeTookEffect == false)
    }
}
