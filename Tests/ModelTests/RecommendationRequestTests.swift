import Testing
import TestSupport
@testable import Model
@testable import Payload
@testable import Results
@testable import Units

@Suite("Model: RecommendationRequest")
struct RecommendationRequestTests {
    @Test func acceptsTheDocumentedExample() throws {
        let request = try RecommendationRequest(
            size: "120MB", shape: "records", work: "cpu:30", gil: 1, workers: 8, tasks: nil, codec: "binary")
        #expect(request.sizeBytes == 120_000_000)
        #expect(request.shape == .records)
        #expect(request.work == .cpu(nanosecondsPerByte: 30))
        #expect(request.gil == 1)
        #expect(request.workers == 8)
        #expect(request.tasks == RecommendationRequest.defaultTasks)
        #expect(request.codec == "binary")
    }

    @Test func rejectsABadSize() {
        #expect(throws: RecommendError.badSize(.unknownSizeUnit("12XB"))) { try RecommendationRequest(size: "12XB") }
        #expect(throws: RecommendError.badSize(.sizeTooSmall("0"))) { try RecommendationRequest(size: "0") }
    }

    @Test func rejectsABadWorkProfile() {
        #expect(throws: RecommendError.badWork(.unknown("spin"))) { try RecommendationRequest(size: "1MB", work: "spin") }
        #expect(throws: RecommendError.badWork(.badCPURate("cpu:-3"))) { try RecommendationRequest(size: "1MB", work: "cpu:-3") }
    }

    @Test func rejectsALockShareOutsideZeroToOne() {
        #expect(throws: RecommendError.badGIL(1.5)) { try RecommendationRequest(size: "1MB", gil: 1.5) }
        #expect(throws: RecommendError.badGIL(-0.1)) { try RecommendationRequest(size: "1MB", gil: -0.1) }
        #expect(throws: (any Error).self) { try RecommendationRequest(size: "1MB", gil: .nan) }
    }

    @Test func rejectsFewerThanOneWorkerOrTask() {
        #expect(throws: RecommendError.badWorkers(0)) { try RecommendationRequest(size: "1MB", workers: 0) }
        #expect(throws: RecommendError.badWorkers(1_000)) { try RecommendationRequest(size: "1MB", workers: 1_000) }
        #expect(throws: RecommendError.badTasks(0)) { try RecommendationRequest(size: "1MB", tasks: 0) }
    }

    @Test func rejectsAnUnknownShapeOrAnEmptyCodec() {
        #expect(throws: RecommendError.unknownShape("lists")) { try RecommendationRequest(size: "1MB", shape: "lists") }
        #expect(throws: RecommendError.emptyCodec) { try RecommendationRequest(size: "1MB", codec: " ") }
    }

    @Test func usageMistakesExit64AndMissingResultsExit1() {
        #expect(RecommendError.badGIL(2).isUsage)
        #expect(RecommendError.shapeNotMeasured("tree", measured: ["records"]).isUsage)
        #expect(RecommendError.codecNotMeasured("json", shape: "records", measured: ["binary"]).isUsage)
        #expect(!RecommendError.noResult(directory: "reports").isUsage)
        #expect(!RecommendError.nothingModelled.isUsage)
    }

    @Test func everyErrorIsOneSentenceNamingTheRemedy() {
        let errors: [RecommendError] = [
            .badSize(.invalidSize("x")), .unknownShape("lists"), .badWork(.unknown("spin")), .badGIL(2),
            .badWorkers(0), .badTasks(0), .emptyCodec, .shapeNeeded(measured: ["records", "blob"]),
            .shapeNotMeasured("tree", measured: ["records"]),
            .codecNotMeasured("json", shape: "records", measured: ["binary"]), .noResult(directory: "reports"),
            .nothingModelled,
        ]
        for error in errors {
            let text = error.description
            #expect(text.hasSuffix("."), "\(text)")
            #expect(!text.contains("\n"))
        }
        // The CLI's sentences, with its flags, are pinned by RecommendCommandTests; the library names no flag.
        for error in errors { #expect(!error.description.contains("--"), "\(error.description)") }
        #expect(RecommendError.shapeNotMeasured("tree", measured: ["records", "blob"]).description
            == "The sweep did not measure shape tree (it has records, blob); pass one of those, or sweep that shape.")
    }

    @Test func leftOutSettingsComeFromTheSweep() throws {
        let model = CostModel.fit(try SyntheticSweep.result(workers: 2, work: .checksum, gil: 0.5))
        let recommendation = try Recommendation.recommend(model: model, request: try RecommendationRequest(size: "8MB"))
        #expect(recommendation.shape == .records)
        #expect(recommendation.scenario.work == .checksum)
        #expect(recommendation.scenario.gil == 0.5)
        #expect(recommendation.scenario.workers == 2)
        #expect(recommendation.scenario.tasks == 100)
    }

    @Test func severalShapesNeedAShape() throws {
        let model = CostModel.fit(try SyntheticSweep.result(shapes: [.records, .blob]))
        #expect(throws: RecommendError.shapeNeeded(measured: ["records", "blob"])) {
            try Recommendation.recommend(model: model, request: try RecommendationRequest(size: "8MB"))
        }
        #expect(throws: RecommendError.shapeNotMeasured("tree", measured: ["records", "blob"])) {
            try Recommendation.recommend(model: model, request: try RecommendationRequest(size: "8MB", shape: "tree"))
        }
    }
}
