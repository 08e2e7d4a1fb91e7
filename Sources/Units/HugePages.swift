import CPlatform
import Synchronization

/// Transparent huge pages for payload-sized buffers (`--huge-pages`): off unless a run asks for them.
///
/// Memory new to a process costs a page fault per 4 KiB page when it is first written (about 2 µs a page here,
/// `SWIFT-ON-LINUX.md`), and a payload's encoding, its receive buffer and its decoded object are such memory every
/// task at 32 MB and above. With transparent huge pages one fault maps 2 MiB; the kernel gives them to memory
/// advised with `madvise(MADV_HUGEPAGE)` when its mode is `madvise`, and to all memory when it is `always`.
///
/// Two kinds of buffer take the advice:
/// - buffers payloadlab owns (a worker's receive buffer): `allocate` places them on a 2 MiB boundary, advised;
/// - arrays the standard library allocates (encodings, decoded payloads): `adviseFresh` advises the whole 2 MiB
///   pages inside them before anything is written, from inside `Array(unsafeUninitializedCapacity:)`; at most the
///   partial 2 MiB at either end stays in 4 KiB pages.
///
/// A process-wide switch, like `HeapPolicy`, because it is a property of how the process allocates: a sweep turns it
/// on around its Swift points, a worker from its configuration, `bench codecs` from its flag. It lives in Units
/// because the codecs, which allocate most of these buffers, cannot see Platform. A failed `madvise` is counted,
/// never thrown: the run goes on in small pages and says so.
public enum HugePages {
    /// The x86-64 and arm64 (4 KiB granule) PMD size the kernel maps a transparent huge page with.
    public static let pageBytes = 2 << 20
    /// Buffers smaller than this are left alone: they hold no whole huge page.
    public static let minimumBytes = 2 << 20

    private static let enabled = Atomic<Bool>(false)
    private static let failures = Atomic<Int>(0)
    private static let lastFailure = Atomic<Int32>(0)

    /// Whether payload-sized buffers are advised (and owned ones aligned) in this process.
    public static var isEnabled: Bool { enabled.load(ordering: .relaxed) }

    /// Turns the advice on or off for buffers allocated from now on; returns the previous setting.
    @discardableResult
    public static func setEnabled(_ on: Bool) -> Bool {
        enabled.exchange(on, ordering: .relaxed)
    }

    /// How many `madvise` calls failed in this process, and the errno of the last one (0 for none).
    public static var adviceFailures: (count: Int, lastErrno: Int32) {
        (failures.load(ordering: .relaxed), lastFailure.load(ordering: .relaxed))
    }

    /// Advises the whole 2 MiB pages inside `count` bytes at `start` when the switch is on and the buffer is at
    /// least `minimumBytes`; does nothing otherwise. Call it before the memory is first written: the kernel decides
    /// a page's size when it faults it in.
    @inline(__always)
    public static func adviseFresh(_ start: UnsafeMutableRawPointer?, count: Int) {
        guard count >= minimumBytes, let start, isEnabled else { return }
        advise(start, count: count)
    }

    /// `madvise(MADV_HUGEPAGE)` on the whole 2 MiB pages inside `count` bytes at `start`, whatever the switch says.
    /// Returns 0, or the errno of a failure (also counted in `adviceFailures`). A range holding no whole huge page
    /// is left alone and returns 0.
    ///
    /// The corresponding C function is `madvise`.
    @discardableResult
    public static func advise(_ start: UnsafeMutableRawPointer, count: Int) -> Int32 {
        guard let range = wholePages(start: UInt(bitPattern: start), count: count) else { return 0 }
        let code = pl_madvise_hugepage(UnsafeMutableRawPointer(bitPattern: range.start), range.count)
        if code != 0 {
            failures.add(1, ordering: .relaxed)
            lastFailure.store(code, ordering: .relaxed)
        }
        return code
    }

    /// The 2 MiB-aligned part of [start, start + count): its address and length, nil when it holds no whole page.
    static func wholePages(start: UInt, count: Int) -> (start: UInt, count: Int)? {
        guard count > 0 else { return nil }
        let mask = UInt(pageBytes - 1)
        let (end, overflow) = start.addingReportingOverflow(UInt(count))
        guard !overflow, start <= UInt.max - mask else { return nil }
        let first = (start + mask) & ~mask
        let last = end & ~mask
        guard last > first else { return nil }
        return (first, Int(last - first))
    }

    /// A buffer of `byteCount` bytes for payloadlab's own use (a worker's receive buffer). With the switch on and
    /// at least `minimumBytes`, it starts on a 2 MiB boundary and is advised before anything touches it; otherwise
    /// it is 16-byte aligned, as `UnsafeMutableRawBufferPointer.allocate` would give. Release it with `deallocate`.
    ///
    /// The corresponding C function is `posix_memalign`.
    public static func allocate(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        let huge = isEnabled && byteCount >= minimumBytes
        guard let base = pl_aligned_alloc(huge ? pageBytes : 16, max(0, byteCount)) else {
            fatalError("payloadlab: out of memory allocating \(byteCount) bytes")
        }
        if huge { advise(base, count: byteCount) }
        return UnsafeMutableRawBufferPointer(start: base, count: max(0, byteCount))
    }

    /// Releases a buffer from `allocate`.
    public static func deallocate(_ buffer: UnsafeMutableRawBufferPointer) {
        pl_free(buffer.baseAddress)
    }
}
