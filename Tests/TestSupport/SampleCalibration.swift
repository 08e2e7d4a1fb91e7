import Results

/// A calibration with round, known figures, for tests of what reads one.
public enum SampleCalibration {
    public static let example = Calibration(
        measuredAt: "2025-01-31T12:00:00Z",
        sizeBytes: 256_000_000,
        memcpyTouchedBytesPerSecond: 12.6e9,
        memcpyFreshBytesPerSecond: 2.3e9,
        pipeDefaultBytesPerSecond: 1.05e9,
        pipeDefaultBufferBytes: 65_536,
        pipeEnlargedBytesPerSecond: 2.9e9,
        pipeEnlargedBufferBytes: 1_048_576,
        pipeDefaultSameCoreBytesPerSecond: 4.5e9,
        pipeEnlargedSameCoreBytesPerSecond: 5.1e9,
        pipePlacement: "writer on CPU 0, reader on CPU 1",
        diskWriteBytesPerSecond: 3.6e9,
        diskWriteSyncBytesPerSecond: 0.9e9,
        scratchFilesystem: "ext4",
        scratchAvailableBytes: 85_000_000_000,
        zstdInputBytes: 64_000_000,
        zstdLevel1CompressedBytes: 23_400_000,
        zstdLevel3CompressedBytes: 20_800_000,
        zstdLevel1CompressBytesPerSecond: 0.3e9,
        zstdLevel1DecompressBytesPerSecond: 1.41e9,
        zstdLevel3CompressBytesPerSecond: 0.208e9,
        zstdLevel3DecompressBytesPerSecond: 1.22e9,
        processSpawnSeconds: 0.000_59,
        workerSpawnSeconds: 0.0087,
        threadStartSeconds: 0.000_019_3,
        samples: [
            "memcpyTouchedBytesPerSecond": [12.4e9, 12.6e9, 12.9e9],
            "threadStartSeconds": [0.000_018_8, 0.000_019_3, 0.000_092_2],
        ]
    )
}
