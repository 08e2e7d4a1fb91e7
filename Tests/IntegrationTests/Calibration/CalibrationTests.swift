import Foundation
import Testing
@testable import Payload
import TestSupport
@testable import Results
@testable import Platform
@testable import Calibration

/// The built payloadlab executable, or a test failure that says where it was looked for and what to do.
func requirePayloadlabExecutable() throws -> String {
    try #require(
        ExecutableLocator.payloadlab(),
        """
        The payloadlab executable was not found (looked in $\(ExecutableLocator.environmentVariable) and \
        \(ExecutableLocator.candidates())); run 'swift build --build-tests' before 'swift test --skip-build', \
        or set \(ExecutableLocator.environmentVariable).
        """
    )
}

/// A new empty directory under the temporary directory, removed by the caller.
func makeScratchDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("payloadlab-calibration-test-\(UUID())").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

extension Integration {
    @Suite("Calibration", .serialized)
    struct CalibrationTests {
        static let testSizeBytes = 8_000_000

        @Test func measuresPositivePlausibleValuesAndLeavesNothingBehind() throws {
            let helper = try requirePayloadlabExecutable()
            let scratch = try makeScratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            var lines: [String] = []
            let calibration = try Calibrator(scratchDirectory: scratch, sizeBytes: Self.testSizeBytes, helperExecutable: helper)
                .run { lines.append($0) }

            #expect(calibration.sizeBytes == Self.testSizeBytes)
            #expect(lines.count == 7)
            // Every rate and time is measured: positive and finite. How large depends on the machine and its load that day,
            // so no bound on speed is asserted here.
            for (name, value) in [
                ("memcpyTouched", calibration.memcpyTouchedBytesPerSecond),
                ("memcpyFresh", calibration.memcpyFreshBytesPerSecond),
                ("pipeDefault", calibration.pipeDefaultBytesPerSecond),
                ("pipeEnlarged", calibration.pipeEnlargedBytesPerSecond),
                ("pipeDefaultSameCore", calibration.pipeDefaultSameCoreBytesPerSecond),
                ("pipeEnlargedSameCore", calibration.pipeEnlargedSameCoreBytesPerSecond),
                ("diskWrite", calibration.diskWriteBytesPerSecond),
                ("tcpLoopback", calibration.tcpLoopbackBytesPerSecond ?? 0),
            ] {
                #expect(value > 0 && value.isFinite, "\(name) = \(value) B/s")
            }
            for (name, value) in [
                ("diskWriteSync", calibration.diskWriteSyncBytesPerSecond),
                ("zstdLevel1Compress", calibration.zstdLevel1CompressBytesPerSecond),
                ("zstdLevel1Decompress", calibration.zstdLevel1DecompressBytesPerSecond),
                ("zstdLevel3Compress", calibration.zstdLevel3CompressBytesPerSecond),
                ("zstdLevel3Decompress", calibration.zstdLevel3DecompressBytesPerSecond),
            ] {
                #expect(value > 0 && value.isFinite, "\(name) = \(value) B/s")
            }
            for (name, value) in [
                ("processSpawn", calibration.processSpawnSeconds),
                ("workerSpawn", calibration.workerSpawnSeconds),
            ] {
                #expect(value > 0 && value.isFinite, "\(name) = \(value) s")
            }
            #expect(calibration.threadStartSeconds > 0 && calibration.threadStartSeconds.isFinite)
            #expect((calibration.tcpRoundTripSeconds ?? 0) > 0 && (calibration.tcpConnectSeconds ?? 0) > 0)
            #expect(calibration.tcpPlacement != nil)

            #expect(calibration.pipeDefaultBufferBytes >= 4096)
            #expect(calibration.pipeEnlargedBufferBytes >= calibration.pipeDefaultBufferBytes)
            #expect(calibration.pipeEnlargedBufferBytes <= Calibrator.chunkBytes)
            #expect(calibration.zstdInputBytes == Self.testSizeBytes)
            #expect(calibration.zstdLevel1CompressedBytes > 0)
            #expect(calibration.zstdLevel1CompressedBytes < calibration.zstdInputBytes / 2)
            #expect(calibration.zstdLevel3CompressedBytes < calibration.zstdInputBytes / 2)
            #expect(calibration.scratchAvailableBytes > 0)
            #expect(!calibration.scratchFilesystem.isEmpty)
            #expect(calibration.measuredAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)

            // Every median comes with its repetitions, and is one of them or between two of them.
            let plan = CalibrationPlan()
            #expect(calibration.samples["threadStartSeconds"]?.count == plan.threadStart.measured)
            #expect(calibration.samples["pipeEnlargedBytesPerSecond"]?.count == plan.pipe.measured)
            let touched = try #require(calibration.samples["memcpyTouchedBytesPerSecond"])
            #expect(touched.min()! <= calibration.memcpyTouchedBytesPerSecond)
            #expect(calibration.memcpyTouchedBytesPerSecond <= touched.max()!)

            #expect(Set(calibration.otherProcessesCPUs.keys) == ["memcpy", "copy", "pipe", "tcp", "disk", "zstd", "start"])

            // The copy curve: every power of two from 64 KiB to 64 MiB (the floor of its largest size) and 31 MiB, just
            // below glibc's fresh-mapping step, each with a measured rate.
            let curve = try #require(calibration.copyCurve)
            #expect(curve.threads == 2)
            let expectedSizes: [Int] = ((16...26).map { 1 << $0 } + [CopyCostCurve.belowFreshMappingBytes]).sorted()
            #expect(curve.points.map(\.bytes) == expectedSizes)
            for point in curve.points {
                #expect(point.secondsPerByte > 0 && point.secondsPerByte.isFinite, "\(point.bytes) B: \(point.secondsPerByte) s/B")
            }
            #expect(calibration.otherProcessesCPUs.values.allSatisfy { $0 >= 0 && $0 < 1024 })

            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
        }

