import Testing
import TestSupport
@testable import Results
@testable import Sweep
@testable import Payload

extension Integration {
    @Suite("Sweep ETA")
    struct SweepETATests {
        @Test func convergesToTheTruthWhenCostFollowsTheWeights() throws {
            let plan = try SweepPlan(minBytes: 1_000, maxBytes: 64_000_000, shapes: [.records], pools: [.thread], workers: 2)
            var eta = SweepETA(plan: plan)
            #expect(eta.remainingSeconds == nil)
            // Each point really costs 2 s + size / 50 MB/s: twice the nominal weight, so the estimate must scale.
            let costs = plan.sizes.map { 2 * plan.budgetSeconds + Double($0) / 50e6 }
            let total = costs.reduce(0, +)
            var spent = 0.0
            for (size, cost) in zip(plan.sizes, costs) {
                eta.finished(sizeBytes: size, seconds: cost)
                spent += cost
                let remaining = try #require(eta.remainingSeconds)
                #expect(abs(remaining - (total - spent)) <= 0.01 * total)
            }
            #expect(eta.fractionDone == 1)
        }
    }
}
