import Testing
import TestSupport
@testable import Payload
@testable import Codec

@Suite("Payload generation")
struct PayloadGenerationTests {
    @Test(arguments: PayloadShape.allCases)
    func sameSeedAndSizeGiveTheSamePayload(shape: PayloadShape) {
        let first = Payload.generate(shape: shape, sizeBytes: 50_000, seed: 11)
        let second = Payload.generate(shape: shape, sizeBytes: 50_000, seed: 11)
        #expect(first == second)
        #expect(first.checksum == second.checksum)
        #expect(first.shape == shape)
    }

    @Test(arguments: PayloadShape.allCases)
    func anotherSeedGivesAnotherPayload(shape: PayloadShape) {
        let first = Payload.generate(shape: shape, sizeBytes: 50_000, seed: 11)
        let second = Payload.generate(shape: shape, sizeBytes: 50_000, seed: 12)
        #expect(first != second)
        #expect(first.checksum != second.checksum)
    }

    @Test(arguments: PayloadShape.allCases, [1_000, 64_000, 1_000_000, 8_000_000])
    func binaryEncodingIsWithinTwoPercentOfTheSize(shape: PayloadShape, size: Int) throws {
        let payload = Payload.generate(shape: shape, sizeBytes: size, seed: 5)
        let encodedBytes = try BinaryCodec().encode(payload).count
        #expect(abs(encodedBytes - size) <= size / 50, "\(shape) at \(size) encodes to \(encodedBytes) bytes")
        // Every shape lands exactly, except numeric, which rounds down to whole Doubles.
        #expect(size - encodedBytes >= 0 && size - encodedBytes < (shape == .numeric ? 8 : 1))
    }

    @Test func logicalSizeIsTheBinaryEncodingSize() throws {
        for shape in PayloadShape.allCases {
            let payload = Payload.generate(shape: shape, sizeBytes: 30_001, seed: 3)
            #expect(payload.logicalBytes == (try BinaryCodec().encode(payload)).count)
        }
    }

    @Test(arguments: [0, 1, 23, 24, 25, 40, 55, 56, 57, 100, 157, 158, 159, 200])
    func tinySizesNeverTrapAndStayNearTheSize(size: Int) throws {
        for shape in PayloadShape.allCases {
            let payload = Payload.generate(shape: shape, sizeBytes: size, seed: 9)
            let encoded = try BinaryCodec().encode(payload)
            // Below the header plus one element the payload is empty: the header (and a root array) is all there is.
            #expect(encoded.count <= max(size, BinaryLayout.headerBytes + BinaryLayout.treeContainerBytes))
            #expect(try encoded.withUnsafeBytes { try BinaryCodec().decode($0) } == payload)
        }
    }

    @Test func recordsHaveShortInlineNamesAndUpToEightTags() {
        guard case .records(let records) = Payload.generate(shape: .records, sizeBytes: 200_000, seed: 2) else {
            Issue.record("expected records")
            return
        }
        #expect(records.count > 1_000)
        #expect(records.allSatisfy { $0.name.utf8.count <= 15 && $0.tags.count <= 8 })
        #expect(Set(records.map(\.tags.count)) == Set(0...8))
        #expect(Set(records.map(\.id)).count == records.count)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
    }

    @Test func numbersAreFiniteAndNeverNegativeZero() {
        func isPlain(_ value: Double) -> Bool {
            value.isFinite && !(value == 0 && value.sign == .minus)
        }
        if case .numeric(let values) = Payload.generate(shape: .numeric, sizeBytes: 400_000, seed: 4) {
            #expect(values.allSatisfy(isPlain))
        } else {
            Issue.record("expected numeric")
        }
        if case .records(let records) = Payload.generate(shape: .records, sizeBytes: 400_000, seed: 4) {
            #expect(records.allSatisfy { isPlain($0.value) })
        } else {
            Issue.record("expected records")
        }
        if case .tree(let root) = Payload.generate(shape: .tree, sizeBytes: 400_000, seed: 4) {
            var numbers: [Double] = []
            TreeShapeSurvey.visit(root) { node in
                if case .number(let number) = node { numbers.append(number) }
            }
            #expect(!numbers.isEmpty)
            // Non-integral, so JSON and property lists cannot turn them into integers.
            #expect(numbers.allSatisfy { isPlain($0) && $0 != $0.rounded() })
        } else {
            Issue.record("expected tree")
        }
    }

