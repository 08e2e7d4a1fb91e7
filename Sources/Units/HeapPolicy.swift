import CPlatform

/// The glibc heap policy a worker process runs under (`WorkerMain` applies it first thing), fixed so that a stage's
/// cost per byte depends on the payload's size and not on the allocator's recent history.
///
/// By default glibc adapts: the size at which an allocation becomes its own mapping grows with the largest one
/// freed so far (up to 32 MiB), and the heap's top is returned to the kernel once it exceeds twice that. A task
/// frees its decoded object and its re-encoding together, which crossed the trim threshold at 4–16 MB: a worker
/// then faulted in fresh pages every task (decoding a 4 MB blob took 1.3 ms instead of 0.2 ms). Fixed, an
/// allocation below `mmapThresholdBytes` comes from a heap that keeps `topPadBytes` free at its top for the next
/// task, and one of at least `mmapThresholdBytes` is a fresh mapping every time, as in the parent's pool threads.
/// The parent measures under `applyToParent()`, the same step without the worker's kept top.
public enum HeapPolicy {
    /// glibc's own ceiling for its adaptive threshold (`CopyCostCurve.freshMappingBytes` is the same step).
    public static let mmapThresholdBytes = 32 << 20
    public static let topPadBytes = 64 << 20

    /// Applies the policy to this process; false when glibc refused it.
    @discardableResult
    public static func apply() -> Bool {
        pl_set_heap_policy(mmapThresholdBytes, topPadBytes) == 0
    }

    /// Applies the parent's policy (sweep and calibration): below `mmapThresholdBytes` an allocation comes from
    /// the heap, and from it a fresh mapping every time, because the heap's free top is given back once it
    /// reaches that size. Left to adapt, glibc let a 64 MB re-encode in a pool thread come from the top of a heap
    /// that earlier points had grown (0.17 ns a byte, no page faults) in one sweep and from a fresh mapping
    /// (0.9 ns a byte) in a sweep of fewer points, while 200 MB was always fresh: the cost of a size depended on
    /// what ran before it, and no model could carry the 64 MB point to 200 MB. A heap that keeps a top as large
    /// as the worker's (`topPadBytes`) made the parent's 64 MB encodes bimodal instead. False when glibc refused it.
    @discardableResult
    public static func applyToParent() -> Bool {
        pl_set_heap_limits(mmapThresholdBytes, mmapThresholdBytes) == 0
    }
}
