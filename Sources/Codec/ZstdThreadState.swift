#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZstd

/// Per-thread zstd state: a compression context, a decompression context and a scratch buffer.
///
/// libzstd contexts are not thread-safe, and creating one per call costs far more than compressing a small payload, so
/// each thread keeps its own, freed when the thread exits. The scratch buffer holds bytes that live only during
/// one call (the base codec's encoding before compression, the decompressed bytes before decoding); reusing it avoids
/// paying first-touch page faults on every call, which here cost as much as zstd itself. It keeps the largest size
/// a thread has needed until `ZstdCodec.releaseThreadState()` or thread exit.
final class ZstdThreadState {
    private(set) var compression: OpaquePointer?
    private(set) var decompression: OpaquePointer?
    private var scratch: UnsafeMutableRawPointer?
    private var scratchCapacity = 0
    /// True while a call uses the scratch buffer; a nested call (zstd inside zstd) gets its own.
    private var scratchInUse = false

    deinit {
        ZSTD_freeCCtx(compression)
        ZSTD_freeDCtx(decompression)
        scratch?.deallocate()
    }

    func compressionContext() throws -> OpaquePointer {
        if let compression { return compression }
        guard let context = ZSTD_createCCtx() else { throw CodecError.zstd("could not create a compression context") }
        compression = context
        return context
    }

    func decompressionContext() throws -> OpaquePointer {
        if let decompression { return decompression }
        guard let context = ZSTD_createDCtx() else { throw CodecError.zstd("could not create a decompression context") }
        decompression = context
        return context
    }

    /// Runs `body` with a buffer of at least `minimumCapacity` bytes (its contents undefined) that `body` may grow
    /// through the `Scratch` it receives.
    func withScratch<Result>(minimumCapacity: Int, _ body: (inout Scratch) throws -> Result) throws -> Result {
        guard !scratchInUse else {
            var own = Scratch(pointer: nil, capacity: 0)
            defer { own.pointer?.deallocate() }
            try own.reserve(minimumCapacity)
            return try body(&own)
        }
        scratchInUse = true
        var lent = Scratch(pointer: scratch, capacity: scratchCapacity)
        defer {
            scratch = lent.pointer
            scratchCapacity = lent.capacity
            scratchInUse = false
        }
        try lent.reserve(minimumCapacity)
        return try body(&lent)
    }

    /// Frees the scratch buffer (contexts stay; they are small).
    func releaseScratch() {
        guard !scratchInUse else { return }
        scratch?.deallocate()
        scratch = nil
        scratchCapacity = 0
    }

    /// A growable raw buffer.
    struct Scratch {
        var pointer: UnsafeMutableRawPointer?
        var capacity: Int

        /// Makes room for at least `bytes`, keeping the first `keeping` bytes.
        mutating func reserve(_ bytes: Int, keeping: Int = 0) throws {
            guard bytes > capacity || pointer == nil else { return }
            let newCapacity = max(bytes, 4_096)
            let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            if let pointer {
                if keeping > 0 { fresh.copyMemory(from: pointer, byteCount: min(keeping, capacity)) }
                pointer.deallocate()
            }
            pointer = fresh
            capacity = newCapacity
        }
    }

    // MARK: the thread's instance

    /// The pthread key under which each thread keeps its state; the destructor releases it at thread exit.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<ZstdThreadState>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "pthread_key_create failed with \(status)")
        return key
    }()

    /// The calling thread's state, created on first use.
    static var current: ZstdThreadState {
        if let existing = pthread_getspecific(key) {
            return Unmanaged<ZstdThreadState>.fromOpaque(existing).takeUnretainedValue()
        }
        let state = ZstdThreadState()
        pthread_setspecific(key, Unmanaged.passRetained(state).toOpaque())
        return state
    }

    /// The calling thread's state if it has one.
    static var currentIfCreated: ZstdThreadState? {
        pthread_getspecific(key).map { Unmanaged<ZstdThreadState>.fromOpaque($0).takeUnretainedValue() }
    }
}
