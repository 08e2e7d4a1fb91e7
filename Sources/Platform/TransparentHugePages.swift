#if canImport(Glibc)
import Glibc
#endif
import Units

/// The kernel's transparent huge pages, as `--huge-pages` needs to know them: the modes under
/// `/sys/kernel/mm/transparent_hugepage`, and whether advised memory really gets huge pages here.
public enum TransparentHugePages {
    public static let directory = "/sys/kernel/mm/transparent_hugepage"

    /// The selected mode of private memory (`enabled`: always, madvise or never); nil on a kernel without them.
    public static func mode() -> String? {
        DescriptorIO.readTextFile(directory + "/enabled").flatMap(selectedMode)
    }

    /// The selected mode of shared memory (`shmem_enabled`: always, within_size, advise, never, deny, force), which
    /// decides whether the `shm` transport's segments can take huge pages; nil when the file is missing.
    public static func sharedMemoryMode() -> String? {
        DescriptorIO.readTextFile(directory + "/shmem_enabled").flatMap(selectedMode)
    }

    /// The bracketed word of a sysfs mode line: `always [madvise] never` → `madvise`; nil without one.
    public static func selectedMode(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        let word = text[text.index(after: open)..<close]
        return word.isEmpty ? nil : String(word)
    }

    /// Whether `madvise(MADV_HUGEPAGE)` is accepted here, asked of a fresh 4 MiB mapping that is never touched
    /// (microseconds; what a worker checks before it answers `ready`). Returns 0 or the errno of the refusal.
    public static func checkAdvice() -> Int32 {
        let bytes = 2 * HugePages.pageBytes
        guard let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != UnsafeMutableRawPointer(bitPattern: -1) else { return errno }
        defer { munmap(region, bytes) }
        // Advise the whole mapping (page-aligned, not 2 MiB-aligned): the call is what is checked, not the pages.
        let code = HugePages.advise(region, count: bytes)
        return code
    }

    /// What `probe` found.
    public struct Probe: Sendable, Equatable {
        /// 0, or the errno `madvise(MADV_HUGEPAGE)` failed with.
        public var adviceErrno: Int32
        /// The bytes advised and written.
        public var probedBytes: Int
        /// How much the process's `AnonHugePages` grew while the probe was written; nil when unreadable.
        public var hugePageBytes: Int?
    }

    /// Advises 4 MiB of fresh memory on a 2 MiB boundary, writes every page of it, and reads how much of it the
    /// kernel mapped in huge pages (the growth of `AnonHugePages` in `/proc/self/smaps_rollup`). A few milliseconds;
    /// run it while nothing else in the process allocates (before a sweep's first point).
    public static func probe() -> Probe {
        let probed = 2 * HugePages.pageBytes
        let mapped = probed + HugePages.pageBytes
        guard let region = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != UnsafeMutableRawPointer(bitPattern: -1) else { return Probe(adviceErrno: errno, probedBytes: probed, hugePageBytes: nil) }
        defer { munmap(region, mapped) }
        let mask = UInt(HugePages.pageBytes - 1)
        let aligned = UnsafeMutableRawPointer(bitPattern: (UInt(bitPattern: region) + mask) & ~mask)!
        let before = anonHugePageBytes()
        let code = HugePages.advise(aligned, count: probed)
        for offset in stride(from: 0, to: probed, by: 4096) {
            aligned.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self)
        }
        let after = anonHugePageBytes()
        var grown: Int?
        if let before, let after { grown = max(0, after - before) }
        return Probe(adviceErrno: code, probedBytes: probed, hugePageBytes: grown)
    }

    /// This process's `AnonHugePages` in bytes, nil when `/proc/self/smaps_rollup` cannot be read.
    public static func anonHugePageBytes() -> Int? {
        guard let text = DescriptorIO.readTextFile("/proc/self/smaps_rollup") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("AnonHugePages:") {
            let digits = line.dropFirst("AnonHugePages:".count).filter(\.isNumber)
            return Int(String(digits)).map { $0 * 1024 }
        }
        return nil
    }
}
