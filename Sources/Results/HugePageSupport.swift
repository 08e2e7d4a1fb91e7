/// Transparent huge pages on the machine a sweep ran on (`Environment.hugePages`), so a report can say whether
/// `--huge-pages` could take effect — and, without it, whether the kernel used them anyway (mode `always`).
public struct HugePageSupport: Codable, Sendable, Equatable {
    /// `/sys/kernel/mm/transparent_hugepage/enabled`: `always`, `madvise` or `never`; nil on a kernel without them.
    public var mode: String?
    /// `shmem_enabled`: whether the `shm` transport's segments can take them (`always`, `within_size`, `advise`,
    /// `force`) or not (`never`, `deny`); nil when the file is missing.
    public var sharedMemoryMode: String?
    /// With `--huge-pages`: why the probe's `madvise(MADV_HUGEPAGE)` failed; nil when it was accepted or not tried.
    public var adviceError: String?
    /// With `--huge-pages`: the bytes the probe advised and wrote (4 MiB on a 2 MiB boundary); nil when not probed.
    public var probeBytes: Int?
    /// Of those, the bytes the kernel mapped in huge pages (the growth of `AnonHugePages`); nil when not probed or
    /// unreadable.
    public var probeHugePageBytes: Int?

    public init(
        mode: String?, sharedMemoryMode: String?, adviceError: String? = nil, probeBytes: Int? = nil,
        probeHugePageBytes: Int? = nil
    ) {
        self.mode = mode
        self.sharedMemoryMode = sharedMemoryMode
        self.adviceError = adviceError
        self.probeBytes = probeBytes
        self.probeHugePageBytes = probeHugePageBytes
    }

    /// Whether the kernel follows the advice for private memory (encodings, receive buffers, decoded objects).
    public var adviceCanTakeEffect: Bool { mode == "madvise" || mode == "always" }

    /// Whether private memory gets huge pages without any advice.
    public var alwaysOn: Bool { mode == "always" }

    /// Whether the kernel follows the advice for the `shm` transport's shared segments.
    public var sharedMemoryCanTakeEffect: Bool {
        ["always", "within_size", "advise", "force"].contains(sharedMemoryMode ?? "")
    }

    /// Whether a probe found its advised memory in huge pages; nil when there was no readable probe.
    public var probeTookEffect: Bool? {
        guard adviceError == nil, let probeHugePageBytes else { return adviceError == nil ? nil : false }
        return probeHugePageBytes > 0
    }
}
