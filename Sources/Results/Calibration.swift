/// This machine's limits, measured in the same run as the measurements they are compared with.
///
/// Every figure is the **median** of several repetitions taken after at least one discarded warm-up repetition;
/// the repetitions themselves are kept in `samples` so a reader can see the spread. Rates are in bytes per second
/// (decimal: 1 GB/s = 1e9), durations in seconds.
///
/// The key names are stable: a `Calibration` is stored in the versioned results JSON. Add keys; never rename one.
public struct Calibration: Codable, Sendable, Equatable {
    /// When the calibration ran, ISO-8601 in UTC (`2025-01-31T12:00:00Z`).
    public var measuredAt: String
    /// The amount of data each bandwidth repetition moves (memcpy, pipe, disk).
    public var sizeBytes: Int

    /// `memcpy` into a destination already written once (steady state: no page faults).
    public var memcpyTouchedBytesPerSecond: Double
    /// `memcpy` into newly mapped memory, first touch: page faults included. The time includes the `mmap` call.
    public var memcpyFreshBytesPerSecond: Double

    /// Raw pipe bandwidth to a separate child process, default pipe buffer, 1 MiB writes, writer and reader
    /// pinned to two different CPUs (see `pipePlacement`): the case of a pool whose workers run beside the parent.
    public var pipeDefaultBytesPerSecond: Double
    /// The default pipe buffer this kernel gave (`F_GETPIPE_SZ`).
    public var pipeDefaultBufferBytes: Int
    /// Raw pipe bandwidth to a separate child process with an enlarged pipe buffer, 1 MiB writes, writer and
    /// reader on two different CPUs.
    public var pipeEnlargedBytesPerSecond: Double
    /// The pipe buffer actually obtained when asking for 1 MiB (`F_SETPIPE_SZ` is capped by
    /// `/proc/sys/fs/pipe-max-size` for unprivileged processes).
    public var pipeEnlargedBufferBytes: Int
    /// As `pipeDefaultBytesPerSecond` with writer and reader pinned to the same CPU (each wake-up a context
    /// switch on one cache-hot core; several times faster than across cores on small machines).
    public var pipeDefaultSameCoreBytesPerSecond: Double
    /// As `pipeEnlargedBytesPerSecond` with writer and reader pinned to the same CPU.
    public var pipeEnlargedSameCoreBytesPerSecond: Double
    /// Where writer and reader ran for the two-CPU figures: `writer on CPU 0, reader on CPU 1`, or `unpinned`
    /// when fewer than two CPUs are available.
    public var pipePlacement: String

    /// Writing `sizeBytes` to a new file in the scratch directory in 1 MiB writes, into the page cache.
    public var diskWriteBytesPerSecond: Double
    /// The same followed by `fsync`; the time includes the `fsync`.
    public var diskWriteSyncBytesPerSecond: Double
    /// The scratch directory's file system, from `statfs` (`ext4`, `tmpfs`, `overlayfs`, `xfs`, `btrfs`, or hex).
    public var scratchFilesystem: String
    /// Bytes available to this user in the scratch file system before the run (`statvfs`).
    public var scratchAvailableBytes: Int

    /// Size of the generated text the zstd figures were measured on.
    public var zstdInputBytes: Int
    /// Compressed size of that text at level 1.
    public var zstdLevel1CompressedBytes: Int
    /// Compressed size of that text at level 3.
    public var zstdLevel3CompressedBytes: Int
    /// One-shot `ZSTD_compressCCtx` at level 1, in uncompressed bytes per second (as `zstd -b` reports).
    public var zstdLevel1CompressBytesPerSecond: Double
    /// One-shot `ZSTD_decompressDCtx` of the level-1 frame, in uncompressed bytes per second.
    public var zstdLevel1DecompressBytesPerSecond: Double
    /// One-shot `ZSTD_compressCCtx` at level 3, in uncompressed bytes per second.
    public var zstdLevel3CompressBytesPerSecond: Double
    /// One-shot `ZSTD_decompressDCtx` of the level-3 frame, in uncompressed bytes per second.
    public var zstdLevel3DecompressBytesPerSecond: Double

    /// `posix_spawn` + `wait4` of `/bin/true`.
    public var processSpawnSeconds: Double
    /// `posix_spawn` + `wait4` of the payloadlab executable running `pipe-sink` on an empty stdin: the start-up
    /// and exit cost of a Swift worker process.
    public var workerSpawnSeconds: Double
    /// `pthread_create` + `pthread_join` of an empty body.
    public var threadStartSeconds: Double

    /// TCP over loopback: one connection on 127.0.0.1 from this process to a separate child (`payloadlab tcp-sink`),
    /// `sizeBytes` in 1 MiB writes, writer and reader on two different CPUs (see `tcpPlacement`). Loopback never
    /// touches a network card: it is the upper bound of a real network between hosts. Nil in results written before
    /// it was measured.
    public var tcpLoopbackBytesPerSecond: Double?
    /// The median round trip of a 64-byte message over an established loopback connection to the child, which echoes
    /// it (`TCP_NODELAY` on both ends): each repetition's figure is the median (p50) of 400 round trips. Nil in
    /// results written before it was measured.
    public var tcpRoundTripSeconds: Double?
    /// `socket` + `connect` to a listening socket on 127.0.0.1 in this process (the handshake runs in the kernel
    /// within the call). Nil in results written before it was measured.
    public var tcpConnectSeconds: Double?
    /// Where writer and reader ran for the TCP figures, as `pipePlacement`. Nil in results written before.
    public var tcpPlacement: String?

