import CPlatform

/// Readings of CLOCK_MONOTONIC in nanoseconds.
///
/// Parent and worker processes share this clock, so a stamp taken in a worker lines up with one taken in the parent.
public enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary fixed point (boot).
    @inline(__always)
    public static func now() -> UInt64 { pl_monotonic_ns() }

    /// CPU time the calling thread has used, in nanoseconds.
    @inline(__always)
    public static func threadCPU() -> UInt64 { pl_thread_cpu_ns() }

    /// Seconds between two stamps.
    @inline(__always)
    public static func seconds(from start: UInt64, to end: UInt64) -> Double {
        end >= start ? Double(end - start) / 1e9 : 0
    }
}
