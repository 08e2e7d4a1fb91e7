import CPlatform
#if canImport(Glibc)
import Glibc
#endif
import Units

/// A shared-memory segment between the parent and one worker: an anonymous `memfd_create` file, mapped by both.
///
/// The parent creates it before spawning the worker and hands it over as an inherited descriptor, so it never
/// has a name in /dev/shm and cannot leak: the kernel frees it when both processes have closed it or died.
/// It grows (never shrinks) and is reused across tasks, so after the first task both sides touch mapped pages.
/// With `HugePages` on, each mapping is advised to use huge pages; for shared memory the kernel follows the advice
/// only when `/sys/kernel/mm/transparent_hugepage/shmem_enabled` allows it (`advise`, `always`, `within_size`).
public final class SharedSegment: @unchecked Sendable {
    public let descriptor: Int32
    public private(set) var base: UnsafeMutableRawPointer?
    public private(set) var mappedBytes = 0

    /// Creates a new, empty segment (parent side).
    public init(name: String) throws(TransportError) {
        let fd = pl_memfd_create(name)
        guard fd >= 0 else { throw .system(call: "memfd_create", errno: -fd) }
        descriptor = fd
    }

    /// Adopts an inherited segment descriptor (worker side).
    public init(adopting descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        unmap()
        close(descriptor)
    }

    /// Grows the segment to hold at least `bytes` and maps it (parent side). Rounds up to 2 MiB so that a
    /// series of similar sizes does not remap every time.
    public func reserve(_ bytes: Int) throws(TransportError) -> UnsafeMutableRawBufferPointer {
        if bytes > mappedBytes {
            let rounded = (max(bytes, 1) + (2 << 20) - 1) / (2 << 20) * (2 << 20)
            guard ftruncate(descriptor, off_t(rounded)) == 0 else { throw .system(call: "ftruncate", errno: errno) }
            try map(rounded)
        }
        return UnsafeMutableRawBufferPointer(start: base, count: bytes)
    }

    /// The first `bytes` of the segment as the other side wrote them (worker side); remaps if the segment grew.
    public func view(_ bytes: Int) throws(TransportError) -> UnsafeRawBufferPointer {
        if bytes > mappedBytes {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw .system(call: "fstat", errno: errno) }
            guard Int(info.st_size) >= bytes else {
                throw .malformedMetadata("task of \(bytes) bytes in a shared segment of \(info.st_size)")
            }
            try map(Int(info.st_size))
        }
        return UnsafeRawBufferPointer(start: base, count: bytes)
    }

    private func map(_ bytes: Int) throws(TransportError) {
        unmap()
        let pointer = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let pointer, pointer != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .system(call: "mmap", errno: errno)
        }
        base = pointer
        mappedBytes = bytes
        HugePages.adviseFresh(pointer, count: bytes)
    }

    private func unmap() {
        if let base, mappedBytes > 0 { munmap(base, mappedBytes) }
        base = nil
        mappedBytes = 0
    }
}
