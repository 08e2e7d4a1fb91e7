import Glibc
import Platform
import Results
import Units

/// Measures this machine's limits — memcpy, raw pipe, loopback TCP, disk write, zstd, process spawn, thread start — so every
/// stage of a sweep can be shown as a share of what the machine can do at best.
///
/// Each quantity is measured after discarded warm-up repetitions and reported as the median of its repetitions;
/// all repetitions are kept in `Calibration.samples`. Everything runs on the calling thread, one measurement at a
/// time, and leaves nothing behind: scratch files are removed and child processes reaped on every path.
public struct Calibrator: Sendable {
    /// The default amount of data moved by each bandwidth repetition.
    public static let defaultSizeBytes = 256_000_000

    /// The size of one write (pipe and disk) and of the pipe buffer asked for in the enlarged-pipe measurement.
    public static let chunkBytes = 1 << 20

    /// Where the disk measurement writes its files (removed afterwards).
    public let scratchDirectory: String
    /// Bytes moved by each memcpy, pipe and disk repetition; zstd uses at most `plan.zstdMaximumInputBytes`.
    public let sizeBytes: Int
    /// The payloadlab executable, started as `helperExecutable pipe-sink` for the pipe and worker measurements and as
    /// `helperExecutable tcp-sink` for the loopback TCP ones.
    public let helperExecutable: String

    /// Threads copying at once for `CopyCostCurve` (a sweep passes its workers, at most its cores).
    public let copyThreads: Int

    /// How many repetitions each quantity gets.
    var plan = CalibrationPlan()

    /// - Parameters:
    ///   - scratchDirectory: an existing writable directory for the disk measurement.
    ///   - sizeBytes: bytes per bandwidth repetition; at least 1 MiB. Tests use a few MB.
    ///   - helperExecutable: the payloadlab executable (`ExecutableLocator.current()` from within payloadlab).
    ///   - copyThreads: threads copying at once for the copy-cost curve; at least 1.
    public init(
        scratchDirectory: String, sizeBytes: Int = Calibrator.defaultSizeBytes, helperExecutable: String,
        copyThreads: Int = 2
    ) {
        self.scratchDirectory = scratchDirectory
        self.sizeBytes = sizeBytes
        self.helperExecutable = helperExecutable
        self.copyThreads = max(1, copyThreads)
    }

    /// Runs every measurement and returns the calibration.
    ///
    /// - Parameter progress: called with a short line before each measurement (for a terminal's stderr).
    /// - Throws: `CalibrationError`, checked up front where it can be (size, scratch directory, helper) so a bad
    ///   argument fails before the slow measurements start.
    public func run(progress: (String) -> Void = { _ in }) throws(CalibrationError) -> Calibration {
        let measuredAt = Self.iso8601Now()
        try validate()
        HeapPolicy.applyToParent()  // the heap the sweep's pool threads use, so the copy curve prices theirs
        let filesystem = try scratchFilesystemInfo()
        var samples = SampleRecorder()
        var load: [String: Double] = [:]
        /// Runs one phase and notes how busy other processes kept the machine meanwhile.
        func phase<T>(_ name: String, _ line: String, _ body: () throws(CalibrationError) -> T) throws(CalibrationError) -> T {
            progress(line)
            let before = CPUActivity.now()
            let result = try body()
            if let before, let after = CPUActivity.now() {
                load[name] = after.otherProcessesCPUs(since: before)
            }
            return result
        }

        let memcpy = try phase("memcpy", "memcpy into touched and into fresh memory, \(Formatting.bytes(Double(sizeBytes)))…") {
            () throws(CalibrationError) in try measureMemcpy(&samples)
        }
        let copyCurve = try phase("copy", "allocate + copy + free on \(copyThreads) thread\(copyThreads == 1 ? "" : "s"), 64KiB and up…") {
            () throws(CalibrationError) in try measureCopyCurve()
        }
        let pipeLine = "pipe to a child process, default and enlarged buffer, across CPUs and on one CPU, "
            + "\(Formatting.bytes(Double(sizeBytes)))…"
        let pipe = try phase("pipe", pipeLine) {
            () throws(CalibrationError) in try measurePipes(&samples)
        }
        let tcpLine = "TCP over loopback to a child process, \(Formatting.bytes(Double(sizeBytes))) on one connection, "
            + "round trip and connect…"
        let tcp = try phase("tcp", tcpLine) {
            () throws(CalibrationError) in try measureLoopbackTCP(&samples)
        }
        let disk = try phase("disk", "disk write to \(scratchDirectory) (\(filesystem.name)), without and with fsync…") {
            () throws(CalibrationError) in try measureDiskWrites(&samples)
        }
        let zstd = try phase("zstd", "zstd levels 1 and 3, one-shot, on generated text…") {
            () throws(CalibrationError) in try measureZstd(&samples)
        }
        let spawn = try phase("start", "process spawn, worker spawn and thread start…") {
            () throws(CalibrationError) in try measureStartCosts(&samples)
        }

        return calibration(
            measuredAt: measuredAt, filesystem: filesystem, memcpy: memcpy, copyCurve: copyCurve, pipe: pipe,
            tcp: tcp, disk: disk, zstd: zstd, spawn: spawn, load: load, samples: samples)
    }

