import Foundation
import Testing
import TestSupport
import Payload
import Units
@testable import Results
@testable import Model
@testable import Report

/// Real result files with one number replaced by an extreme, a zero or a negative: each must either be refused on
/// load with a sentence naming the field, or render, compare and recommend without trapping.
@Suite("Results with extreme values")
struct ExtremeValueTests {
    /// JSON cannot hold NaN or infinity, so the extremes are the largest and smallest finite doubles, their negatives,
    /// zeros and integers at the edge of 64 bits.
    static var extremes: [Any] {
        [
        1e308, -1e308, Double.greatestFiniteMagnitude, 1e-308, -1e-308, Double.leastNonzeroMagnitude, 0, -0.0, -1, 1,
        -0.5, Int64.max, Int64.min, 9_000_000_000_000_000_000.0, 1 << 50, 1e30,
        ]
    }

    /// A result file as a JSON tree, cut to four points of a few samples each so a mutation decodes and renders fast.
    static func tree(_ relative: String) throws -> Any {
        let data = try Data(contentsOf: Fixtures.url(relative))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        if var points = root["points"] as? [[String: Any]] {
            for index in points.indices {
                points[index]["samples"] = Array(((points[index]["samples"] as? [Any]) ?? []).prefix(12))
                points[index]["warmup"] = Array(((points[index]["warmup"] as? [Any]) ?? []).prefix(2))
            }
            root["points"] = Array(points.prefix(4))
        }
        return root
    }

    /// Paths (keys and indices) to every number in `value`.
    static func numberPaths(_ value: Any, prefix: [Any] = []) -> [[Any]] {
        if let object = value as? [String: Any] {
            return object.keys.sorted().flatMap { numberPaths(object[$0]!, prefix: prefix + [$0]) }
        }
        if let array = value as? [Any] {
            return array.indices.flatMap { numberPaths(array[$0], prefix: prefix + [$0]) }
        }
        if value is NSNumber, !(value is String) { return [prefix] }
        return []
    }

    static func replacing(_ value: Any, at path: ArraySlice<Any>, with new: Any) -> Any {
        guard let step = path.first else { return new }
        if var object = value as? [String: Any], let key = step as? String {
            object[key] = replacing(object[key]!, at: path.dropFirst(), with: new)
            return object
        }
        if var array = value as? [Any], let index = step as? Int {
            array[index] = replacing(array[index], at: path.dropFirst(), with: new)
            return array
        }
        return value
    }

    /// Renders every view of `result` a user can ask for; a trap here fails the whole test run.
    static func exercise(_ result: SweepResult, against baseline: SweepResult) -> Int {
        var characters = ReportFiles.render(result: result, name: "m").reduce(0) { $0 + $1.text.count }
        characters += MarkdownReport.headline(result).joined().count
        let comparison = ResultComparison(old: baseline, new: result)
        characters += comparison.render().count
        characters += ResultComparison.gateFailures(old: baseline, new: result, comparison: comparison, percent: 10).count
        let reverse = ResultComparison(old: result, new: baseline)
        characters += reverse.render().count
        let model = CostModel.fit(result)
        for shape in model.shapes {
            for size in [1_000_000] {
                if let recommendation = try? Recommendation.recommend(
                    model: model, sizeBytes: size, shape: shape, work: model.sweepWork, gil: model.sweepGIL,
                    workers: model.sweepWorkers, tasks: 100, codec: nil)
                {
                    characters += recommendation.text(source: "m.json").count
                }
            }
        }
        return characters
    }

