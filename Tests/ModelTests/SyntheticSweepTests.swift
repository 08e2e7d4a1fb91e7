import Foundation
import Testing
import TestSupport
@testable import Units
@testable import Payload
@testable import Results
@testable import Model

@Suite("Model: synthetic sweeps")
struct SyntheticSweepTests {
    @Test func syntheticResultSurvivesItsJSONRoundTrip() throws {
        let result = try SyntheticSweep.result()
        let decoded = try JSONDecoder().decode(SweepResult.self, from: try result.jsonData())
        #expect(decoded == result)
        #expect(CostModel.fit(decoded) == CostModel.fit(result))
    }

    @Test func syntheticResultDecodesAsAResultFile() throws {
        let result = try SyntheticSweep.result(shapes: [.records, .blob])
        let loaded = try SweepResult.decode(try result.jsonData(), path: "synthetic.json")
        #expect(loaded.points.count == SyntheticSweep.sizes.count * 2 * 2)
        #expect(CostModel.fit(loaded).options.count == 4)
    }
}
