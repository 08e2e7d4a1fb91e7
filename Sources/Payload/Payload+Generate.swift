extension Payload {
    /// Exactly `byteCount` bytes of seeded word lines, the text payload's own words: compressible like prose, the
    /// same on every machine for the same seed (the zstd calibration compresses this text).
    public static func wordText(byteCount: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return Array(PayloadGenerator.text(bodyBytes: max(0, byteCount), generator: &generator).utf8)
    }

    /// The tree depth `generate(shape: .tree, …)` uses: the root array and up to five levels of maps and arrays.
    public static let defaultTreeDepth = 6
    /// The most children a map or array of a generated tree has by default.
    public static let defaultTreeFanOut = 8

    /// Generates a payload of `shape` whose `binary` encoding is `sizeBytes` long.
    ///
    /// The same shape, size and seed always give the same content, on every run and machine; another seed gives
    /// other content. The binary encoding is exactly `sizeBytes` for every size that fits the 24-byte header and one
    /// element (≥ 56 bytes for records, ≥ 32 for numeric); numeric rounds down to whole Doubles (at most 7 bytes short).
    /// Values are finite and never -0.0, so every codec (JSON included) gives back the same checksum.
    /// - Parameters:
    ///   - shape: what kind of object to build.
    ///   - sizeBytes: the target size of the binary encoding; values below the header give an empty payload.
    ///   - seed: selects the content.
    public static func generate(shape: PayloadShape, sizeBytes: Int, seed: UInt64) -> Payload {
        let bodyBytes = max(0, sizeBytes - BinaryLayout.headerBytes)
        // Mix the shape into the seed so shapes generated with one seed do not share a random stream.
        var generator = SeededGenerator(seed: seed ^ (UInt64(BinaryLayout.shapeCode(shape)) &* 0x9E37_79B9_7F4A_7C15))
        switch shape {
        case .blob:
            return .blob(PayloadGenerator.blob(bodyBytes: bodyBytes, generator: &generator))
        case .text:
            return .text(PayloadGenerator.text(bodyBytes: bodyBytes, generator: &generator))
        case .numeric:
            return .numeric(PayloadGenerator.numeric(bodyBytes: bodyBytes, generator: &generator))
        case .records:
            return .records(PayloadGenerator.records(bodyBytes: bodyBytes, generator: &generator))
        case .tree:
            return .tree(PayloadGenerator.tree(bodyBytes: bodyBytes, depth: defaultTreeDepth,
                                               fanOut: defaultTreeFanOut, generator: &generator))
        }
    }

    /// Generates a `tree` payload whose binary encoding is `sizeBytes` long.
    ///
    /// The root is an array of documents; each document is a map whose values are maps, arrays and scalar leaves
    /// (short strings, integers, non-integral numbers, bools), nested so that no path holds more than `depth` maps and
    /// arrays (the root included) and no map or array has more than `fanOut` children. Map keys are unique and sorted.
    /// - Parameters:
    ///   - depth: the deepest nesting of maps and arrays, root included; clamped to 1…64 (the codecs' limit).
    ///   - fanOut: the most children of one map or array; clamped to 1…1024.
    public static func generateTree(sizeBytes: Int, seed: UInt64, depth: Int = defaultTreeDepth,
                                    fanOut: Int = defaultTreeFanOut) -> Payload {
        let bodyBytes = max(0, sizeBytes - BinaryLayout.headerBytes)
        var generator = SeededGenerator(seed: seed ^ (UInt64(BinaryLayout.shapeCode(.tree)) &* 0x9E37_79B9_7F4A_7C15))
        return .tree(PayloadGenerator.tree(bodyBytes: bodyBytes, depth: depth, fanOut: fanOut, generator: &generator))
    }
}

/// The generators behind `Payload.generate`, one per shape; each fills exactly `bodyBytes` of binary body.
enum PayloadGenerator {
    // MARK: blob

