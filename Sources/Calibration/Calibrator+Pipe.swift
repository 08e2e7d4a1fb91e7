import CPlatform
import Glibc
import Platform
import Units

extension Calibrator {
    struct PipeFigures {
        var defaultRate: Double
        var defaultBufferBytes: Int
        var enlargedRate: Double
        var enlargedBufferBytes: Int
        var defaultSameCoreRate: Double
        var enlargedSameCoreRate: Double
        var placement: String
    }

    /// Where the writer (this thread) and the reader (the child) run during a transfer.
    enum PipePlacement: Equatable {
        /// Writer and reader pinned to two different CPUs: the case of a busy pool, where a worker runs beside
        /// its parent. Pipe bandwidth between cores is bounded by cross-CPU wake-ups, not by copying.
        case crossCore(writer: Int, reader: Int)
        /// Both pinned to one CPU: every wake-up is a context switch on a cache-hot core.
        case sameCore(Int)
        /// Left to the scheduler (fewer than two CPUs, or affinity cannot be read).
        case unpinned

        var writerCPU: Int? {
            switch self {
            case .crossCore(let writer, _): return writer
            case .sameCore(let cpu): return cpu
            case .unpinned: return nil
            }
        }

        var readerCPU: Int? {
            switch self {
            case .crossCore(_, let reader): return reader
            case .sameCore(let cpu): return cpu
            case .unpinned: return nil
            }
        }

        var description: String {
            switch self {
            case .crossCore(let writer, let reader): return "writer on CPU \(writer), reader on CPU \(reader)"
            case .sameCore(let cpu): return "writer and reader on CPU \(cpu)"
            case .unpinned: return "unpinned"
            }
        }

        /// Cross-core and same-core placements on the first two CPUs this thread may use.
        static func available() -> (crossCore: PipePlacement, sameCore: PipePlacement) {
            let cpus = CPUSet.affinity(of: 0)?.cpus ?? []
            guard let first = cpus.first else { return (.unpinned, .unpinned) }
            return (cpus.count >= 2 ? .crossCore(writer: first, reader: cpus[1]) : .unpinned, .sameCore(first))
        }
    }

    /// Raw pipe bandwidth from this process to a `pipe-sink` child, with the default pipe buffer and with one
    /// enlarged to 1 MiB (or as close as the kernel allows), first with writer and reader on two different CPUs,
    /// then on one.
    ///
    /// Placement is pinned because it decides the figure: on a 2-core machine the same transfer runs at ~1 GB/s
    /// between cores and ~4 GB/s on one core, and left alone the scheduler picks either depending on load.
    func measurePipes(_ samples: inout SampleRecorder) throws(CalibrationError) -> PipeFigures {
        guard let chunk = malloc(Self.chunkBytes) else { throw .outOfMemory(bytes: Self.chunkBytes) }
        defer { free(chunk) }
        fillPattern(chunk, Self.chunkBytes)

        let placements = PipePlacement.available()
        let originalAffinity = CPUSet.affinity(of: 0)
        defer { originalAffinity?.apply(to: 0) }

        return try Self.withSIGPIPEBlocked { () throws(CalibrationError) -> PipeFigures in
            var bufferBytes: [String: Int] = [:]
            func rate(_ key: String, _ placement: PipePlacement, _ requested: Int?) throws(CalibrationError) -> Double {
                if let writer = placement.writerCPU, !CPUSet(cpu: writer).apply(to: 0) {
                    throw .systemCallFailed(call: "sched_setaffinity(CPU \(writer))", errno: errno)
                }
                return try samples.measure(key, plan.pipe) { () throws(CalibrationError) -> Double in
                    let transfer = try pipeTransfer(chunk: chunk, requestedBufferBytes: requested, readerCPU: placement.readerCPU)
                    bufferBytes[key] = transfer.bufferBytes
                    return transfer.rate
                }
            }
            let defaultRate = try rate("pipeDefaultBytesPerSecond", placements.crossCore, nil)
            let enlargedRate = try rate("pipeEnlargedBytesPerSecond", placements.crossCore, Self.chunkBytes)
            let defaultSameCoreRate = try rate("pipeDefaultSameCoreBytesPerSecond", placements.sameCore, nil)
            let enlargedSameCoreRate = try rate("pipeEnlargedSameCoreBytesPerSecond", placements.sameCore, Self.chunkBytes)
            return PipeFigures(
                defaultRate: defaultRate,
                defaultBufferBytes: bufferBytes["pipeDefaultBytesPerSecond"] ?? 0,
                enlargedRate: enlargedRate,
                enlargedBufferBytes: bufferBytes["pipeEnlargedBytesPerSecond"] ?? 0,
                defaultSameCoreRate: defaultSameCoreRate,
                enlargedSameCoreRate: enlargedSameCoreRate,
                placement: placements.crossCore.description
            )
        }
    }

