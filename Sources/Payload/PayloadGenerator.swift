import Units

/// The generators behind `Payload.generate`, one per shape; each fills exactly `bodyBytes` of binary body.
enum PayloadGenerator {
    // MARK: blob

    static func blob(bodyBytes: Int, generator: inout SeededGenerator) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bodyBytes) { buffer, initialized in
            guard let base = UnsafeMutableRawPointer(buffer.baseAddress) else { initialized = 0; return }
            HugePages.adviseFresh(base, count: bodyBytes)
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
            HugePages.adviseFresh(buffer.baseAddress, count: count &* MemoryLayout<Double>.stride)
            // A random walk, as a time series: finite, never NaN, never -0.0 (x + y is +0.0 when they cancel).
            var level = 100.0
            for index in 0..<count {
                level = level * 0.999 + (generator.nextUnitDouble() - 0.5)
                buffer[index] = level + 0.0
            }
            initialized = count
        }
    }
}
