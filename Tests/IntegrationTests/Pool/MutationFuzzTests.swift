import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Results
@testable import Platform
@testable import Pool
@testable import Codec

extension Integration {
    /// Seeded mutation fuzzing: inputs built from valid encodings with bytes flipped, inserted, deleted, truncated and
    /// length fields overwritten. Each decoder must throw or succeed — never crash, hang, or allocate what a length
    /// field claims without the bytes to back it.
    @Suite("Hostile bytes")
    struct MutationFuzzTests {
        /// Seeded mutations, so every run fuzzes the same inputs and a failure reproduces.
        struct Mutator {
            var generator: SeededGenerator

            init(state: UInt64) { generator = SeededGenerator(seed: state) }

            mutating func next() -> UInt64 { generator.next() }

            mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

            /// One to four mutations of `seed`.
            mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
                var bytes = seed
                for _ in 0...below(4) {
                    switch below(6) {
                    case 0 where !bytes.isEmpty:
                        bytes[below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
                    case 1 where !bytes.isEmpty:
                        bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: next())
                    case 2:
                        bytes.insert(UInt8(truncatingIfNeeded: next()), at: below(bytes.count + 1))
                    case 3 where !bytes.isEmpty:
                        bytes.remove(at: below(bytes.count))
                    case 4:
                        bytes = Array(bytes.prefix(below(bytes.count + 1)))
                    default:
                        // Overwrite 8 bytes with a huge or random length-like value.
                        guard bytes.count >= 8 else { continue }
                        let at = below(bytes.count - 7)
                        let value: UInt64 = below(2) == 0 ? UInt64.max - UInt64(below(1000)) : next()
                        withUnsafeBytes(of: value.littleEndian) { raw in
                            for i in 0..<8 { bytes[at + i] = raw[i] }
                        }
                    }
                }
                return bytes
            }
        }

        @Test func workerProtocolSurvivesMutatedFrames() {
            let request = TaskRequest(taskID: 3, expectedChecksum: 99, sentAt: 12345)
            let report = TaskReport(
                taskID: 3, receivedAt: 7, spans: Stage.allCases.map { StageSpan(stage: $0, start: 1, end: 2, cpuNanoseconds: 1) },
                decodedChecksum: 99, reserializedBytes: 10, writtenBytes: 10, workDigest: 1,
                lockIntervals: [LockInterval(start: 1, end: 2, locked: true), LockInterval(start: 3, end: 4, locked: false)],
                peakResidentBytes: 21_000_000)
            let header = FrameHeader(kind: .result, metadataLength: report.bytes.count, bodyLength: 0).bytes
            let seeds = [request.bytes, report.bytes, header]
            var mutator = Mutator(state: 0x5EED)
            var accepted = 0
            for index in 0..<60_000 {
                let input = mutator.mutate(seeds[index % seeds.count])
                input.withUnsafeBytes { raw in
                    if (try? FrameHeader.parse(raw, bodyLimit: 1 << 30)) != nil { accepted += 1 }
                    if (try? TaskRequest(parsing: raw)) != nil { accepted += 1 }
                    if let parsed = try? TaskReport(parsing: raw) {
                        accepted += 1
                        #expect(parsed.spans.count <= Stage.allCases.count)
                    }
                }
            }
            #expect(accepted > 0, "the mutator should leave some inputs valid")
        }

        /// Mutated flat and binary records: the decoders and the flat view throw or succeed; a view that accepts
        /// its input reads every field inside it, and a decoded payload's checksum matches the view's.
        @Test func recordCodecsSurviveMutatedEncodings() throws {
            let payload = Payload.generate(shape: .records, sizeBytes: 1_500, seed: 77)
            let flat = try FlatCodec().encode(payload)
            let binary = try BinaryCodec().encode(payload)
            var mutator = Mutator(state: 0xF1A7)
            var accepted = 0
            for index in 0..<20_000 {
                let input = mutator.mutate(index % 2 == 0 ? flat : binary)
                input.withUnsafeBytes { raw in
                    _ = try? BinaryCodec().decode(raw)
                    let decoded = try? FlatCodec().decode(raw)
                    guard let view = try? FlatRecordsView(raw) else {
                        #expect(decoded == nil, "the decoder accepted what the view refused")
                        return
                    }
                    accepted += 1
                    #expect(view.encoded.count == raw.count)
                    var touched = 0
                    for record in 0..<view.count {
                        let name = view.name(record)
                        let tags = view.tagBytes(record)
                        #expect(name.baseAddress! >= raw.baseAddress! && name.baseAddress! + name.count <= raw.baseAddress! + raw.count)
                        #expect(tags.baseAddress! >= raw.baseAddress! && tags.baseAddress! + tags.count <= raw.baseAddress! + raw.count)
                        touched &+= name.count &+ tags.count
                    }
                    #expect(touched == view.nameBytes + view.tagCount * FlatLayout.tagBytes)
                    if let decoded { #expect(decoded.checksum == view.checksum) }
                }
            }
            #expect(accepted > 0, "the mutator should leave some flat inputs valid")
        }

        @Test func frameReaderSurvivesMutatedStreams() throws {
            let body = Array(repeating: UInt8(7), count: 64)
            let request = TaskRequest(taskID: 1, expectedChecksum: 2, sentAt: 3).bytes
            let header = FrameHeader(kind: .task, metadataLength: request.count, bodyLength: body.count).bytes
            let seed = header + request + body
            /// What the reader makes of `input`: a frame (its kind, metadata and body copied out) or nil for an error.
            func read(_ input: [UInt8]) -> (kind: UInt16, metadata: [UInt8], body: [UInt8])? {
                var fds: [Int32] = [0, 0]
                #expect(pipe(&fds) == 0)
                input.withUnsafeBytes { _ = write(fds[1], $0.baseAddress, $0.count) }
                close(fds[1])
                defer { close(fds[0]) }
                let channel = FrameChannel(input: fds[0], output: -1, bodyLimit: 1 << 20)
                guard let frame = try? channel.receive(deadline: Deadline(secondsFromNow: 2)) else { return nil }
                return (frame.rawKind, frame.metadata, Array(frame.body))
            }
            // The unmutated stream reads back exactly: the reader is not simply rejecting everything.
            let clean = try #require(read(seed))
            #expect(clean.metadata == request && clean.body == body)

            var mutator = Mutator(state: 42)
            var accepted = 0
            for _ in 0..<2_000 {
                let input = mutator.mutate(seed)
                // Whatever arrives, the reader returns a frame or throws; a frame it returns was really in the
                // stream: header, metadata and body fit in the bytes sent, and the body lies within the limit.
                guard let frame = read(input) else { continue }
                accepted += 1
                #expect(frame.body.count <= 1 << 20)
                let end = header.count + frame.metadata.count
                #expect(end + frame.body.count <= input.count, "a frame longer than the stream it came from")
                if end <= input.count { #expect(Array(input[header.count..<end]) == frame.metadata) }
            }
            #expect(accepted > 0, "the mutator should leave some streams readable")
        }
    }
}
