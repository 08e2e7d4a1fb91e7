import CPlatform
import Glibc
import Platform
import Units

extension Calibrator {
    struct TCPFigures {
        var rate: Double
        var roundTrip: Double
        var connect: Double
        var placement: String
    }

    /// Bytes of one ping (and of its echo) in the round-trip measurement: a small message, as a task's control
    /// traffic is.
    static let pingBytes = 64
    /// Unmeasured round trips at the start of each repetition (the connection's and the caches' first use).
    static let pingWarmUp = 40
    /// Measured round trips per repetition; the repetition's figure is their median.
    static let pingsPerRepetition = 400
    /// How long the calibration waits for a `tcp-sink` child to connect, or for one echo.
    static let tcpWaitSeconds = 10.0

    /// One `tcp-sink` child with its accepted connection and its report pipe. Released on any path, it closes both
    /// and kills and reaps the child, so a failed measurement leaves no process and no open connection behind.
    final class TCPSinkSession {
        let child: ChildProcess
        var connection: Int32 = -1
        var report: Int32 = -1

        init(child: ChildProcess) {
            self.child = child
        }

        deinit {
            DescriptorIO.close(&connection)
            DescriptorIO.close(&report)
            child.killAndReap()
        }
    }

    /// TCP over loopback, both ends in separate processes: the bandwidth of one connection carrying `sizeBytes` in
    /// `chunkBytes` writes to a `tcp-sink` child, the round-trip time of a 64-byte ping-pong with Nagle's algorithm
    /// off (the median of `pingsPerRepetition` round trips per repetition), and the cost of opening a connection.
    ///
    /// Writer and reader are pinned to two different CPUs, as for the pipe: the case of a Dask worker beside its
    /// client. Loopback never touches a network card, so these are the upper bound of a real network on this machine.
    func measureLoopbackTCP(_ samples: inout SampleRecorder) throws(CalibrationError) -> TCPFigures {
        guard let chunk = malloc(Self.chunkBytes) else { throw .outOfMemory(bytes: Self.chunkBytes) }
        defer { free(chunk) }
        fillPattern(chunk, Self.chunkBytes)

        let placement = PipePlacement.available().crossCore
        let originalAffinity = CPUSet.affinity(of: 0)
        defer { originalAffinity?.apply(to: 0) }

        let opened = try CalibrationError.doing("a listening socket on 127.0.0.1") {
            () throws(DescriptorError) in try LoopbackSocket.listen()
        }
        var listener = opened.fd
        let port = opened.port
        defer { DescriptorIO.close(&listener) }

        return try Self.withSIGPIPEBlocked { () throws(CalibrationError) -> TCPFigures in
            if let writer = placement.writerCPU, !CPUSet(cpu: writer).apply(to: 0) {
                throw .systemCallFailed(call: "sched_setaffinity(CPU \(writer))", errno: errno)
            }
            let rate = try samples.measure("tcpLoopbackBytesPerSecond", plan.tcp) { () throws(CalibrationError) -> Double in
                try tcpTransfer(chunk: chunk, readerCPU: placement.readerCPU)
            }
            let roundTrip = try samples.measure("tcpRoundTripSeconds", plan.tcpRoundTrip) { () throws(CalibrationError) -> Double in
                try tcpRoundTrip(readerCPU: placement.readerCPU)
            }
            let connect = try samples.measure("tcpConnectSeconds", plan.tcpConnect) { () throws(CalibrationError) -> Double in
                try tcpConnect(listener: listener, port: port)
            }
            return TCPFigures(rate: rate, roundTrip: roundTrip, connect: connect, placement: placement.description)
        }
    }

