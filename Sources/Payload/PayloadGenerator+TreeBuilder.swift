extension PayloadGenerator {
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