    /// The calibration made of every phase's figures.
    private func calibration(
        measuredAt: String, filesystem: ScratchFilesystem, memcpy: (touched: Double, fresh: Double),
        copyCurve: CopyCostCurve, pipe: PipeFigures, tcp: TCPFigures, disk: (cached: Double, synced: Double), zstd: ZstdFigures,
        spawn: (process: Double, worker: Double, thread: Double), load: [String: Double], samples: SampleRecorder
    ) -> Calibration {
        return Calibration(
            measuredAt: measuredAt,
            sizeBytes: sizeBytes,
            memcpyTouchedBytesPerSecond: memcpy.touched,
            memcpyFreshBytesPerSecond: memcpy.fresh,
            pipeDefaultBytesPerSecond: pipe.defaultRate,
            pipeDefaultBufferBytes: pipe.defaultBufferBytes,
            pipeEnlargedBytesPerSecond: pipe.enlargedRate,
            pipeEnlargedBufferBytes: pipe.enlargedBufferBytes,
            pipeDefaultSameCoreBytesPerSecond: pipe.defaultSameCoreRate,
            pipeEnlargedSameCoreBytesPerSecond: pipe.enlargedSameCoreRate,
            pipePlacement: pipe.placement,
            diskWriteBytesPerSecond: disk.cached,
            diskWriteSyncBytesPerSecond: disk.synced,
            scratchFilesystem: filesystem.name,
            scratchAvailableBytes: filesystem.availableBytes,
            zstdInputBytes: zstd.inputBytes,
            zstdLevel1CompressedBytes: zstd.level1.compressedBytes,
            zstdLevel3CompressedBytes: zstd.level3.compressedBytes,
            zstdLevel1CompressBytesPerSecond: zstd.level1.compress,
            zstdLevel1DecompressBytesPerSecond: zstd.level1.decompress,
            zstdLevel3CompressBytesPerSecond: zstd.level3.compress,
            zstdLevel3DecompressBytesPerSecond: zstd.level3.decompress,
            processSpawnSeconds: spawn.process,
            workerSpawnSeconds: spawn.worker,
            threadStartSeconds: spawn.thread,
            otherProcessesCPUs: load,
            samples: samples.values,
            copyCurve: copyCurve,
            tcpLoopbackBytesPerSecond: tcp.rate,
            tcpRoundTripSeconds: tcp.roundTrip,
            tcpConnectSeconds: tcp.connect,
            tcpPlacement: tcp.placement
        )
    }

    /// Checks the size, the helper and the scratch directory before anything slow runs.
    func validate() throws(CalibrationError) {
        guard sizeBytes >= Self.chunkBytes else { throw .sizeTooSmall(bytes: sizeBytes) }
        guard access(helperExecutable, X_OK) == 0 else { throw .helperNotExecutable(path: helperExecutable) }
        try checkScratchDirectory()
    }

    /// Throws `.interrupted` once a stop signal has arrived: checked before every repetition and between the disk
    /// measurement's writes, so Ctrl-C ends a calibration within one write and its files are removed on the way out.
    static func checkStop() throws(CalibrationError) {
        if let signal = StopSignals.received { throw .interrupted(signal: signal) }
    }

    /// Now as `2025-01-31T12:00:00Z`.
    static func iso8601Now() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let count = strftime(&text, text.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: text[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// How many repetitions each quantity gets. Warm-up repetitions run first and are discarded.
struct CalibrationPlan: Sendable {
    struct Repetitions: Sendable {
        var warmUp: Int
        var measured: Int
    }

    var memcpyTouched = Repetitions(warmUp: 1, measured: 7)
    var memcpyFresh = Repetitions(warmUp: 1, measured: 5)
    var pipe = Repetitions(warmUp: 1, measured: 5)
    var tcp = Repetitions(warmUp: 1, measured: 5)
    /// Each repetition is one connection and `Calibrator.pingsPerRepetition` round trips.
    var tcpRoundTrip = Repetitions(warmUp: 1, measured: 5)
    var tcpConnect = Repetitions(warmUp: 5, measured: 50)
    var diskWrite = Repetitions(warmUp: 1, measured: 5)
    var diskWriteSync = Repetitions(warmUp: 1, measured: 5)
    var zstd = Repetitions(warmUp: 1, measured: 5)
    var processSpawn = Repetitions(warmUp: 2, measured: 20)
    var workerSpawn = Repetitions(warmUp: 2, measured: 20)
    var threadStart = Repetitions(warmUp: 20, measured: 200)
    /// zstd is slower than the other measurements, so it runs on at most this much text.
    var zstdMaximumInputBytes = 64_000_000
}

/// Collects each quantity's repetitions under its `Calibration` key and returns their median.
struct SampleRecorder {
    private(set) var values: [String: [Double]] = [:]

    /// Runs `body` `warmUp + measured` times, keeps the last `measured` results under `key`, returns their median.
    mutating func measure(
        _ key: String,
        _ repetitions: CalibrationPlan.Repetitions,
        _ body: () throws(CalibrationError) -> Double
    ) throws(CalibrationError) -> Double {
        for _ in 0..<repetitions.warmUp {
            try Calibrator.checkStop()
            _ = try body()
        }
        var results: [Double] = []
        results.reserveCapacity(repetitions.measured)
        for _ in 0..<max(1, repetitions.measured) {
            try Calibrator.checkStop()
            results.append(try body())
        }
        values[key] = results
        return Self.median(results)
    }

    /// The median: the middle value, or the mean of the two middle values of an even count.
    static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "median of no values")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
