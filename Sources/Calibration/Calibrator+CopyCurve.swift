import CPlatform
import Glibc
import Results
import Units

extension Calibrator {
    /// The largest size the copy curve measures by default: past glibc's largest mmap threshold (32 MiB), so the
    /// step to page-faulting allocations is on the curve even when the sweep's payloads stay below it.
    static let copyCurveMinimumLargestBytes = 64 << 20
    /// And at most this (each of `threads` threads holds two buffers of this size).
    static let copyCurveMaximumLargestBytes = 256 << 20

    /// Measures `CopyCostCurve` on `copyThreads` threads, sizes from 64 KiB to
    /// clamp(`sizeBytes`, 64 MiB, 256 MiB).
    ///
    /// At each size every thread fills its own source buffer, then repeatedly allocate a
    /// destination with `malloc`, copy the source into it and free it. `malloc` rather than `mmap` on purpose: the
    /// curve should show what a Swift array of that size costs, recycled heap memory below the mmap threshold and
    /// a new mapping above it. The first repetitions are discarded (they also settle glibc's dynamic threshold).
    func measureCopyCurve() throws(CalibrationError) -> CopyCostCurve {
        let largest = min(max(sizeBytes, Self.copyCurveMinimumLargestBytes), Self.copyCurveMaximumLargestBytes)
        var points: [CopyCostCurve.Point] = []
        for size in CopyCostCurve.sizes(upTo: largest) {
            let repetitions = size <= 4 << 20 ? 30 : size <= 32 << 20 ? 12 : 6
            let runs = try CopyRun.run(threads: copyThreads, bytes: size, warmUp: 2, measured: repetitions)
            points.append(CopyCostCurve.Point(bytes: size, secondsPerByte: SampleRecorder.median(runs) / Double(size)))
        }
        return CopyCostCurve(threads: copyThreads, points: points)
    }
}

/// One size of the copy curve: `threads` threads, each timing allocate + copy + free of `bytes`.
private final class CopyRun: @unchecked Sendable {
    let bytes: Int
    let warmUp: Int
    let measured: Int
    /// Written only by its own thread, read after that thread is joined.
    var seconds: [Double] = []
    var failed = false

    init(bytes: Int, warmUp: Int, measured: Int) {
        self.bytes = bytes
        self.warmUp = warmUp
        self.measured = measured
    }

    /// Every measured repetition of every thread, in seconds.
    static func run(threads: Int, bytes: Int, warmUp: Int, measured: Int) throws(CalibrationError) -> [Double] {
        let runs = (0..<max(1, threads)).map { _ in CopyRun(bytes: bytes, warmUp: warmUp, measured: measured) }
        // The threads hold unretained references: `runs` must outlive every join, on every path.
        defer { withExtendedLifetime(runs) {} }
        var handles: [pthread_t] = []
        defer { handles.forEach { pthread_join($0, nil) } }
        for run in runs {
            var handle = pthread_t()
            let rc = pthread_create(&handle, nil, { raw in
                Unmanaged<CopyRun>.fromOpaque(raw!).takeUnretainedValue().copy()
                return nil
            }, Unmanaged.passUnretained(run).toOpaque())
            if rc != 0 { throw .threadStartFailed(errno: rc) }
            handles.append(handle)
        }
        handles.forEach { pthread_join($0, nil) }
        handles.removeAll()
        if runs.contains(where: \.failed) { throw .outOfMemory(bytes: bytes) }
        return runs.flatMap(\.seconds)
    }

    /// Threads start about 20 µs apart and each first fills its source, so their repetitions overlap; the warm-up
    /// repetitions cover the stagger.
    func copy() {
        guard let source = malloc(bytes) else { failed = true; return }
        defer { free(source) }
        memset(source, 0x5A, bytes)
        var times: [Double] = []
        times.reserveCapacity(measured)
        for repetition in 0..<(warmUp + measured) {
            let start = pl_monotonic_ns()
            guard let destination = malloc(bytes) else { failed = true; return }
            memcpy(destination, source, bytes)
            Calibrator.escape(destination)
            free(destination)
            let end = pl_monotonic_ns()
            if repetition >= warmUp { times.append(MonotonicClock.seconds(from: start, to: end)) }
        }
        seconds = times
    }
}
