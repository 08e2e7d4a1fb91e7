#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
import CPlatform
@testable import Platform

extension Integration {
    /// `DescriptorIO.writevAll`: every byte of every part, in order, whatever the kernel takes per call.
    @Suite("Platform: gather writes")
    struct GatherWriteTests {
        /// Parts of uneven lengths (an empty one among them), and their concatenation.
        static func parts() -> [[UInt8]] {
            [Array(0..<24), [], Array(repeating: 0xAB, count: 1_000), [7], (0..<5_003).map { UInt8(truncatingIfNeeded: $0 &* 31) }]
        }

        /// A `writev` that takes at most `limit` bytes a call, fails every third call with EINTR, and records what it
        /// took and how many iovecs it was offered.
        final class ShortWriter {
            let limit: Int
            var taken: [UInt8] = []
            var calls = 0
            var largestVectorCount = 0
            init(limit: Int) { self.limit = limit }

            func call(_ fd: Int32, _ vectors: UnsafePointer<iovec>, _ count: Int32) -> Int {
                calls += 1
                largestVectorCount = max(largestVectorCount, Int(count))
                if calls % 3 == 0 {
                    errno = EINTR
                    return -1
                }
                var budget = limit
                for index in 0..<Int(count) where budget > 0 {
                    let vector = vectors[index]
                    let take = min(budget, vector.iov_len)
                    let bytes = UnsafeRawBufferPointer(start: vector.iov_base, count: take)
                    taken += bytes
                    budget -= take
                    if take < vector.iov_len { break }
                }
                return limit - budget
            }
        }

        static func withBuffers<R>(_ arrays: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
            // Copies held for the duration: each array's bytes are borrowed through one pointer.
            let held = arrays.map { array -> UnsafeMutableRawBufferPointer in
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: array.count, alignment: 1)
                buffer.copyBytes(from: array)
                return buffer
            }
            defer { held.forEach { $0.deallocate() } }
            return try body(held.map { UnsafeRawBufferPointer($0) })
        }

        /// Short writes end inside parts and on their boundaries, and EINTR comes between them: the bytes still
        /// arrive whole and in order.
        @Test(arguments: [1, 7, 24, 25, 1_000, 1 << 20])
        func shortWritesAndInterruptionsLoseNothing(limit: Int) throws {
            let arrays = Self.parts()
            let writer = ShortWriter(limit: limit)
            try Self.withBuffers(arrays) { parts in
                try DescriptorIO.writevAll(-1, parts, maximumVectors: 1024) { writer.call($0, $1, $2) }
            }
            #expect(writer.taken == arrays.flatMap { $0 })
        }

        /// No call is offered more than IOV_MAX iovecs, and parts beyond it still go out.
        @Test func neverPassesMoreThanTheVectorLimit() throws {
            let arrays = (0..<50).map { [UInt8](repeating: UInt8($0), count: $0 % 5 + 1) }
            let writer = ShortWriter(limit: .max / 2)
            try Self.withBuffers(arrays) { parts in
                try DescriptorIO.writevAll(-1, parts, maximumVectors: 4) { writer.call($0, $1, $2) }
            }
            #expect(writer.largestVectorCount <= 4)
            #expect(writer.taken == arrays.flatMap { $0 })
        }

        @Test func aWriteThatTakesNothingIsAnErrorNotASpin() {
            #expect(throws: DescriptorError.closed(expected: 3, got: 0)) {
                try Self.withBuffers([[1, 2, 3]]) { parts in
                    try DescriptorIO.writevAll(-1, parts, maximumVectors: 8) { _, _, _ in 0 }
                }
            }
        }

        @Test func aFailedCallNamesWritev() {
            #expect(throws: DescriptorError.system(call: "writev", errno: EBADF)) {
                try Self.withBuffers([[1]]) { parts in try DescriptorIO.writevAll(-1, parts) }
            }
        }

        /// A real pipe of one page, non-blocking, read slowly on another thread: the kernel takes a few KB per call
        /// and answers EAGAIN when full, so the loop's short-write and wait paths run for real.
        @Test func smallNonBlockingPipeReceivesEveryByte() throws {
            let arrays = [Array(repeating: UInt8(1), count: 24), (0..<300_000).map { UInt8(truncatingIfNeeded: $0) },
                          [], Array(repeating: UInt8(9), count: 70_001)]
            let expected = arrays.flatMap { $0 }
            let (readEnd, writeEnd) = try DescriptorIO.pipe()
            var readFD = readEnd
            var writeFD = writeEnd
            defer {
                DescriptorIO.close(&readFD)
                DescriptorIO.close(&writeFD)
            }
            _ = pl_set_pipe_size(writeFD, 4_096)
            try DescriptorIO.setNonBlocking(writeFD)
            let received = PipeDrain()
            let reader = Thread { [readFD] in
                var chunk = [UInt8](repeating: 0, count: 1_500)
                while true {
                    let n = chunk.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    received.append(chunk[0..<n])
                    usleep(50)
                }
                received.finish()
            }
            reader.start()
            try Self.withBuffers(arrays) { parts in try DescriptorIO.writevAll(writeFD, parts) }
            DescriptorIO.close(&writeFD)
            #expect(received.waitUntilFinished(seconds: 30))
            #expect(received.bytes == expected)
        }

        /// More parts than IOV_MAX to a real file: the file is their concatenation.
        @Test func morePartsThanIOVMaxReachAFileInOrder() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let arrays = (0..<(DescriptorIO.maximumVectors * 2 + 17)).map { [UInt8(truncatingIfNeeded: $0), 0x5A, UInt8(truncatingIfNeeded: $0 >> 8)] }
            let path = directory.path + "/parts.bin"
            let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
            #expect(fd >= 0)
            try Self.withBuffers(arrays) { parts in try DescriptorIO.writevAll(fd, parts) }
            close(fd)
            let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(written == arrays.flatMap { $0 })
        }
    }
}

/// Bytes a reader thread collects, and a way to wait for it to see end of file.
private final class PipeDrain: @unchecked Sendable {
    private let condition = NSCondition()
    private var collected: [UInt8] = []
    private var done = false

    func append(_ slice: ArraySlice<UInt8>) {
        condition.lock()
        collected += slice
        condition.unlock()
    }

    func finish() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilFinished(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !done { if !condition.wait(until: deadline) { return false } }
        return true
    }

    var bytes: [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return collected
    }
}