    /// One transfer of `sizeBytes` in `chunkBytes` writes to a freshly spawned `tcp-sink`, pinned to `readerCPU`.
    ///
    /// The clock starts when the child reports `ready` (connected, its receive buffer touched) and stops at the
    /// child's own stamp of its last read, on the shared CLOCK_MONOTONIC.
    func tcpTransfer(chunk: UnsafeRawPointer, readerCPU: Int?) throws(CalibrationError) -> Double {
        let session = try startTCPSink(mode: .sink, readerCPU: readerCPU)
        let start = pl_monotonic_ns()
        var sent = 0
        while sent < sizeBytes {
            let count = min(Self.chunkBytes, sizeBytes - sent)
            try CalibrationError.doing("write to the tcp-sink child") { () throws(DescriptorError) in
                try DescriptorIO.writeAll(session.connection, UnsafeRawBufferPointer(start: chunk, count: count))
            }
            sent += count
        }
        let (received, lastByteNs) = try finish(session)
        guard received == sizeBytes else { throw .tcpSinkCountMismatch(sentBytes: sizeBytes, receivedBytes: received) }
        return Double(sizeBytes) / max(MonotonicClock.seconds(from: start, to: lastByteNs), 1e-9)
    }

    /// The median round trip of `pingsPerRepetition` 64-byte messages through an echoing `tcp-sink`, after
    /// `pingWarmUp` unmeasured ones; each echo is checked against the message sent.
    func tcpRoundTrip(readerCPU: Int?) throws(CalibrationError) -> Double {
        let session = try startTCPSink(mode: .echo, readerCPU: readerCPU)
        try CalibrationError.doing("TCP_NODELAY on the connection to the tcp-sink child") { () throws(DescriptorError) in
            try LoopbackSocket.setNoDelay(session.connection)
        }
        let message = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.pingBytes, alignment: 8)
        defer { message.deallocate() }
        let echo = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.pingBytes, alignment: 8)
        defer { echo.deallocate() }
        message.initializeMemory(as: UInt8.self, repeating: 0x5A)
        echo.initializeMemory(as: UInt8.self, repeating: 0)

        let total = Self.pingWarmUp + Self.pingsPerRepetition
        var times: [Double] = []
        times.reserveCapacity(Self.pingsPerRepetition)
        for index in 0..<total {
            message[0] = UInt8(truncatingIfNeeded: index)
            let start = pl_monotonic_ns()
            try CalibrationError.doing("write a ping to the tcp-sink child") { () throws(DescriptorError) in
                try DescriptorIO.writeAll(session.connection, UnsafeRawBufferPointer(message))
            }
            do throws(DescriptorError) {
                try DescriptorIO.readExactly(session.connection, into: echo, deadline: Deadline(secondsFromNow: Self.tcpWaitSeconds))
            } catch .closed, .timedOut {
                // No echo: say how the child ended rather than that a read came up short.
                try CalibrationError.requireSuccess(session.child)
                throw .tcpSinkMalformedReport(text: "no echo of ping \(index + 1)")
            } catch {
                throw CalibrationError(error, doing: "read an echo from the tcp-sink child")
            }
            let end = pl_monotonic_ns()
            guard echo.elementsEqual(message) else { throw .verificationFailed(what: "TCP echo of a 64-byte ping") }
            if index >= Self.pingWarmUp { times.append(MonotonicClock.seconds(from: start, to: end)) }
        }
        let (received, _) = try finish(session)
        guard received == total * Self.pingBytes else {
            throw .tcpSinkCountMismatch(sentBytes: total * Self.pingBytes, receivedBytes: received)
        }
        return SampleRecorder.median(times)
    }

    /// `socket` + `connect` to `listener` on 127.0.0.1 (the handshake runs in the kernel within the call), in this
    /// process; the connection is accepted and both ends closed afterwards, outside the clock.
    func tcpConnect(listener: Int32, port: UInt16) throws(CalibrationError) -> Double {
        let start = pl_monotonic_ns()
        var client = try CalibrationError.doing("connect to 127.0.0.1:\(port)") { () throws(DescriptorError) in
            try LoopbackSocket.connect(port: port, deadline: Deadline(secondsFromNow: Self.tcpWaitSeconds))
        }
        let end = pl_monotonic_ns()
        defer { DescriptorIO.close(&client) }
        var server = try CalibrationError.doing("accept on 127.0.0.1:\(port)") { () throws(DescriptorError) in
            try LoopbackSocket.accept(listener, deadline: Deadline(secondsFromNow: Self.tcpWaitSeconds))
        }
        DescriptorIO.close(&server)
        return MonotonicClock.seconds(from: start, to: end)
    }

    /// Listens on 127.0.0.1, starts `tcp-sink` there (reporting on a pipe, pinned to `readerCPU`), accepts its
    /// connection and reads its `ready` line. The listening socket is closed before this returns, on every path.
    func startTCPSink(mode: TCPSink.Mode, readerCPU: Int?) throws(CalibrationError) -> TCPSinkSession {
        let opened = try CalibrationError.doing("a listening socket on 127.0.0.1") {
            () throws(DescriptorError) in try LoopbackSocket.listen()
        }
        var listener = opened.fd
        defer { DescriptorIO.close(&listener) }
        var (reportRead, reportWrite) = try CalibrationError.doing("a pipe from the tcp-sink child") {
            () throws(DescriptorError) in try DescriptorIO.pipe()
        }
        defer { DescriptorIO.close(&reportRead); DescriptorIO.close(&reportWrite) }

        let arguments = ["tcp-sink", "--port", "\(opened.port)"] + (mode == .echo ? ["--echo"] : [])
        let child = try CalibrationError.spawn(helperExecutable, arguments, descriptors: [(reportWrite, 1)])
        let session = TCPSinkSession(child: child)  // from here, its release reaps the child
        DescriptorIO.close(&reportWrite)  // only the child's copy stays, so its exit ends our reads
        session.report = reportRead
        reportRead = -1
        if let readerCPU, !CPUSet(cpu: readerCPU).apply(to: child.pid) {
            throw .systemCallFailed(call: "sched_setaffinity(CPU \(readerCPU)) for the tcp-sink child", errno: errno)
        }
        session.connection = try acceptConnection(listener, from: child)
        DescriptorIO.close(&listener)
        do {
            _ = try Self.readReadyLine(session.report)
        } catch .pipeSinkMalformedReport(let text) {
            try CalibrationError.requireSuccess(child)
            throw .tcpSinkMalformedReport(text: text)
        }
        return session
    }

    /// The connection `child` opens to `listener`, waiting in short slices so a child that ends (or never
    /// connects) is noticed at once rather than at the deadline.
    func acceptConnection(_ listener: Int32, from child: ChildProcess) throws(CalibrationError) -> Int32 {
        let deadline = Deadline(secondsFromNow: Self.tcpWaitSeconds)
        while true {
            do throws(DescriptorError) {
                return try LoopbackSocket.accept(listener, deadline: Deadline(secondsFromNow: 0.05))
            } catch .timedOut {
                if let end = child.poll() {
                    throw .tcpSinkNeverConnected(command: child.command, status: end.summary)
                }
                if MonotonicClock.now() >= deadline.instant {
                    throw .tcpSinkNeverConnected(
                        command: child.command, status: "ran for \(Formatting.seconds(Self.tcpWaitSeconds))")
                }
                try Self.checkStop()
            } catch {
                throw CalibrationError(error, doing: "accept the tcp-sink child's connection")
            }
        }
    }

    /// Ends the session's sending, reads the child's report and reaps it: the bytes it received and the stamp of its
    /// last read.
    func finish(_ session: TCPSinkSession) throws(CalibrationError) -> (bytes: Int, lastByteNs: UInt64) {
        try CalibrationError.doing("shutdown of the connection to the tcp-sink child") { () throws(DescriptorError) in
            try LoopbackSocket.shutdownWrite(session.connection)
        }
        let report = try CalibrationError.doing("read from the tcp-sink child") { () throws(DescriptorError) in
            try DescriptorIO.readToEnd(session.report, limit: 1 << 16)
        }
        try CalibrationError.requireSuccess(session.child)
        let text = PipeSink.readyLine + String(decoding: report, as: UTF8.self)
        guard let parsed = PipeSink.parseReport(text) else {
            throw .tcpSinkMalformedReport(text: String(decoding: report, as: UTF8.self).trimmingWhitespace())
        }
        return parsed
    }
}
