import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Report

@Suite("Calibration rendering and storage")
struct CalibrationRenderingTests {
    static let example = SampleCalibration.example

    @Test func rendersTheWholeTable() {
        let expected = """
            quantity                                                 median  range                    n
            memcpy into touched memory                            12.6 GB/s  12.4 GB/s – 12.9 GB/s    3
            memcpy into fresh memory (first touch)                2.30 GB/s  –                        0
            pipe to a child, 64KiB buffer (default), across CPUs  1.05 GB/s  –                        0
            pipe to a child, 1MiB buffer, across CPUs             2.90 GB/s  –                        0
            pipe to a child, 64KiB buffer, same CPU               4.50 GB/s  –                        0
            pipe to a child, 1MiB buffer, same CPU                5.10 GB/s  –                        0
            disk write to page cache (ext4)                       3.60 GB/s  –                        0
            disk write + fsync (ext4)                              900 MB/s  –                        0
            zstd -1 compress (ratio 2.74×)                         300 MB/s  –                        0
            zstd -1 decompress                                    1.41 GB/s  –                        0
            zstd -3 compress (ratio 3.08×)                         208 MB/s  –                        0
            zstd -3 decompress                                    1.22 GB/s  –                        0
            process spawn + wait (/bin/true)                         590 µs  –                        0
            worker spawn + wait (payloadlab pipe-sink)              8.70 ms  –                        0
            thread create + join                                    19.3 µs  18.8 µs – 92.2 µs        3

            Medians after warm-up, measured 2025-01-31T12:00:00Z; 256 MB per bandwidth repetition (zstd on 64.0 MB \
            of text); scratch ext4 with 85.0 GB free; pipe across CPUs: writer on CPU 0, reader on CPU 1.

            """
        #expect(Self.example.renderedText() == expected)
    }

    @Test func warnsAboutPhasesOtherProcessesDisturbed() {
        var calibration = Self.example
        calibration.otherProcessesCPUs = ["memcpy": 0.01, "pipe": 0.93, "disk": 0.02, "zstd": 0.2, "start": 0.41]
        #expect(calibration.disturbedPhases == ["pipe", "start"])
        let lastLine = calibration.renderedText().split(separator: "\n").last.map(String.init)
        #expect(lastLine == "Warning: other processes were busy during pipe (0.93 CPUs), start (0.41 CPUs); those figures "
            + "are likely below this machine's limits, so run calibrate again on a quiet machine.")
    }

    @Test func jsonKeysAreStableAndRoundTrip() throws {
        let json = try Self.example.renderedJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == [
            "measuredAt", "sizeBytes",
            "memcpyTouchedBytesPerSecond", "memcpyFreshBytesPerSecond",
            "pipeDefaultBytesPerSecond", "pipeDefaultBufferBytes", "pipeEnlargedBytesPerSecond", "pipeEnlargedBufferBytes",
            "pipeDefaultSameCoreBytesPerSecond", "pipeEnlargedSameCoreBytesPerSecond", "pipePlacement",
            "diskWriteBytesPerSecond", "diskWriteSyncBytesPerSecond", "scratchFilesystem", "scratchAvailableBytes",
            "zstdInputBytes", "zstdLevel1CompressedBytes", "zstdLevel3CompressedBytes",
            "zstdLevel1CompressBytesPerSecond", "zstdLevel1DecompressBytesPerSecond",
            "zstdLevel3CompressBytesPerSecond", "zstdLevel3DecompressBytesPerSecond",
            "processSpawnSeconds", "workerSpawnSeconds", "threadStartSeconds",
            "otherProcessesCPUs", "samples",
        ])
        #expect(json.contains("\"memcpyFreshBytesPerSecond\" : 2300000000"))
        // Sorted keys: the file diffs cleanly between runs.
        let topLevelKeys = json.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(topLevelKeys == topLevelKeys.sorted())
        #expect(try JSONDecoder().decode(Calibration.self, from: Data(json.utf8)) == Self.example)
    }

    /// The copy curve is an added key: a calibration written before it existed still loads (with no curve), and one
    /// with it round-trips and prints the curve under the table.
    @Test func copyCurveIsAnOptionalKey() throws {
        let old = try Self.example.renderedJSON()
        #expect(!old.contains("copyCurve"))
        #expect(try JSONDecoder().decode(Calibration.self, from: Data(old.utf8)).copyCurve == nil)

        var calibration = Self.example
        calibration.copyCurve = CopyCostCurve(threads: 2, points: [
            .init(bytes: 65_536, secondsPerByte: 0.02e-9), .init(bytes: 64 << 20, secondsPerByte: 0.5e-9),
        ])
        let json = try calibration.renderedJSON()
        #expect(json.contains("\"copyCurve\""))
        #expect(try JSONDecoder().decode(Calibration.self, from: Data(json.utf8)) == calibration)
        #expect(calibration.renderedText().contains(
            "Allocate + copy + free, ns per byte by size (2 threads at once): 64KiB 0.020, 64MiB 0.500."))
    }
}
