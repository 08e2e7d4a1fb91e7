import CPlatform
import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Platform
@testable import Calibration

extension Integration {
    @Suite("Calibration pipe sink", .serialized)
    struct CalibrationPipeSinkTests {
        @Test func locatorFindsThePayloadlabExecutable() throws {
            let path = try requirePayloadlabExecutable()
            #expect(ExecutableLocator.isExecutableFile(path), "\(path) is not an executable file")
            #expect(ExecutableLocator.current() != nil)
        }

        @Test func sinkRunsAsARealChildProcessAndReportsCountAndLastByteStamp() throws {
            let helper = try requirePayloadlabExecutable()
            var (dataRead, dataWrite) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&dataRead); DescriptorIO.close(&dataWrite) }
            var (reportRead, reportWrite) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&reportRead); DescriptorIO.close(&reportWrite) }

            let child = try ChildProcess.spawn(
                executable: helper, arguments: ["pipe-sink"], descriptors: [(dataRead, 0), (reportWrite, 1)]
            )
            defer { child.killAndReap() }
            #expect(child.pid != getpid())
            DescriptorIO.close(&dataRead)
            DescriptorIO.close(&reportWrite)

            var report = try Calibrator.readReadyLine(reportRead)
            #expect(report == Array(PipeSink.readyLine.utf8))
            let start = pl_monotonic_ns()
            let payload = [UInt8](repeating: 0xAB, count: 3 << 20 + 17)
            try payload.withUnsafeBytes { try DescriptorIO.writeAll(dataWrite, $0) }
            DescriptorIO.close(&dataWrite)
            report += try DescriptorIO.readToEnd(reportRead)
            let end = pl_monotonic_ns()
            #expect(child.waitForExit().succeeded)

            let parsed = try #require(PipeSink.parseReport(String(decoding: report, as: UTF8.self)))
            #expect(parsed.bytes == payload.count)
            #expect(parsed.lastByteNs >= start && parsed.lastByteNs <= end, "the child's stamp is on the shared monotonic clock")
        }

        @Test func sinkInProcessCountsWhatWasWritten() throws {
            var (input, inputWrite) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&input); DescriptorIO.close(&inputWrite) }
            var (outputRead, output) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&outputRead); DescriptorIO.close(&output) }
            let data = [UInt8](repeating: 7, count: 12_345)
            try data.withUnsafeBytes { try DescriptorIO.writeAll(inputWrite, $0) }
            DescriptorIO.close(&inputWrite)

            #expect(PipeSink.run(input: input, output: output) == 0)
            DescriptorIO.close(&output)
            let text = String(decoding: try DescriptorIO.readToEnd(outputRead), as: UTF8.self)
            #expect(PipeSink.parseReport(text)?.bytes == 12_345)
        }

        @Test func sinkExitsWithAnErrorWhenItCannotRead() throws {
            var (outputRead, output) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&outputRead); DescriptorIO.close(&output) }
            var devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)  // write-only: reading fails with EBADF
            defer { DescriptorIO.close(&devNull) }
            var errorPipe = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&errorPipe.read); DescriptorIO.close(&errorPipe.write) }
            let code = PipeSink.run(input: devNull, output: output, errorOutput: errorPipe.write)
            DescriptorIO.close(&errorPipe.write)
            #expect(code == 1)
            let message = String(decoding: try DescriptorIO.readToEnd(errorPipe.read), as: UTF8.self)
            #expect(message.contains("could not read its stdin"))
        }

        @Test(arguments: ["", "ready\n", "ready\n12\n", "ready\n12 x\n", "ready\n1 2\nextra", "go\n1 2\n", "ready\n-1 5\n"])
        func rejectsMalformedReports(text: String) {
            #expect(PipeSink.parseReport(text) == nil)
        }

        @Test func acceptsAWellFormedReport() throws {
            let parsed = try #require(PipeSink.parseReport("ready\n268435456 123456789\n"))
            #expect(parsed.bytes == 268_435_456)
            #expect(parsed.lastByteNs == 123_456_789)
        }

        @Test func writingToADeadReaderGivesEPIPENotDeath() throws {
            var (readEnd, writeEnd) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&writeEnd) }
            DescriptorIO.close(&readEnd)
            let failure = try Calibrator.withSIGPIPEBlocked { () throws(CalibrationError) -> DescriptorError? in
                do throws(DescriptorError) {
                    try DescriptorIO.writeAll(writeEnd, "x")
                    return nil
                } catch {
                    return error
                }
            }
            #expect(failure == .system(call: "write", errno: EPIPE))
            var pending = sigset_t()
            sigpending(&pending)
            #expect(sigismember(&pending, SIGPIPE) == 0, "the SIGPIPE raised meanwhile was consumed")
        }

        @Test func enlargedPipeBufferIsWhatTheKernelGave() throws {
            var (readEnd, writeEnd) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&readEnd); DescriptorIO.close(&writeEnd) }
            let initial = try Calibrator.setPipeBuffer(writeEnd, requestedBytes: nil)
            let enlarged = try Calibrator.setPipeBuffer(writeEnd, requestedBytes: 1 << 20)
            #expect(enlarged >= initial)
            #expect(enlarged == Int(pl_get_pipe_size(readEnd)))
        }
    }
}

extension Integration {
    @Suite("Calibration CPU placement", .serialized)
    struct CalibrationPlacementTests {
        @Test func pipeMeasurementRestoresTheThreadsCPUAffinity() throws {
            let helper = try requirePayloadlabExecutable()
            let before = try #require(CPUSet.affinity(of: 0))
            var calibrator = Calibrator(scratchDirectory: "/tmp", sizeBytes: 2 << 20, helperExecutable: helper)
            calibrator.plan.pipe = .init(warmUp: 0, measured: 1)
            var samples = SampleRecorder()
            let figures = try calibrator.measurePipes(&samples)
            #expect(CPUSet.affinity(of: 0) == before)
            if before.cpus.count >= 2 {
                #expect(figures.placement == "writer on CPU \(before.cpus[0]), reader on CPU \(before.cpus[1])")
            }
            #expect(samples.values.keys.sorted() == [
                "pipeDefaultBytesPerSecond", "pipeDefaultSameCoreBytesPerSecond",
                "pipeEnlargedBytesPerSecond", "pipeEnlargedSameCoreBytesPerSecond",
            ])
        }

        @Test func cpuSetListsItsCPUs() {
            #expect(CPUSet(cpu: 0).cpus == [0])
            #expect(CPUSet(cpu: 70).cpus == [70])
            #expect(CPUSet().cpus.isEmpty)
        }
    }
}