    /// One transfer of `sizeBytes` in `chunkBytes` writes to a freshly spawned `pipe-sink`, pinned to `readerCPU`.
    ///
    /// The clock starts when the child reports `ready` (its receive buffer touched, so its start-up is not
    /// counted) and stops at the child's own stamp of its last read, on the shared CLOCK_MONOTONIC.
    func pipeTransfer(
        chunk: UnsafeRawPointer,
        requestedBufferBytes: Int?,
        readerCPU: Int?
    ) throws(CalibrationError) -> (rate: Double, bufferBytes: Int) {
        var (dataRead, dataWrite) = try CalibrationError.doing("a pipe to the pipe-sink child") { () throws(DescriptorError) in try DescriptorIO.pipe() }
        defer { DescriptorIO.close(&dataRead); DescriptorIO.close(&dataWrite) }
        var (reportRead, reportWrite) = try CalibrationError.doing("a pipe from the pipe-sink child") { () throws(DescriptorError) in try DescriptorIO.pipe() }
        defer { DescriptorIO.close(&reportRead); DescriptorIO.close(&reportWrite) }

        let bufferBytes = try Self.setPipeBuffer(dataWrite, requestedBytes: requestedBufferBytes)

        let child = try CalibrationError.spawn(helperExecutable, ["pipe-sink"], descriptors: [(dataRead, 0), (reportWrite, 1)])
        defer { child.killAndReap() }
        if let readerCPU, !CPUSet(cpu: readerCPU).apply(to: child.pid) {
            throw .systemCallFailed(call: "sched_setaffinity(CPU \(readerCPU)) for the pipe-sink child", errno: errno)
        }
        // Keep only our ends, so the child sees end of file and we see its report end.
        DescriptorIO.close(&dataRead)
        DescriptorIO.close(&reportWrite)

        var report: [UInt8]
        do {
            report = try Self.readReadyLine(reportRead)
        } catch .pipeSinkMalformedReport(let text) {
            // No `ready`: say how the child ended (a crash, a wrong helper) rather than that its output was odd.
            try CalibrationError.requireSuccess(child)
            throw .pipeSinkMalformedReport(text: text)
        }

        let start = pl_monotonic_ns()
        var sent = 0
        while sent < sizeBytes {
            let count = min(Self.chunkBytes, sizeBytes - sent)
            try CalibrationError.doing("write to the pipe-sink child") { () throws(DescriptorError) in
                try DescriptorIO.writeAll(dataWrite, UnsafeRawBufferPointer(start: chunk, count: count))
            }
            sent += count
        }
        DescriptorIO.close(&dataWrite)

        report += try CalibrationError.doing("read from the pipe-sink child") { () throws(DescriptorError) in
            try DescriptorIO.readToEnd(reportRead, limit: 1 << 16)
        }
        try CalibrationError.requireSuccess(child)

        let text = String(decoding: report, as: UTF8.self)
        guard let (received, lastByteNs) = PipeSink.parseReport(text) else {
            throw .pipeSinkMalformedReport(text: text.trimmingWhitespace())
        }
        guard received == sizeBytes else { throw .pipeSinkCountMismatch(sentBytes: sizeBytes, receivedBytes: received) }
        return (Double(sizeBytes) / MonotonicClock.seconds(from: start, to: lastByteNs), bufferBytes)
    }

    /// Asks for `requestedBytes` of pipe buffer (halving on EPERM, the unprivileged `pipe-max-size` cap) and returns
    /// the size the pipe actually has.
    static func setPipeBuffer(_ fd: Int32, requestedBytes: Int?) throws(CalibrationError) -> Int {
        if var request = requestedBytes {
            let initial = pl_get_pipe_size(fd)
            while request > Int(initial) {
                let rc = pl_set_pipe_size(fd, Int32(request))
                if rc >= 0 || -rc != EPERM { break }
                request /= 2
            }
        }
        let size = pl_get_pipe_size(fd)
        if size < 0 { throw .systemCallFailed(call: "fcntl(F_GETPIPE_SZ)", errno: -size) }
        return Int(size)
    }

    /// Reads the child's output up to and including its first line (`ready`); returns what was read.
    static func readReadyLine(_ fd: Int32) throws(CalibrationError) -> [UInt8] {
        var received: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        while received.last != UInt8(ascii: "\n") && received.count < 64 {
            var failure: DescriptorError?
            let n = byte.withUnsafeMutableBytes { raw -> Int in
                do throws(DescriptorError) { return try DescriptorIO.read(fd, into: raw) } catch { failure = error; return 0 }
            }
            if let failure { throw CalibrationError(failure, doing: "read from the pipe-sink child") }
            if n == 0 { throw .pipeSinkMalformedReport(text: String(decoding: received, as: UTF8.self)) }
            received.append(byte[0])
        }
        return received
    }

    /// Runs `body` with SIGPIPE blocked on this thread, so a write to a dead child returns EPIPE instead of killing
    /// the process. A SIGPIPE raised meanwhile is consumed before the mask is restored.
    ///
    /// Blocking on the calling thread rather than `signal(SIGPIPE, SIG_IGN)` leaves the process-wide disposition
    /// alone, which other threads (a test runner, a pool) may have set themselves. A write's SIGPIPE is sent to the
    /// writing thread, so the thread mask is enough.
    static func withSIGPIPEBlocked<T>(_ body: () throws(CalibrationError) -> T) throws(CalibrationError) -> T {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previousMask)
        var pendingBefore = sigset_t()
        sigpending(&pendingBefore)
        let wasPending = sigismember(&pendingBefore, SIGPIPE) == 1
        defer {
            var pendingAfter = sigset_t()
            sigpending(&pendingAfter)
            if !wasPending && sigismember(&pendingAfter, SIGPIPE) == 1 {
                var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeOnly, nil, &noWait)
            }
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }
        return try body()
    }
}