    static func blob(bodyBytes: Int, generator: inout SeededGenerator) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bodyBytes) { buffer, initialized in
            guard let base = UnsafeMutableRawPointer(buffer.baseAddress) else { initialized = 0; return }
            let words = bodyBytes / 8
            for index in 0..<words {
                base.storeBytes(of: generator.next(), toByteOffset: index &* 8, as: UInt64.self)
            }
            var tail = generator.next()
            for offset in (words &* 8)..<bodyBytes {
                base.storeBytes(of: UInt8(truncatingIfNeeded: tail), toByteOffset: offset, as: UInt8.self)
                tail >>= 8
            }
            initialized = bodyBytes
        }
    }

    // MARK: text

    /// Words of the text shape: common English words, so text compresses as prose and logs do.
    static let vocabulary: [String] = [
        "the", "of", "and", "to", "in", "is", "was", "that", "for", "on", "with", "as", "by", "at", "from", "this",
        "are", "be", "or", "an", "which", "it", "not", "have", "has", "had", "were", "but", "their", "one", "all",
        "can", "more", "other", "new", "time", "first", "after", "year", "between", "about", "system", "data",
        "request", "worker", "process", "thread", "memory", "buffer", "payload", "latency", "network", "server",
        "client", "error", "warning", "started", "finished", "queue", "batch", "record", "value", "result", "cache",
        "update", "delete", "insert", "select", "account", "order", "customer", "product", "price", "amount",
        "status", "active", "pending", "closed", "region", "north", "south", "east", "west", "service", "session",
        "token", "user", "admin", "report", "metric", "counter", "timeout", "retry", "success", "failure", "message",
        "event", "stream", "window", "signal", "report", "storage", "disk", "write", "read", "sync", "commit",
        "transaction", "index", "table", "column", "schema", "version", "deploy", "build", "test", "release",
    ]

    /// The vocabulary as one byte array with offsets, so copying a word is a short memcpy.
    struct WordTable {
        let bytes: [UInt8]
        let starts: [Int]
        let lengths: [Int]

        init(_ words: [String]) {
            var bytes: [UInt8] = []
            var starts: [Int] = []
            var lengths: [Int] = []
            for word in words {
                starts.append(bytes.count)
                lengths.append(word.utf8.count)
                bytes.append(contentsOf: word.utf8)
            }
            self.bytes = bytes
            self.starts = starts
            self.lengths = lengths
        }

        var count: Int { starts.count }
        var longest: Int { lengths.max() ?? 0 }
    }

    static let words = WordTable(vocabulary)

    static func text(bodyBytes: Int, generator: inout SeededGenerator) -> String {
        let table = words
        let newline = UInt8(ascii: "\n")
        let space = UInt8(ascii: " ")
        return table.bytes.withUnsafeBufferPointer { vocabulary in
            String(unsafeUninitializedCapacity: bodyBytes) { output in
                var offset = 0
                var wordsLeftInLine = generator.next(in: 4...14)
                while offset < bodyBytes {
                    let word = generator.next(below: table.count)
                    let length = table.lengths[word]
                    let start = table.starts[word]
                    // The last word is cut to the size; text is ASCII, so any cut is valid UTF-8.
                    let copied = min(length, bodyBytes &- offset)
                    for index in 0..<copied {
                        output[offset &+ index] = vocabulary[start &+ index]
                    }
                    offset &+= copied
                    guard offset < bodyBytes else { break }
                    wordsLeftInLine &-= 1
                    if wordsLeftInLine == 0 {
                        output[offset] = newline
                        wordsLeftInLine = generator.next(in: 4...14)
                    } else {
                        output[offset] = space
                    }
                    offset &+= 1
                }
                // A text that ends with a whole line ends with a newline, as files do.
                if bodyBytes > 0 && bodyBytes > table.longest { output[bodyBytes &- 1] = newline }
                return bodyBytes
            }
        }
    }

    // MARK: numeric

    static func numeric(bodyBytes: Int, generator: inout SeededGenerator) -> [Double] {
        let count = bodyBytes / MemoryLayout<Double>.size
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            // A random walk, as a time series: finite, never NaN, never -0.0 (x + y is +0.0 when they cancel).
            var level = 100.0
            for index in 0..<count {
                level = level * 0.999 + (generator.nextUnitDouble() - 0.5)
                buffer[index] = level + 0.0
            }
            initialized = count
        }
    }

    // MARK: records

    static let namePrefixes: [String] = ["user", "item", "host", "order", "job", "node", "acct", "sku"]
    static let nameAlphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    /// Names are at most 15 UTF-8 bytes, so Swift keeps them inline in the String (no allocation).
    static let maximumNameBytes = 15
    static let maximumTags = 8
    static let largestRecord = BinaryLayout.recordFixedBytes + maximumNameBytes + maximumTags * BinaryLayout.tagBytes

    static func records(bodyBytes: Int, generator: inout SeededGenerator) -> [Record] {
        let averageRecord = BinaryLayout.recordFixedBytes + 10 + maximumTags / 2 * BinaryLayout.tagBytes
        var records: [Record] = []
        records.reserveCapacity(bodyBytes / averageRecord + 16)
        let idBase = Int64(truncatingIfNeeded: generator.next() >> 24)
        var timestamp: Int64 = 1_700_000_000_000 + Int64(generator.next(below: 1_000_000))
        var remaining = bodyBytes

        func append(nameBytes: Int, tagCount: Int, generator: inout SeededGenerator) {
            timestamp &+= Int64(generator.next(below: 1_000))
            let value = ((generator.nextUnitDouble() - 0.5) * 2_000_000).rounded() / 100 + 0.0
            let record = Record(
                id: idBase &+ Int64(records.count),
                timestamp: timestamp,
                value: value,
                name: makeName(bytes: nameBytes, generator: &generator),
                tags: makeTags(count: tagCount, generator: &generator)
            )
            remaining &-= record.binaryBytes
            records.append(record)
        }

        // Random records while two more of the largest still fit, then one or two sized to land exactly on the size.
        while remaining >= 2 * largestRecord {
            append(nameBytes: generator.next(in: 4...maximumNameBytes), tagCount: generator.next(in: 0...maximumTags),
                   generator: &generator)
        }
        var finalSizes: [Int] = []
        if remaining >= 2 * BinaryLayout.recordFixedBytes {
            finalSizes = [remaining / 2, remaining - remaining / 2]
        } else if remaining >= BinaryLayout.recordFixedBytes {
            finalSizes = [remaining]
        }
        for size in finalSizes {
            // size - fixed is at most largestRecord - fixed = 15 + 8 × 4, so these tags and name fit it exactly.
            let variable = size - BinaryLayout.recordFixedBytes
            let tagCount = min(maximumTags, variable / BinaryLayout.tagBytes)
            append(nameBytes: variable - tagCount * BinaryLayout.tagBytes, tagCount: tagCount, generator: &generator)
        }
        return records
    }

    /// A name such as `host-k3x9q`: a prefix, a dash and random letters and digits, `bytes` long (at most 15).
    static func makeName(bytes: Int, generator: inout SeededGenerator) -> String {
        let prefix = namePrefixes[generator.next(below: namePrefixes.count)]
        return String(unsafeUninitializedCapacity: bytes) { output in
            var offset = 0
            if bytes > prefix.utf8.count + 1 {
                for byte in prefix.utf8 {
                    output[offset] = byte
                    offset &+= 1
                }
                output[offset] = UInt8(ascii: "-")
                offset &+= 1
            }
            var random = generator.next()
            while offset < bytes {
                // 64 random bits give 12 characters of 36 with a bias too small to matter for test data.
                output[offset] = nameAlphabet[Int(random % 36)]
                random /= 36
                offset &+= 1
            }
            return bytes
        }
    }

    /// `count` random tags in 0 ..< 16384. Lists of up to eight are array literals, which allocate without the
    /// run-time metadata lookup of `Array(unsafeUninitializedCapacity:)` (see `BinaryCodec.tagList`).
    static func makeTags(count: Int, generator: inout SeededGenerator) -> [Int32] {
        func tag() -> Int32 { Int32(truncatingIfNeeded: generator.next() >> 50) }
        switch count {
        case 0: return []
        case 1: return [tag()]
        case 2: return [tag(), tag()]
        case 3: return [tag(), tag(), tag()]
        case 4: return [tag(), tag(), tag(), tag()]
        case 5: return [tag(), tag(), tag(), tag(), tag()]
        case 6: return [tag(), tag(), tag(), tag(), tag(), tag()]
        case 7: return [tag(), tag(), tag(), tag(), tag(), tag(), tag()]
        case 8: return [tag(), tag(), tag(), tag(), tag(), tag(), tag(), tag()]
        default: return (0..<count).map { _ in tag() }
        }
    }

    // MARK: tree

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

    /// Builds documents within byte budgets; every node it returns takes at most its budget in the binary format.
    struct TreeBuilder {
        let depth: Int
        let fanOut: Int
        let keys: [String]
        var keyIndices: [Int]

        init(depth: Int, fanOut: Int) {
            self.depth = depth
            self.fanOut = fanOut
            var keys = PayloadGenerator.keyVocabulary
            var suffix = 0
            while keys.count < fanOut {
                keys.append("field\(suffix)")
                suffix += 1
            }
            self.keys = keys
            self.keyIndices = Array(keys.indices)
        }

        /// A map (documents, and half of inner containers), an array, or a leaf when the budget or depth runs out.
        mutating func node(level: Int, budget: Int, generator: inout SeededGenerator) -> (TreeNode, Int) {
            guard level < depth, budget >= PayloadGenerator.smallestContainerBudget else {
                return leaf(budget: budget, generator: &generator)
            }
            let isMap = level == 1 || generator.next() & 1 == 0
            // Each child gets at least 16 bytes; a map entry also needs its key (≤ 12 bytes) and key length.
            let perChild = isMap ? 32 : 16
            let most = min(fanOut, (budget - BinaryLayout.treeContainerBytes) / perChild)
            let count = generator.next(in: 1...max(1, most))
            if isMap {
                // Distinct keys: a partial Fisher–Yates shuffle of the key indices, then sorted by key.
                for index in 0..<count {
                    let other = index + generator.next(below: keys.count - index)
                    keyIndices.swapAt(index, other)
                }
                var chosen = keyIndices[0..<count].map { keys[$0] }
                chosen.sort()
                var overhead = BinaryLayout.treeContainerBytes
                for key in chosen { overhead += BinaryLayout.lengthBytes + key.utf8.count }
                let childBudget = (budget - overhead) / count
                var entries: [TreeEntry] = []
                entries.reserveCapacity(count)
                var size = overhead
                for key in chosen {
                    let (child, childSize) = self.child(level: level + 1, budget: childBudget, generator: &generator)
                    entries.append(TreeEntry(key: key, value: child))
                    size += childSize
                }
                return (.map(entries), size)
            } else {
                let childBudget = (budget - BinaryLayout.treeContainerBytes) / count
                var items: [TreeNode] = []
                items.reserveCapacity(count)
                var size = BinaryLayout.treeContainerBytes
                for _ in 0..<count {
                    let (child, childSize) = self.child(level: level + 1, budget: childBudget, generator: &generator)
                    items.append(child)
                    size += childSize
                }
                return (.array(items), size)
            }
        }

        /// A child is a container half the time while depth and budget allow, else a leaf.
        mutating func child(level: Int, budget: Int, generator: inout SeededGenerator) -> (TreeNode, Int) {
            if generator.next() & 1 == 0 {
                return node(level: level, budget: budget, generator: &generator)
            }
            return leaf(budget: budget, generator: &generator)
        }

        /// A string, integer, non-integral number or bool of at most `budget` bytes (`budget` ≥ 2).
        func leaf(budget: Int, generator: inout SeededGenerator) -> (TreeNode, Int) {
            let kind = generator.next(below: 8)
            if budget >= BinaryLayout.treeScalarBytes && kind == 0 {
                return (.integer(Int64(truncatingIfNeeded: generator.next()) >> 20), BinaryLayout.treeScalarBytes)
            }
            if budget >= BinaryLayout.treeScalarBytes && kind == 1 {
                // Never integral, so JSON and plist cannot mistake it for an integer; never -0.0 or NaN.
                var number = ((generator.nextUnitDouble() - 0.5) * 2_000_000).rounded() / 1_000
                if number == number.rounded() { number += 0.5 }
                return (.number(number), BinaryLayout.treeScalarBytes)
            }
            if budget < BinaryLayout.treeContainerBytes || kind == 2 {
                return (.bool(generator.next() & 1 == 0), BinaryLayout.treeBoolBytes)
            }
            let longest = min(PayloadGenerator.longestLeafString, budget - BinaryLayout.treeContainerBytes)
            let length = generator.next(in: 0...longest)
            return (.string(leafText(length: length, generator: &generator)), BinaryLayout.treeContainerBytes + length)
        }

        /// Words of the text vocabulary joined by dashes, cut to `length` bytes.
        func leafText(length: Int, generator: inout SeededGenerator) -> String {
            let table = PayloadGenerator.words
            return String(unsafeUninitializedCapacity: length) { output in
                var offset = 0
                while offset < length {
                    let word = generator.next(below: table.count)
                    let start = table.starts[word]
                    var index = 0
                    while index < table.lengths[word] && offset < length {
                        output[offset] = table.bytes[start + index]
                        offset += 1
                        index += 1
                    }
                    if offset < length {
                        output[offset] = UInt8(ascii: "-")
                        offset += 1
                    }
                }
                return length
            }
        }
    }
}
