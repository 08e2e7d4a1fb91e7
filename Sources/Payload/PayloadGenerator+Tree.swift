/// The tree shape: an array of documents, then string leaves sized so the body lands exactly on its size.
extension PayloadGenerator {
    /// Field names for map keys; documents pick distinct ones and keep them sorted.
    static let keyVocabulary: [String] = [
        "id", "name", "type", "value", "items", "tags", "owner", "created", "updated", "status", "count", "price",
        "labels", "meta", "children", "config", "region", "score", "enabled", "limits", "parent", "path", "size",
        "title", "url", "version", "weight", "zone", "author", "body", "color", "kind",
    ]
    /// A document's byte budget; the root array holds as many documents as the size needs.
    static let documentBytes = 4_096
    /// Below this budget a node is a leaf, not a map or array.
    static let smallestContainerBudget = 48
    /// The largest string leaf: 15 UTF-8 bytes, stored inline in the String.
    static let longestLeafString = 15
    static let largestLeaf = BinaryLayout.treeContainerBytes + longestLeafString

    static func tree(bodyBytes: Int, depth: Int, fanOut: Int, generator: inout SeededGenerator) -> TreeNode {
        var builder = TreeBuilder(depth: min(max(depth, 1), BinaryLayout.maximumTreeDepth),
                                  fanOut: min(max(fanOut, 1), 1_024))
        var documents: [TreeNode] = []
        var remaining = bodyBytes - BinaryLayout.treeContainerBytes
        // Documents while there is room, then leaves sized so the total lands exactly on the size.
        while remaining >= smallestContainerBudget + 2 * largestLeaf {
            let budget = min(documentBytes, remaining - 2 * largestLeaf)
            let (document, size) = builder.node(level: 1, budget: budget, generator: &generator)
            documents.append(document)
            remaining -= size
        }
        while remaining >= 2 * largestLeaf {
            let (leaf, size) = builder.leaf(budget: largestLeaf, generator: &generator)
            documents.append(leaf)
            remaining -= size
        }
        // 0 ..< 40 bytes are left: one string leaf (5…20 bytes) or two, each at least 10 and at most 20 bytes.
        var finalSizes: [Int] = []
        if remaining > largestLeaf {
            finalSizes = [remaining / 2, remaining - remaining / 2]
        } else if remaining >= BinaryLayout.treeContainerBytes {
            finalSizes = [remaining]
        }
        for size in finalSizes {
            let text = builder.leafText(length: size - BinaryLayout.treeContainerBytes, generator: &generator)
            documents.append(.string(text))
        }
        return .array(documents)
    }
}
