/// CPU time other processes used while a point's measured batches ran: the machine's busy time (`/proc/stat`,
/// hypervisor steal included) less payloadlab's own — the parent, the children it has reaped, and its live worker
/// processes (`/proc/<pid>/stat`). A competitor on the same cores lowers what a point measures; this says whether
/// one was there.
public struct OtherCPUUse: Codable, Sendable, Equatable {
    /// CPU seconds other processes used from the first measured batch's start to the last one's end.
    public var seconds: Double
    /// The wall seconds of that window.
    public var wallSeconds: Double
    /// Each measured batch's other CPU seconds, in run order (they sum to about `seconds`).
    public var batchSeconds: [Double]
    /// How far `seconds` can be off from the counters' granularity alone: the kernel counts in clock ticks, so the
    /// difference of two readings can miss up to a tick per CPU and per worker read from `/proc/<pid>/stat`.
    public var resolutionSeconds: Double
    /// The average other CPUs of the first attempt, when the point was disturbed and re-measured (this is the
    /// second attempt); nil when the point was measured once.
    public var firstAttemptCPUs: Double?

    public init(
        seconds: Double, wallSeconds: Double, batchSeconds: [Double], resolutionSeconds: Double,
        firstAttemptCPUs: Double? = nil
    ) {
        self.seconds = seconds
        self.wallSeconds = wallSeconds
        self.batchSeconds = batchSeconds
        self.resolutionSeconds = resolutionSeconds
        self.firstAttemptCPUs = firstAttemptCPUs
    }

    /// Other processes' average CPU use above which a point counts as disturbed, in CPUs.
    ///
    /// A quarter of a CPU. On the 2-core machines payloadlab is built for, a pool runs as many workers as cores,
    /// so every CPU-second a competitor takes is one the pool needed: others averaging 0.25 CPUs take an eighth of
    /// the machine, which lowers a CPU-bound point's throughput by about 12 % — more than the 10 % margin below
    /// which two pools count as tied, so enough to change a winner, and about the error the cost model is held to.
    /// An idle machine reads far less (kernel threads and writeback, 0.01–0.1 CPUs here), so quiet points are not
    /// flagged. It is the threshold the calibration flags its phases with (`Calibration.busyThresholdCPUs`). On a
    /// machine with more cores the same absolute load is a smaller share, so the threshold errs toward flagging.
    public static let disturbedThresholdCPUs = Calibration.busyThresholdCPUs

    /// Other processes' average CPU use over the window, in CPUs, counting only what exceeds the counters'
    /// resolution (so a short window's rounding never reads as a competitor); 0 for an empty window.
    public var averageCPUs: Double {
        OtherCPUUse.averageCPUs(seconds: seconds, wallSeconds: wallSeconds, resolutionSeconds: resolutionSeconds)
    }

    /// Whether other processes kept more than `disturbedThresholdCPUs` busy on average.
    public var isDisturbed: Bool {
        OtherCPUUse.isDisturbed(seconds: seconds, wallSeconds: wallSeconds, resolutionSeconds: resolutionSeconds)
    }

    /// `max(0, seconds − resolutionSeconds) ÷ wallSeconds`; 0 when the window is empty or a figure is not finite.
    public static func averageCPUs(seconds: Double, wallSeconds: Double, resolutionSeconds: Double) -> Double {
        guard wallSeconds > 0, wallSeconds.isFinite, seconds.isFinite, resolutionSeconds.isFinite else { return 0 }
        return max(0, seconds - max(0, resolutionSeconds)) / wallSeconds
    }

    /// The classification, a pure function of recorded numbers: disturbed when other processes' average CPU use
    /// beyond the counters' resolution exceeds `disturbedThresholdCPUs`.
    public static func isDisturbed(seconds: Double, wallSeconds: Double, resolutionSeconds: Double) -> Bool {
        averageCPUs(seconds: seconds, wallSeconds: wallSeconds, resolutionSeconds: resolutionSeconds)
            > disturbedThresholdCPUs
    }
}

extension PointResult {
    /// Whether other processes disturbed this point's measured batches (false when it was not measured).
    public var isDisturbed: Bool { otherCPU?.isDisturbed ?? false }
}

/// How much of a sweep ran on a quiet machine, and what that means for the model's fit.
public struct SweepQuietness: Sendable, Equatable {
    /// Successful points whose other CPU use was measured.
    public var measured: Int
    /// Of those, the ones still disturbed (after any re-measuring).
    public var disturbed: Int
    /// Points measured twice because the first attempt was disturbed.
    public var remeasured: Int
    /// Successful points without the measurement (CPython's, or results written before it existed).
    public var unmeasured: Int

    public init(measured: Int, disturbed: Int, remeasured: Int, unmeasured: Int) {
        self.measured = measured
        self.disturbed = disturbed
        self.remeasured = remeasured
        self.unmeasured = unmeasured
    }

    /// Counts `points`' successful ones.
    public init(points: [PointResult]) {
        let succeeded = points.filter(\.succeeded)
        let measured = succeeded.filter { $0.otherCPU != nil }
        self.init(
            measured: measured.count, disturbed: measured.filter(\.isDisturbed).count,
            remeasured: measured.filter { $0.otherCPU?.firstAttemptCPUs != nil }.count,
            unmeasured: succeeded.count - measured.count)
    }

    public var quiet: Int { measured - disturbed }
    /// Whether the disturbed points outnumber, or equal, the quiet ones: a machine busy all along.
    public var mostlyDisturbed: Bool { disturbed > 0 && disturbed >= quiet }

    /// Whether `point` belongs in the model's fit: disturbed points are left out while most of the sweep was
    /// quiet; when most was disturbed they are kept, and the model describes that busy machine.
    public func keepsInFit(_ point: PointResult) -> Bool {
        mostlyDisturbed || !point.isDisturbed
    }
}

extension SweepResult {
    public var quietness: SweepQuietness { SweepQuietness(points: points) }
}