    @Test(arguments: ["results/golden-v1.json", "../reports/default-sweep.json"])
    func mutatedNumbersAreRefusedByNameOrRendered(file: String) throws {
        let tree = try Self.tree(file)
        let baseline = try SweepResult.decode(try JSONSerialization.data(withJSONObject: tree), path: "base.json")
        let paths = Self.numberPaths(tree)
        #expect(paths.count > 100)
        var generator = SeededGenerator(seed: 15)
        var refused = 0
        var rendered = 0
        for _ in 0..<100 {
            let path = paths[Int(generator.next() % UInt64(paths.count))]
            let extreme = Self.extremes[Int(generator.next() % UInt64(Self.extremes.count))]
            let mutated = Self.replacing(tree, at: path[...], with: extreme)
            let data = try JSONSerialization.data(withJSONObject: mutated)
            let field = path.map { "\($0)" }.joined(separator: ".")
            do {
                let result = try SweepResult.decode(data, path: "m.json")
                #expect(Self.exercise(result, against: baseline) > 0)
                rendered += 1
            } catch {
                refused += 1
                let sentence = error.description
                #expect(!sentence.contains("not valid JSON"), "\(field) = \(extreme): \(sentence)")
                #expect(sentence.hasPrefix("m.json "), "\(field) = \(extreme): \(sentence)")
                // The sentence names the field by its last key (`median`, `sizeBytes`, `ns[2]`).
                // `schemaVersion` is refused as the results' "schema version", with the version this build reads.
                let key = path.last(where: { $0 is String }).map { "\($0)" } ?? ""
                let named = key == "schemaVersion" ? "schema version" : key
                #expect(sentence.contains(named), "\(field) = \(extreme): \(sentence)")
            }
        }
        #expect(refused > 0 && rendered > 0)
    }

    @Test func aTinyLatencyMedianNoLongerTrapsTheModelAccuracyTable() throws {
        #expect(ModelAccuracySection.signedPercent(1e308) == "+\(Int.max) %")
        #expect(ModelAccuracySection.signedPercent(-1e-308 * 1e308 * 1e308) == "\(Int.min) %")
        #expect(ModelAccuracySection.signedPercent(.nan) == "0 %")
    }

    @Test func negativeAndHugeNumbersAreRefusedNamingTheFieldAndPath() throws {
        let tree = try Self.tree("results/golden-v1.json")
        let cases: [([Any], Any, String)] = [
            (["points", 3, "latency", "median"], -1e-6, "points[3].latency.median is -1e-06"),
            (["points", 0, "tasksPerSecond"], 1e308, "points[0].tasksPerSecond is 1e+308"),
            (["points", 1, "samples", 2, "latencyNs"], -1000, "points[1].samples[2].latencyNs is -1000"),
            (["plan", "sizes", 0], 0, "plan.sizes[0] is 0"),
            (["points", 2, "sizeBytes"], 1e30, "points[2].sizeBytes is 1e+30"),
            (["schemaVersion"], 1.5, "schemaVersion is 1.5"),
        ]
        for (path, value, expected) in cases {
            let data = try JSONSerialization.data(withJSONObject: Self.replacing(tree, at: path[...], with: value))
            #expect(throws: ResultFileError.self) { try SweepResult.decode(data, path: "m.json") }
            do {
                _ = try SweepResult.decode(data, path: "m.json")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
                #expect(error.description.split(separator: "\n").count == 1)
            }
        }
    }

    @Test func aStringSchemaVersionIsTheWrongTypeNotInvalidJSON() throws {
        let data = Data(#"{"tool":"payloadlab","schemaVersion":"1"}"#.utf8)
        do {
            _ = try SweepResult.decode(data, path: "m.json")
            Issue.record("a string schemaVersion was accepted")
        } catch {
            #expect(error.description == "m.json is not a payloadlab result (schemaVersion has the wrong type: it should be a number); pass a .json written by payloadlab sweep.")
        }
    }

    @Test func clampingConversionIsTotal() {
        #expect(Int(clampingFinite: .nan) == 0)
        #expect(Int(clampingFinite: .infinity) == .max)
        #expect(Int(clampingFinite: -.infinity) == .min)
        #expect(Int(clampingFinite: 1e308) == .max)
        #expect(Int(clampingFinite: -2.9) == -2)
        #expect(UInt64(clampingFinite: -5) == 0)
        #expect(Int32(clampingFinite: 3e9) == .max)
        #expect(Int64(clampingFinite: 9_223_372_036_854_775_807.0) == .max)
    }
}