        @Test func rejectsASizeBelowOneWrite() throws {
            let calibrator = Calibrator(scratchDirectory: "/tmp", sizeBytes: 1000, helperExecutable: "/bin/true")
            #expect(throws: CalibrationError.sizeTooSmall(bytes: 1000)) { try calibrator.run() }
        }

        @Test func rejectsAMissingScratchDirectoryNamingIt() throws {
            let calibrator = Calibrator(
                scratchDirectory: "/nonexistent/payloadlab-scratch", sizeBytes: Self.testSizeBytes, helperExecutable: "/bin/true"
            )
            let error = #expect(throws: CalibrationError.self) { try calibrator.run() }
            #expect(error == .scratchMissing(path: "/nonexistent/payloadlab-scratch", errno: ENOENT))
            #expect(error?.description.contains("/nonexistent/payloadlab-scratch") == true)
        }

        @Test func rejectsAScratchPathThatIsAFile() throws {
            let calibrator = Calibrator(scratchDirectory: "/etc/hostname", sizeBytes: Self.testSizeBytes, helperExecutable: "/bin/true")
            #expect(throws: CalibrationError.scratchNotADirectory(path: "/etc/hostname")) { try calibrator.run() }
        }

        @Test func rejectsAHelperThatCannotRun() throws {
            let calibrator = Calibrator(scratchDirectory: "/tmp", sizeBytes: Self.testSizeBytes, helperExecutable: "/nonexistent/payloadlab")
            let error = #expect(throws: CalibrationError.self) { try calibrator.run() }
            #expect(error == .helperNotExecutable(path: "/nonexistent/payloadlab"))
            #expect(error?.description.contains("PAYLOADLAB_EXECUTABLE") == true)
        }

        @Test func aHelperThatIsNotPayloadlabIsReportedByItsExitCode() throws {
            let scratch = try makeScratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let calibrator = Calibrator(scratchDirectory: scratch, sizeBytes: 2 << 20, helperExecutable: "/bin/false")
            let error = #expect(throws: CalibrationError.self) { try calibrator.run() }
            #expect(error == .childFailed(command: "/bin/false pipe-sink", status: "exited with status 1"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
        }

