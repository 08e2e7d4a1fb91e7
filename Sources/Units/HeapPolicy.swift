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
/// The parent keeps glibc's default: fixing it there made its 64 MB encodes bimodal.
public enum HeapPolicy {
    /// glibc's own ceiling for its adaptive threshold (`CopyCostCurve.freshMappingBytes` is the same step).
    public static let mmapThresholdBytes = 32 << 20
    public static let topPadBytes = 64 << 20

    /// Applies the policy to this process; false when glibc refused it.
    @discardableResult
    public static func apply() -> Bool {
        pl_set_heap_policy(mmapThresholdBytes, topPadBytes) == 0
    }
}
