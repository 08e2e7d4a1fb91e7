import CPlatform
import Glibc
import Units

extension Calibrator {
    /// memcpy of `sizeBytes` into memory already written once, and into memory mapped fresh for each repetition.
    ///
    /// The fresh destination comes from `mmap` directly rather than `malloc`: glibc raises its mmap threshold
    /// after a large block is freed (up to 32 MiB), so below that a freed-and-reallocated block is recycled
    /// heap memory whose pages are already touched. An anonymous mapping is always new, zero-on-demand pages.
    func measureMemcpy(_ samples: inout SampleRecorder) throws(CalibrationError) -> (touched: Double, fresh: Double) {
        let size = sizeBytes
        guard let source = malloc(size) else { throw .outOfMemory(bytes: size) }
        defer { free(source) }
        fillPattern(source, size)

        guard let destination = malloc(size) else { throw .outOfMemory(bytes: size) }
        defer { free(destination) }
        // The optimizer knows malloc'd memory that never escapes: it would drop this memset (the copies overwrite
        // it) and all but the last copy (each overwrites the one before). Letting the pointer escape keeps both.
        Self.escape(destination)
        memset(destination, 0xA5, size)

        let touched = try samples.measure("memcpyTouchedBytesPerSecond", plan.memcpyTouched) { () throws(CalibrationError) -> Double in
            let start = pl_monotonic_ns()
            memcpy(destination, source, size)
            let end = pl_monotonic_ns()
            return Double(size) / MonotonicClock.seconds(from: start, to: end)
        }
        // Reading the copy makes it observable (no dead-store elimination) and checks it.
        guard memcmp(destination, source, size) == 0 else { throw .verificationFailed(what: "memcpy into touched memory") }

        let fresh = try samples.measure("memcpyFreshBytesPerSecond", plan.memcpyFresh) { () throws(CalibrationError) -> Double in
            let start = pl_monotonic_ns()
            let mapping = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mapping, mapping != UnsafeMutableRawPointer(bitPattern: -1) else {
                throw .systemCallFailed(call: "mmap", errno: errno)
            }
            defer { munmap(mapping, size) }
            memcpy(mapping, source, size)
            let end = pl_monotonic_ns()
            guard memcmp(mapping, source, size) == 0 else { throw .verificationFailed(what: "memcpy into fresh memory") }
            return Double(size) / MonotonicClock.seconds(from: start, to: end)
        }
        return (touched, fresh)
    }

    /// Makes `pointer` escape to code the optimizer cannot see, so stores through it are never treated as dead.
    @inline(never) @_optimize(none)
    static func escape(_ pointer: UnsafeMutableRawPointer) {}

    /// Fills `count` bytes with a non-constant pattern (so no page can be shared as a zero page): one 4 KiB
    /// pattern page, then copies of what is already filled, doubling each time.
    func fillPattern(_ buffer: UnsafeMutableRawPointer, _ count: Int) {
        let bytes = buffer.bindMemory(to: UInt8.self, capacity: count)
        var state: UInt8 = 0x5A
        for index in 0..<min(count, 4096) {
            state = state &* 31 &+ 7
            bytes[index] = state
        }
        var filled = min(count, 4096)
        while filled < count {
            let step = min(filled, count - filled)
            memcpy(buffer + filled, buffer, step)
            filled += step
        }
    }
}
