#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import Results
@testable import Sweep
@testable import Payload

extension Integration {
    /// A worker's peak memory is its own, not its parent's (issue 14, part 1).
    @Suite("Worker peak memory", .serialized)
    struct WorkerPeakMemoryTests {
        /// `wait4`'s `ru_maxrss` for a `posix_spawn`ed worker reads the parent's resident size at the spawn; a
        /// parent grown to 300 MB made every 1 KB worker look 300 MB large. Each worker must report its own.
        @Test func workersReportTheirOwnPeakNotTheParents() throws {
            let grown = 300 << 20
            let ballast = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 4096)
            defer { ballast.deallocate() }
            // Touch every page, so the ballast is resident, not just reserved.
            for offset in stride(from: 0, to: grown, by: 4096) { ballast.storeBytes(of: UInt8(1), toByteOffset: offset, as: UInt8.self) }
            let parentResident = ResidentMemory.current()
            #expect(parentResident >= grown, "the test needs a parent of at least 300 MB")

            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let plan = try SweepPlan(
                minBytes: 1_000, maxBytes: 1_000, factor: 4, shapes: [.blob], codecs: ["binary"], pools: [.process],
                workers: 2, tasks: 8)
            let runner = SweepRunner(
                plan: plan, options: SweepOptions(executable: try TestExecutable.path(), scratchParent: scratch.path),
                name: "peaks", environment: Environment.capture(commandLine: ["test"], scratchDirectory: scratch.path),
                warnings: [])
            let payload = Payload.generate(shape: .blob, sizeBytes: 1_000, seed: 1)
            let point = runner.measure(
                pool: .process, shape: .blob, sizeBytes: 1_000, codecName: "binary", payload: payload,
                checksum: payload.checksum, scratch: scratch.path, stop: StopFlag())
            #expect(point.failure == nil, "\(point.failure ?? "")")

            let memory = point.memory
            #expect(memory.workerBaselineBytes.count == 2)
            #expect(memory.workerPeakBytes.count == 2)
            for (baseline, peak) in zip(memory.workerBaselineBytes, memory.workerPeakBytes) {
                #expect(baseline > 0)
                #expect(peak >= baseline)
                #expect(peak - baseline <= 16 << 20, "a 1 KB task grew a worker from \(baseline) to \(peak) bytes")
                #expect(peak < parentResident / 2, "worker peak \(peak) is near the parent's \(parentResident)")
            }
            // Copies are computed from the real peaks: a 1 KB task adds nowhere near thousands of payloads.
            #expect((memory.workerCopies ?? .infinity) <= Double(16 << 20) / 1_000)
        }
    }
}
