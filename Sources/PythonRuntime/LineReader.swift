import Platform

/// Reads newline-terminated lines from a descriptor, each within a deadline: the driver's JSON-lines stream.
final class LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 65_536)
    private(set) var atEnd = false

    init(_ fd: Int32) { self.fd = fd }

    /// The next line without its newline, nil at end of input; throws `.timedOut` past `deadline`.
    func next(deadline: Deadline) throws(DescriptorError) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            try DescriptorIO.waitReadable(fd, deadline: deadline)
            var failure: DescriptorError?
            let n = chunk.withUnsafeMutableBytes { raw -> Int in
                do throws(DescriptorError) { return try DescriptorIO.read(fd, into: raw) } catch { failure = error; return 0 }
            }
            if let failure { throw failure }
            if n == 0 { atEnd = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }

    /// Everything until end of input.
    func readAll(deadline: Deadline) throws(DescriptorError) -> String {
        var lines: [String] = []
        while let line = try next(deadline: deadline) { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
