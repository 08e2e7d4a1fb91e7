import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Codec

@Suite("Codec benchmark")
struct CodecBenchmarkTests {
    static let quick = CodecBenchmark.Options(warmupRuns: 1, minimumRuns: 2, maximumRuns: 2, timeBudgetSeconds: 0)

    @Test func measuresEveryCodecAndTheReferences() throws {
        let payload = Payload.generate(shape: .records, sizeBytes: 20_000, seed: 1)
        let codecs = try ["binary", "json", "binary+zstd:1"].map { try Codecs.named($0) }
        var steps: [String] = []
        let result = try CodecBenchmark.run(payload: payload, codecs: codecs, options: CodecBenchmarkTests.quick) {
            steps.append($0)
        }
        #expect(result.codecs.map(\.codec) == ["binary", "json", "binary+zstd:1"])
        #expect(result.references.map(\.name) == [CopyReference.freshName, CopyReference.touchedName])
        #expect(steps.count == 4)
        for measurement in result.codecs {
            #expect(measurement.checksumVerified)
            #expect(measurement.encodeSeconds.count == 2 && measurement.decodeSeconds.count == 2)
            #expect(measurement.payloadBytes == 20_000)
        }
        #expect(result.codecs[0].bytes == 20_000)
        #expect(result.codecs[2].bytes < 20_000)
        #expect(result.rows.count == 5)
    }

    @Test func jsonRowsCarryTheDocumentedKeys() throws {
        let payload = Payload.generate(shape: .numeric, sizeBytes: 8_000, seed: 1)
        let result = try CodecBenchmark.run(payload: payload, codecs: [BinaryCodec()], options: CodecBenchmarkTests.quick)
        let json = try result.renderJSON()
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        let codecRow = try #require(rows?.first { $0["kind"] as? String == "codec" })
        for key in ["codec", "shape", "bytes", "encodeBytesPerSecond", "decodeBytesPerSecond"] {
            #expect(codecRow[key] != nil, "missing \(key)")
        }
        #expect(codecRow["codec"] as? String == "binary")
        #expect(codecRow["shape"] as? String == "numeric")
        #expect(codecRow["bytes"] as? Int == 8_000)
    }

    @Test func tableNamesEveryRow() throws {
        let payload = Payload.generate(shape: .text, sizeBytes: 8_000, seed: 1)
        let result = try CodecBenchmark.run(payload: payload, codecs: [BinaryCodec()], options: CodecBenchmarkTests.quick)
        let table = result.renderTable(seed: 1)
        #expect(table.contains("copy (fresh memory)"))
        #expect(table.contains("copy (touched memory)"))
        #expect(table.contains("\nbinary "))
        #expect(table.contains("text payload of 8.00 KB, seed 1"))
    }

    @Test func planSkipsFoundationCodecsOnlyWhenLargeAndNotAsked() {
        let small = CodecBenchmark.plan(requested: nil, payloadBytes: 1_000_000)
        #expect(small.names == CodecBenchmark.defaultCodecNames && small.skipped.isEmpty)
        let large = CodecBenchmark.plan(requested: nil, payloadBytes: 64_000_000)
        #expect(large.names == ["binary", "binary+zstd:1", "binary+zstd:3"])
        #expect(large.skipped == ["json", "plist"])
        let asked = CodecBenchmark.plan(requested: ["json"], payloadBytes: 64_000_000)
        #expect(asked.names == ["json"] && asked.skipped.isEmpty)
    }

    @Test func medianOfEvenAndOddCounts() {
        #expect(CodecBenchmark.median([]) == 0)
        #expect(CodecBenchmark.median([3, 1, 2]) == 2)
        #expect(CodecBenchmark.median([4, 1, 3, 2]) == 2.5)
    }
}
