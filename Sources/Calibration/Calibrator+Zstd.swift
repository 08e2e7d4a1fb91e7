import CPlatform
import CZstd
import Glibc
import Payload
import Units

extension Calibrator {
    struct ZstdLevelFigures {
        var compress: Double
        var decompress: Double
        var compressedBytes: Int
    }

    struct ZstdFigures {
        var inputBytes: Int
        var level1: ZstdLevelFigures
        var level3: ZstdLevelFigures
    }

    /// One-shot zstd at levels 1 and 3 with reused contexts (`ZSTD_compressCCtx`, `ZSTD_decompressDCtx`) on
    /// generated word lines, in uncompressed bytes per second. Each round trip is checked byte for byte.
    func measureZstd(_ samples: inout SampleRecorder) throws(CalibrationError) -> ZstdFigures {
        let input = Payload.wordText(byteCount: min(sizeBytes, plan.zstdMaximumInputBytes), seed: 0x5EED)
        guard let compressionContext = ZSTD_createCCtx() else { throw .outOfMemory(bytes: 0) }
        defer { ZSTD_freeCCtx(compressionContext) }
        guard let decompressionContext = ZSTD_createDCtx() else { throw .outOfMemory(bytes: 0) }
        defer { ZSTD_freeDCtx(decompressionContext) }

        let capacity = ZSTD_compressBound(input.count)
        guard let compressed = malloc(capacity) else { throw .outOfMemory(bytes: capacity) }
        defer { free(compressed) }
        guard let restored = malloc(input.count) else { throw .outOfMemory(bytes: input.count) }
        defer { free(restored) }

        func figures(level: Int32) throws(CalibrationError) -> ZstdLevelFigures {
            var compressedBytes = 0
            let compress = try samples.measure("zstdLevel\(level)CompressBytesPerSecond", plan.zstd) { () throws(CalibrationError) -> Double in
                let start = pl_monotonic_ns()
                let result = input.withUnsafeBytes { source in
                    ZSTD_compressCCtx(compressionContext, compressed, capacity, source.baseAddress, source.count, level)
                }
                let end = pl_monotonic_ns()
                if ZSTD_isError(result) != 0 {
                    throw .zstdFailed(level: level, message: String(cString: ZSTD_getErrorName(result)))
                }
                compressedBytes = result
                return Double(input.count) / MonotonicClock.seconds(from: start, to: end)
            }
            let decompress = try samples.measure("zstdLevel\(level)DecompressBytesPerSecond", plan.zstd) { () throws(CalibrationError) -> Double in
                let start = pl_monotonic_ns()
                let result = ZSTD_decompressDCtx(decompressionContext, restored, input.count, compressed, compressedBytes)
                let end = pl_monotonic_ns()
                if ZSTD_isError(result) != 0 {
                    throw .zstdFailed(level: level, message: String(cString: ZSTD_getErrorName(result)))
                }
                guard result == input.count else { throw .verificationFailed(what: "zstd level \(level) round trip") }
                return Double(input.count) / MonotonicClock.seconds(from: start, to: end)
            }
            let same = input.withUnsafeBytes { memcmp($0.baseAddress!, restored, $0.count) == 0 }
            guard same else { throw .verificationFailed(what: "zstd level \(level) round trip") }
            return ZstdLevelFigures(compress: compress, decompress: decompress, compressedBytes: compressedBytes)
        }

        let level1 = try figures(level: 1)
        let level3 = try figures(level: 3)
        return ZstdFigures(inputBytes: input.count, level1: level1, level3: level3)
    }
}
