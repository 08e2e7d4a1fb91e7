import CPlatform
import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Platform
@testable import Calibration

extension Integration {
    /// Loopback TCP in the calibration: a real `tcp-sink` child on a real connection, and nothing left behind — no
    /// child process, no socket — whether the measurement succeeds or its helper fails.
    @Suite("Calibration over loopback TCP", .serialized)
    struct CalibrationTCPTests {
        /// This process's children that are still there (zombies included), from /proc/<pid>/stat.
        static func children() -> [Int32] {
            let me = getpid()
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry -> Int32? in
                guard let pid = Int32(entry), let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = text.lastIndex(of: ")")
                else { return nil }
                let fields = text[text.index(after: close)...].split(separator: " ")
                return fields.count > 1 && Int32(fields[1]) == me ? pid : nil
            }
        }

        /// This process's open sockets, from the links in /proc/self/fd.
        static func sockets() -> Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.filter {
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "").hasPrefix("socket:")
            }.count
        }

        @Test func measuresBandwidthRoundTripAndConnectAndLeavesNothingBehind() throws {
            let helper = try requirePayloadlabExecutable()
            let childrenBefore = Self.children()
            let socketsBefore = Self.sockets()
            var calibrator = Calibrator(scratchDirectory: "/tmp", sizeBytes: 4 << 20, helperExecutable: helper)
            calibrator.plan.tcp = .init(warmUp: 0, measured: 2)
            calibrator.plan.tcpRoundTrip = .init(warmUp: 0, measured: 1)
            calibrator.plan.tcpConnect = .init(warmUp: 1, measured: 5)
            let before = try #require(CPUSet.affinity(of: 0))
            var samples = SampleRecorder()
            let figures = try calibrator.measureLoopbackTCP(&samples)
            // Measured, so positive and finite; how fast depends on the machine and its load, so no bound is asserted.
            #expect(figures.rate > 0 && figures.rate.isFinite)
            #expect(figures.roundTrip > 0 && figures.roundTrip < 1)
            #expect(figures.connect > 0 && figures.connect < 1)
            #expect(samples.values["tcpLoopbackBytesPerSecond"]?.count == 2)
            #expect(samples.values["tcpConnectSeconds"]?.count == 5)
            #expect(CPUSet.affinity(of: 0) == before, "the thread's CPU affinity is restored")
            #expect(Self.children() == childrenBefore, "every tcp-sink child was reaped")
            #expect(Self.sockets() == socketsBefore, "every socket was closed")
        }

        @Test func aHelperThatNeverConnectsIsNamedReapedAndLeavesNoPortOpen() throws {
            let childrenBefore = Self.children()
            let socketsBefore = Self.sockets()
            var calibrator = Calibrator(scratchDirectory: "/tmp", sizeBytes: 2 << 20, helperExecutable: "/bin/true")
            calibrator.plan.tcp = .init(warmUp: 0, measured: 1)
            var samples = SampleRecorder()
            let error = #expect(throws: CalibrationError.self) { try calibrator.measureLoopbackTCP(&samples) }
            guard case .tcpSinkNeverConnected(let command, let status)? = error else {
                Issue.record("expected tcpSinkNeverConnected, got \(String(describing: error))")
                return
            }
            #expect(command.hasPrefix("/bin/true tcp-sink --port "))
            #expect(status == "exited with status 0")
            #expect(error?.description.contains("without connecting to the calibration's port on 127.0.0.1") == true)
            #expect(Self.children() == childrenBefore)
            #expect(Self.sockets() == socketsBefore)
        }

        @Test func aHelperThatFailsBeforeConnectingIsReportedByItsExitStatus() throws {
            let calibrator = Calibrator(scratchDirectory: "/tmp", sizeBytes: 2 << 20, helperExecutable: "/bin/false")
            let error = #expect(throws: CalibrationError.self) { _ = try calibrator.startTCPSink(mode: .sink, readerCPU: nil) }
            if case .tcpSinkNeverConnected(_, let status)? = error { #expect(status == "exited with status 1") }
            else { Issue.record("expected tcpSinkNeverConnected, got \(String(describing: error))") }
        }

        @Test func echoingSinkSendsEveryByteBackAndReports() throws {
            let helper = try requirePayloadlabExecutable()
            var (listener, port) = try LoopbackSocket.listen()
            defer { DescriptorIO.close(&listener) }
            var (reportRead, reportWrite) = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&reportRead); DescriptorIO.close(&reportWrite) }
            let child = try ChildProcess.spawn(
                executable: helper, arguments: ["tcp-sink", "--port", "\(port)", "--echo"], descriptors: [(reportWrite, 1)])
            defer { child.killAndReap() }
            DescriptorIO.close(&reportWrite)
            var connection = try LoopbackSocket.accept(listener, deadline: Deadline(secondsFromNow: 10))
            defer { DescriptorIO.close(&connection) }
            #expect(try Calibrator.readReadyLine(reportRead) == Array(PipeSink.readyLine.utf8))
            try DescriptorIO.writeAll(connection, "ping")
            var echo = [UInt8](repeating: 0, count: 4)
            try echo.withUnsafeMutableBytes { try DescriptorIO.readExactly(connection, into: $0, deadline: Deadline(secondsFromNow: 10)) }
            #expect(echo == Array("ping".utf8))
            try LoopbackSocket.shutdownWrite(connection)
            let report = String(decoding: try DescriptorIO.readToEnd(reportRead), as: UTF8.self)
            #expect(child.waitForExit().succeeded)
            #expect(PipeSink.parseReport(PipeSink.readyLine + report)?.bytes == 4)
        }

        @Test func connectingWhereNothingListensIsRefusedAtOnce() throws {
            var (listener, port) = try LoopbackSocket.listen()
            DescriptorIO.close(&listener)
            #expect(throws: DescriptorError.system(call: "connect 127.0.0.1:\(port)", errno: ECONNREFUSED)) {
                _ = try LoopbackSocket.connect(port: port, deadline: Deadline(secondsFromNow: 1))
            }
        }
    }

    /// The hidden `tcp-sink` subcommand refuses what calibrate never passes, in one sentence.
    @Suite("tcp-sink arguments", .serialized)
    struct TCPSinkArgumentTests {
        @Test(arguments: [["--port", "0"], ["--port", "70000"], ["--port", "http"], ["--port", "-5"], ["--port", ""]])
        func rejectsAPortOutsideTheRange(arguments: [String]) throws {
            let run = try CommandRun.payloadlab(["tcp-sink"] + arguments, timeout: 30)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr == "payloadlab: tcp-sink --port '\(arguments[1])' is not a TCP port; give 1 to 65535, the port payloadlab calibrate listens on.\n")
            #expect(run.stdout.isEmpty)
        }

        @Test func requiresAPort() throws {
            let run = try CommandRun.payloadlab(["tcp-sink"], timeout: 30)
            #expect(run.status == 64)
            #expect(run.stderr.contains("--port"))
        }

        @Test func aPortNobodyListensOnFailsInOneSentence() throws {
            var (listener, port) = try LoopbackSocket.listen()
            DescriptorIO.close(&listener)
            let run = try CommandRun.payloadlab(["tcp-sink", "--port", "\(port)"], timeout: 30)
            #expect(run.status == 1)
            #expect(run.stderr == "tcp-sink could not connect to 127.0.0.1:\(port) (Connection refused); run it from payloadlab calibrate, which listens there.\n")
            #expect(run.stdout.isEmpty)
        }
    }
}