    /// How many CPUs other processes kept busy, on average, during each phase (`memcpy`, `copy`, `pipe`, `tcp`, `disk`,
    /// `zstd`, `start`): machine-wide busy time from `/proc/stat` (hypervisor steal included) less this process's and its
    /// children's. Near 0 on a quiet machine; a phase above `Calibration.busyThresholdCPUs` measured limits lower
    /// than the machine's. Empty where `/proc/stat` cannot be read.
    public var otherProcessesCPUs: [String: Double]

    /// The repetitions behind each median, keyed by the property name above (`"pipeDefaultBytesPerSecond"`), in
    /// the same unit, in the order they ran. Warm-up repetitions are not included.
    public var samples: [String: [Double]]

    /// The cost per byte of a payload-sized allocate + copy + free, by size; nil in results written before it was
    /// measured (the cost model then falls back to joining measured sizes).
    public var copyCurve: CopyCostCurve?

    public init(
        measuredAt: String,
        sizeBytes: Int,
        memcpyTouchedBytesPerSecond: Double,
        memcpyFreshBytesPerSecond: Double,
        pipeDefaultBytesPerSecond: Double,
        pipeDefaultBufferBytes: Int,
        pipeEnlargedBytesPerSecond: Double,
        pipeEnlargedBufferBytes: Int,
        pipeDefaultSameCoreBytesPerSecond: Double,
        pipeEnlargedSameCoreBytesPerSecond: Double,
        pipePlacement: String,
        diskWriteBytesPerSecond: Double,
        diskWriteSyncBytesPerSecond: Double,
        scratchFilesystem: String,
        scratchAvailableBytes: Int,
        zstdInputBytes: Int,
        zstdLevel1CompressedBytes: Int,
        zstdLevel3CompressedBytes: Int,
        zstdLevel1CompressBytesPerSecond: Double,
        zstdLevel1DecompressBytesPerSecond: Double,
        zstdLevel3CompressBytesPerSecond: Double,
        zstdLevel3DecompressBytesPerSecond: Double,
        processSpawnSeconds: Double,
        workerSpawnSeconds: Double,
        threadStartSeconds: Double,
        otherProcessesCPUs: [String: Double] = [:],
        samples: [String: [Double]] = [:],
        copyCurve: CopyCostCurve? = nil,
        tcpLoopbackBytesPerSecond: Double? = nil,
        tcpRoundTripSeconds: Double? = nil,
        tcpConnectSeconds: Double? = nil,
        tcpPlacement: String? = nil
    ) {
        self.measuredAt = measuredAt
        self.sizeBytes = sizeBytes
        self.memcpyTouchedBytesPerSecond = memcpyTouchedBytesPerSecond
        self.memcpyFreshBytesPerSecond = memcpyFreshBytesPerSecond
        self.pipeDefaultBytesPerSecond = pipeDefaultBytesPerSecond
        self.pipeDefaultBufferBytes = pipeDefaultBufferBytes
        self.pipeEnlargedBytesPerSecond = pipeEnlargedBytesPerSecond
        self.pipeEnlargedBufferBytes = pipeEnlargedBufferBytes
        self.pipeDefaultSameCoreBytesPerSecond = pipeDefaultSameCoreBytesPerSecond
        self.pipeEnlargedSameCoreBytesPerSecond = pipeEnlargedSameCoreBytesPerSecond
        self.pipePlacement = pipePlacement
        self.diskWriteBytesPerSecond = diskWriteBytesPerSecond
        self.diskWriteSyncBytesPerSecond = diskWriteSyncBytesPerSecond
        self.scratchFilesystem = scratchFilesystem
        self.scratchAvailableBytes = scratchAvailableBytes
        self.zstdInputBytes = zstdInputBytes
        self.zstdLevel1CompressedBytes = zstdLevel1CompressedBytes
        self.zstdLevel3CompressedBytes = zstdLevel3CompressedBytes
        self.zstdLevel1CompressBytesPerSecond = zstdLevel1CompressBytesPerSecond
        self.zstdLevel1DecompressBytesPerSecond = zstdLevel1DecompressBytesPerSecond
        self.zstdLevel3CompressBytesPerSecond = zstdLevel3CompressBytesPerSecond
        self.zstdLevel3DecompressBytesPerSecond = zstdLevel3DecompressBytesPerSecond
        self.processSpawnSeconds = processSpawnSeconds
        self.workerSpawnSeconds = workerSpawnSeconds
        self.threadStartSeconds = threadStartSeconds
        self.otherProcessesCPUs = otherProcessesCPUs
        self.samples = samples
        self.copyCurve = copyCurve
        self.tcpLoopbackBytesPerSecond = tcpLoopbackBytesPerSecond
        self.tcpRoundTripSeconds = tcpRoundTripSeconds
        self.tcpConnectSeconds = tcpConnectSeconds
        self.tcpPlacement = tcpPlacement
    }

    /// Other processes' CPU use in a phase above which its figures are flagged as disturbed.
    public static let busyThresholdCPUs = 0.25

    /// The phases other processes disturbed, in run order.
    public var disturbedPhases: [String] {
        ["memcpy", "copy", "pipe", "tcp", "disk", "zstd", "start"].filter { (otherProcessesCPUs[$0] ?? 0) > Self.busyThresholdCPUs }
    }
}
