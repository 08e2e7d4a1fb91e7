import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Platform
@testable import Pool

extension Integration {
    @Suite("Worker protocol")
    struct WorkerProtocolTests {
        @Test func headerRoundTrips() throws {
            let header = FrameHeader(kind: .task, metadataLength: 24, bodyLength: 123_456_789)
            let bytes = header.bytes
            #expect(bytes.count == WorkerProtocol.headerBytes)
            let parsed = try bytes.withUnsafeBytes { try FrameHeader.parse($0, bodyLimit: 1 << 30) }
            #expect(parsed == header)
        }

        @Test func headerRejectsBadMagicVersionAndHugeLengths() {
            var bytes = FrameHeader(kind: .task, metadataLength: 0, bodyLength: 10).bytes
            bytes[0] ^= 0xFF
            #expect(throws: TransportError.self) { try bytes.withUnsafeBytes { try FrameHeader.parse($0, bodyLimit: 100) } }

            var version = FrameHeader(kind: .task, metadataLength: 0, bodyLength: 10).bytes
            version[4] = 99
            #expect(throws: TransportError.unsupportedVersion(99)) {
                try version.withUnsafeBytes { try FrameHeader.parse($0, bodyLimit: 100) }
            }

            // A body length claiming 1 TB is refused before anything is allocated.
            let huge = FrameHeader(kind: .task, metadataLength: 0, bodyLength: 1 << 40).bytes
            #expect(throws: TransportError.frameTooLarge(bytes: 1 << 40, limit: 1 << 30)) {
                try huge.withUnsafeBytes { try FrameHeader.parse($0, bodyLimit: 1 << 30) }
            }
        }

        @Test func taskReportRoundTrips() throws {
            let report = TaskReport(
                taskID: 7, receivedAt: 100, spans: [
                    StageSpan(stage: .deserialize, start: 100, end: 150, cpuNanoseconds: 40),
                    StageSpan(stage: .write, start: 150, end: 170, cpuNanoseconds: 10),
                ], decodedChecksum: 0xDEAD_BEEF, reserializedBytes: 4096, writtenBytes: 4096, workDigest: 9,
                lockIntervals: [LockInterval(start: 1, end: 2, locked: true)], peakResidentBytes: 33_554_432)
            let parsed = try report.bytes.withUnsafeBytes { try TaskReport(parsing: $0) }
            #expect(parsed == report)
        }

        @Test func truncatedOrPaddedReportsAreRejected() {
            let report = TaskReport(
                taskID: 1, receivedAt: 2, spans: [StageSpan(stage: .work, start: 3, end: 4, cpuNanoseconds: 1)],
                decodedChecksum: 5, reserializedBytes: 6, writtenBytes: 6, workDigest: 7, lockIntervals: [],
                peakResidentBytes: 8)
            let bytes = report.bytes
            for length in 0..<bytes.count {
                #expect(throws: TransportError.self) {
                    try Array(bytes[0..<length]).withUnsafeBytes { try TaskReport(parsing: $0) }
                }
            }
            #expect(throws: TransportError.self) { try (bytes + [0]).withUnsafeBytes { try TaskReport(parsing: $0) } }
        }

        /// The protocol's bytes are pinned: changing them must be a conscious version bump with new fixtures, named
        /// after the version (`task-frame-v<version>.bin`), so a changed layout under an old number cannot pass.
        @Test func frameBytesMatchGoldenFixture() throws {
            let request = TaskRequest(taskID: 42, expectedChecksum: 0x0123_4567_89AB_CDEF, sentAt: 1_000_000_007)
            var frame = FrameHeader(kind: .task, metadataLength: request.bytes.count, bodyLength: 3).bytes
            frame += request.bytes
            frame += [1, 2, 3]
            try expectGolden(frame, named: "task-frame")
        }

        @Test func resultFrameBytesMatchGoldenFixture() throws {
            let report = TaskReport(
                taskID: 42, receivedAt: 1_000_000_009,
                spans: [StageSpan(stage: .deserialize, start: 1_000_000_010, end: 1_000_000_020, cpuNanoseconds: 9)],
                decodedChecksum: 0x0123_4567_89AB_CDEF, reserializedBytes: 3, writtenBytes: 3, workDigest: 5,
                lockIntervals: [LockInterval(start: 1_000_000_011, end: 1_000_000_012, locked: true)],
                peakResidentBytes: 20_971_520)
            let frame = FrameHeader(kind: .result, metadataLength: report.bytes.count, bodyLength: 0).bytes + report.bytes
            try expectGolden(frame, named: "result-frame")
        }

        private func expectGolden(_ frame: [UInt8], named name: String) throws {
            let url = Fixtures.url("protocol/\(name)-v\(WorkerProtocol.version).bin")
            if ProcessInfo.processInfo.environment["PAYLOADLAB_REGENERATE_FIXTURES"] == "1" {
                try Data(frame).write(to: url)
            }
            let golden = try Data(contentsOf: url)
            #expect(Array(golden) == frame, "worker protocol bytes changed: bump WorkerProtocol.version and regenerate fixtures")
        }

        @Test func channelMovesFramesThroughARealPipe() throws {
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            defer { close(fds[0]); close(fds[1]) }
            let writer = FrameChannel(input: -1, output: fds[1], bodyLimit: 0)
            let reader = FrameChannel(input: fds[0], output: -1, bodyLimit: 1 << 20)
            let body = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            try body.withUnsafeBytes { try writer.send(.task, metadata: [9, 8, 7], body: $0) }
            let frame = try reader.receive(deadline: Deadline(secondsFromNow: 5))
            #expect(frame.kind == .task)
            #expect(frame.metadata == [9, 8, 7])
            #expect(Array(frame.body) == body)
        }

        @Test func receiveTimesOutInsteadOfHanging() throws {
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            defer { close(fds[0]); close(fds[1]) }
            let reader = FrameChannel(input: fds[0], output: -1, bodyLimit: 1 << 20)
            #expect(throws: TransportError.timedOut(seconds: 0.05)) {
                try reader.receive(deadline: Deadline(secondsFromNow: 0.05))
            }
        }
    }
}