    @Test func textIsLinesOfWords() {
        guard case .text(let text) = Payload.generate(shape: .text, sizeBytes: 100_000, seed: 8) else {
            Issue.record("expected text")
            return
        }
        #expect(text.utf8.count == 100_000 - BinaryLayout.headerBytes)
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        let lines = text.split(separator: "\n")
        #expect(lines.count > 500)
        #expect(text.hasSuffix("\n"))
    }

    @Test(arguments: [(1, 1), (2, 3), (4, 8), (6, 8), (12, 2), (64, 4)])
    func treesRespectDepthAndFanOut(depth: Int, fanOut: Int) {
        guard case .tree(let root) = Payload.generateTree(sizeBytes: 120_000, seed: 6, depth: depth, fanOut: fanOut)
        else {
            Issue.record("expected tree")
            return
        }
        let survey = TreeShapeSurvey(root)
        #expect(survey.deepestContainerNesting <= depth)
        #expect(survey.widestDocumentContainer <= fanOut)
        #expect(survey.mapsHaveSortedUniqueKeys)
        #expect(Payload.tree(root).logicalBytes == 120_000)
    }

    @Test func treeDepthAndFanOutAreClamped() {
        let payload = Payload.generateTree(sizeBytes: 20_000, seed: 1, depth: 1_000, fanOut: 0)
        guard case .tree(let root) = payload else {
            Issue.record("expected tree")
            return
        }
        #expect(TreeShapeSurvey(root).deepestContainerNesting <= BinaryLayout.maximumTreeDepth)
    }

    @Test func elementCountsCountTheNaturalUnit() {
        #expect(Payload.blob([1, 2, 3]).elementCount == 3)
        #expect(Payload.text("héllo").elementCount == 6)
        #expect(Payload.numeric([1, 2]).elementCount == 2)
        #expect(Payload.records([Record(id: 1, timestamp: 2, value: 3, name: "a", tags: [])]).elementCount == 1)
        let tree = TreeNode.map([TreeEntry(key: "a", value: .array([.bool(true), .integer(1)]))])
        #expect(Payload.tree(tree).elementCount == 4)
    }
}

/// Walks a tree and reports what the generator promises about its shape.
struct TreeShapeSurvey {
    var deepestContainerNesting = 0
    /// The most children of a map or array below the root (the root array holds all documents).
    var widestDocumentContainer = 0
    var mapsHaveSortedUniqueKeys = true

    init(_ root: TreeNode) {
        walk(root, level: 1)
    }

    private mutating func walk(_ node: TreeNode, level: Int) {
        switch node {
        case .map(let entries):
            deepestContainerNesting = max(deepestContainerNesting, level)
            if level > 1 { widestDocumentContainer = max(widestDocumentContainer, entries.count) }
            let keys = entries.map(\.key)
            if keys != keys.sorted() || Set(keys).count != keys.count { mapsHaveSortedUniqueKeys = false }
            for entry in entries { walk(entry.value, level: level + 1) }
        case .array(let items):
            deepestContainerNesting = max(deepestContainerNesting, level)
            if level > 1 { widestDocumentContainer = max(widestDocumentContainer, items.count) }
            for item in items { walk(item, level: level + 1) }
        case .string, .integer, .number, .bool:
            break
        }
    }

    static func visit(_ node: TreeNode, _ body: (TreeNode) -> Void) {
        body(node)
        switch node {
        case .map(let entries): for entry in entries { visit(entry.value, body) }
        case .array(let items): for item in items { visit(item, body) }
        case .string, .integer, .number, .bool: break
        }
    }
}
