import CZstd
import Payload
import Units

/// Any codec followed by zstd compression, through libzstd's one-shot API.
///
/// Decompression does not trust the size a frame declares: it allocates that size up front only when it is at most
/// `trustedRatio` times the compressed size (and at most `maximumDecompressedBytes`); otherwise it decompresses in
/// a stream into a buffer that grows as data actually arrives and stops at `maximumDecompressedBytes`. Input must
/// be exactly one frame.
public struct ZstdCodec: Codec {
    /// The codec whose bytes are compressed.
    public let base: any Codec
    /// The zstd compression level (0 is libzstd's default, 3).
    public let level: Int

    /// The level `X+zstd` means.
    public static let defaultLevel = 3
    /// The largest decompressed size accepted: 4 GiB.
    public static let maximumDecompressedBytes = 1 << 32
    /// A declared size up to this multiple of the compressed size is allocated at once; beyond, it must be earned.
    public static let trustedRatio = 255
    /// libzstd's levels: `ZSTD_minCLevel()...ZSTD_maxCLevel()`.
    public static var levelRange: ClosedRange<Int> { Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel()) }
    /// The zstd frame magic 0xFD2FB528 as it appears in a file (little-endian).
    public static let frameMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    static let contentSizeUnknown = UInt64.max
    static let contentSizeError = UInt64.max - 1

    /// Wraps `base` with zstd at `level`; throws `CodecError.invalidZstdLevel` outside libzstd's range.
    public init(base: any Codec, level: Int = ZstdCodec.defaultLevel) throws(CodecError) {
        guard ZstdCodec.levelRange.contains(level) else { throw .invalidZstdLevel(level) }
        self.base = base
        self.level = level
    }

    public var name: String { "\(base.name)+zstd:\(level)" }

    /// Frees the calling thread's scratch buffer, which keeps the largest payload this thread has compressed or
    /// decompressed (call it before measuring a thread's memory, or when a thread is done with large payloads).
    public static func releaseThreadState() {
        ZstdThreadState.currentIfCreated?.releaseScratch()
    }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        let state = ZstdThreadState.current
        let context = try state.compressionContext()
        if let binary = base as? BinaryCodec {
            // The binary encoding lives only until it is compressed: write it into the thread's warm scratch buffer.
            let layout = try binary.measure(payload)
            return try state.withScratch(minimumCapacity: layout.bytes) { scratch in
                let encoded = UnsafeMutableRawBufferPointer(start: scratch.pointer, count: layout.bytes)
                try binary.encode(payload, layout: layout, into: encoded)
                return try compress(UnsafeRawBufferPointer(encoded), context: context)
            }
        }
        let encoded = try base.encode(payload)
        return try encoded.withUnsafeBytes { try compress($0, context: context) }
    }

    func compress(_ source: UnsafeRawBufferPointer, context: OpaquePointer) throws -> [UInt8] {
        let bound = ZSTD_compressBound(source.count)
        guard ZSTD_isError(bound) == 0 else {
            throw CodecError.sizeLimitExceeded(what: "input to zstd", bytes: source.count, limit: Int(UInt32.max))
        }
        // The array keeps the bound as capacity; the pages past the compressed size are never touched.
        return try [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            HugePages.adviseFresh(buffer.baseAddress, count: bound)
            let written = ZSTD_compressCCtx(context, buffer.baseAddress, bound, source.baseAddress, source.count,
                                            Int32(level))
            guard ZSTD_isError(written) == 0 else { throw CodecError.zstd(ZstdCodec.errorName(written)) }
            initialized = written
        }
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload {
        guard let source = bytes.baseAddress, bytes.count >= ZstdCodec.frameMagic.count else {
            throw CodecError.truncated(expected: ZstdCodec.frameMagic.count, got: bytes.count)
        }
        guard ZstdCodec.hasFrameMagic(bytes) else {
            throw CodecError.corrupt("the input does not start with the zstd frame magic")
        }
        let frameBytes = ZSTD_findFrameCompressedSize(source, bytes.count)
        guard ZSTD_isError(frameBytes) == 0 else {
            if ZSTD_getErrorCode(frameBytes) == ZSTD_error_srcSize_wrong {
                throw CodecError.zstd("the frame is cut short (\(ZstdCodec.errorName(frameBytes)))")
            }
            throw CodecError.zstd(ZstdCodec.errorName(frameBytes))
        }
        guard frameBytes == bytes.count else {
            throw CodecError.corrupt("\(bytes.count - frameBytes) bytes follow the zstd frame")
        }
        let declared = ZSTD_getFrameContentSize(source, bytes.count)
        guard declared != ZstdCodec.contentSizeError else { throw CodecError.zstd("the frame header is invalid") }
        let state = ZstdThreadState.current
        let context = try state.decompressionContext()
        if declared != ZstdCodec.contentSizeUnknown, let size = Int(exactly: declared),
           size <= ZstdCodec.trustedBytes(compressed: bytes.count) {
            return try state.withScratch(minimumCapacity: size) { scratch in
                let written = ZSTD_decompressDCtx(context, scratch.pointer, size, source, bytes.count)
                guard ZSTD_isError(written) == 0 else { throw CodecError.zstd(ZstdCodec.errorName(written)) }
                guard written == size else {
                    throw CodecError.corrupt("the zstd frame declares \(size) bytes but holds \(written)")
                }
                return try base.decode(UnsafeRawBufferPointer(start: scratch.pointer, count: written))
            }
        }
        return try state.withScratch(minimumCapacity: min(ZstdCodec.maximumDecompressedBytes,
                                                          max(1 << 16, bytes.count * 4))) { scratch in
            let produced = try ZstdCodec.decompressStream(bytes, context: context, into: &scratch,
                                                          limit: ZstdCodec.maximumDecompressedBytes)
            return try base.decode(UnsafeRawBufferPointer(start: scratch.pointer, count: produced))
        }
    }

    /// The most bytes a declared size may claim for an upfront allocation.
    static func trustedBytes(compressed: Int) -> Int {
        let (scaled, overflow) = compressed.multipliedReportingOverflow(by: trustedRatio)
        return overflow ? maximumDecompressedBytes : min(maximumDecompressedBytes, scaled + (1 << 16))
    }

    /// Decompresses one frame into `scratch`, doubling it as output arrives, up to `limit` bytes.
    /// Returns the bytes produced; stops early, without error, once `stopAfter` bytes are out.
    static func decompressStream(_ bytes: UnsafeRawBufferPointer, context: OpaquePointer,
                                 into scratch: inout ZstdThreadState.Scratch, limit: Int) throws -> Int {
        var produced = 0
        try decompressStream(bytes, context: context, into: &scratch, limit: limit, stopAfter: .max,
                             produced: &produced)
        return produced
    }

    /// The stream loop; `produced` counts the bytes in `scratch` even when it throws.
    static func decompressStream(_ bytes: UnsafeRawBufferPointer, context: OpaquePointer,
                                 into scratch: inout ZstdThreadState.Scratch, limit: Int, stopAfter: Int,
                                 produced: inout Int) throws {
        ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            if produced == scratch.capacity {
                guard scratch.capacity < limit else {
                    throw CodecError.sizeLimitExceeded(what: "decompressed data", bytes: produced, limit: limit)
                }
                try scratch.reserve(min(limit, scratch.capacity * 2), keeping: produced)
            }
            var output = ZSTD_outBuffer(dst: scratch.pointer, size: scratch.capacity, pos: produced)
            let hint = ZSTD_decompressStream(context, &output, &input)
            produced = output.pos
            guard ZSTD_isError(hint) == 0 else { throw CodecError.zstd(errorName(hint)) }
            if hint == 0 || produced >= stopAfter { return }
            if input.pos == input.size && output.pos < output.size {
                throw CodecError.zstd("the frame ends early (truncated input)")
            }
        }
    }

    static func hasFrameMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= frameMagic.count && frameMagic.indices.allSatisfy { bytes[$0] == frameMagic[$0] }
    }

    /// Up to `maximumBytes` of the start of a frame's decompressed content (whatever decompresses before an error),
    /// or nil if it is not zstd or nothing decompresses.
    static func decompressedPrefix(_ bytes: UnsafeRawBufferPointer, maximumBytes: Int) -> [UInt8]? {
        guard hasFrameMagic(bytes), let context = try? ZstdThreadState.current.decompressionContext() else {
            return nil
        }
        var scratch = ZstdThreadState.Scratch(pointer: nil, capacity: 0)
        defer { scratch.pointer?.deallocate() }
        var produced = 0
        guard (try? scratch.reserve(maximumBytes)) != nil else { return nil }
        _ = try? decompressStream(bytes, context: context, into: &scratch, limit: maximumBytes,
                                  stopAfter: maximumBytes, produced: &produced)
        guard produced > 0, let pointer = scratch.pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: produced))
    }

    static func errorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }
}