        @Test func errorMessagesAreOneSentenceWithTheValueAndARemedy() {
            let errors: [CalibrationError] = [
                .sizeTooSmall(bytes: 1000),
                .scratchMissing(path: "/x", errno: ENOENT),
                .scratchNotADirectory(path: "/x"),
                .scratchNotWritable(path: "/x", errno: EACCES),
                .scratchTooSmall(path: "/x", availableBytes: 1_000, neededBytes: 2_000_000),
                .diskWriteFailed(path: "/x/f", errno: ENOSPC),
                .helperNotExecutable(path: "/x/payloadlab"),
                .spawnFailed(path: "/x/payloadlab", errno: ENOENT),
                .systemCallFailed(call: "pipe2", errno: EMFILE),
                .childFailed(command: "/x/payloadlab pipe-sink", status: "exited with code 3"),
                .pipeSinkCountMismatch(sentBytes: 10, receivedBytes: 9),
                .pipeSinkMalformedReport(text: "hello"),
                .outOfMemory(bytes: 1_000_000),
                .zstdFailed(level: 3, message: "Allocation error"),
                .verificationFailed(what: "memcpy into touched memory"),
                .threadStartFailed(errno: EAGAIN),
            ]
            for error in errors {
                let text = error.description
                #expect(text.hasSuffix("."), "\(text)")
                #expect(text.contains(";"), "no remedy: \(text)")
                #expect(!text.dropLast().contains(". "), "more than one sentence: \(text)")
            }
            #expect(CalibrationError.scratchNotWritable(path: "/ro", errno: EACCES).description
                == "The scratch directory '/ro' is not writable (Permission denied); use a writable directory.")
        }

        @Test func medianOfOddAndEvenCounts() {
            #expect(SampleRecorder.median([3, 1, 2]) == 2)
            #expect(SampleRecorder.median([4, 1, 3, 2]) == 2.5)
            #expect(SampleRecorder.median([7]) == 7)
        }

        @Test func recorderDiscardsWarmUpAndKeepsRepetitionsInOrder() throws {
            var recorder = SampleRecorder()
            var calls = 0.0
            let median = try recorder.measure("x", .init(warmUp: 2, measured: 3)) { () throws(CalibrationError) -> Double in
                calls += 1
                return calls
            }
            #expect(recorder.values["x"] == [3, 4, 5])
            #expect(median == 4)
        }

        @Test func readsTheScratchFilesystem() throws {
            #expect(FilesystemInfo.type(of: "/proc") == "0x9fa0")  // PROC_SUPER_MAGIC, not one named
            #expect(FilesystemInfo.type(of: "/dev/shm") == "tmpfs")
            #expect(FilesystemInfo.type(of: "/no/such/path") == "unknown")
        }

        @Test func readsMachineBusyTimeFromProcStat() throws {
            let text = "cpu  100 5 50 9000 20 3 2 10 0 0\ncpu0 50 2 25 4500 10 1 1 5 0 0\nintr 1\n"
            #expect(CPUActivity.machineBusySeconds(procStat: text, ticksPerSecond: 100) == 1.7)
            #expect(CPUActivity.machineBusySeconds(procStat: "intr 1\n", ticksPerSecond: 100) == nil)
            let start = try #require(CPUActivity.now())
            let later = CPUActivity(
                machineBusySeconds: start.machineBusySeconds + 1.5, ownSeconds: start.ownSeconds + 0.5,
                stampNs: start.stampNs + 2_000_000_000
            )
            #expect(abs(later.otherProcessesCPUs(since: start) - 0.5) < 1e-9)
        }

        @Test func zstdInputIsDeterministicExactAndLines() {
            let text = Payload.wordText(byteCount: 100_000, seed: 0x5EED)
            #expect(text.count == 100_000)
            #expect(text == Payload.wordText(byteCount: 100_000, seed: 0x5EED))
            #expect(text != Payload.wordText(byteCount: 100_000, seed: 2))
            #expect(text.filter { $0 == 0x0A }.count > 1_000)
        }
    }
}
