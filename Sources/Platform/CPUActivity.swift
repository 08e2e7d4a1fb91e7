import CPlatform
import Glibc
import Units

/// CPU time used on the whole machine and by this process (with its reaped children), read together so that
/// the difference between two readings tells how much CPU *other* processes took in between.
///
/// A calibration measures limits; another process busy on the same cores lowers them (on 2 cores one busy
/// compiler halves a pinned pipe's bandwidth), so the calibration reports the load it ran beside.
public struct CPUActivity: Sendable {
    /// Busy time of all CPUs (`/proc/stat` user + nice + system + irq + softirq + steal), in seconds.
    public var machineBusySeconds: Double
    /// User + system time of this process and of its children that have been waited for, in seconds.
    public var ownSeconds: Double
    /// CLOCK_MONOTONIC at the reading.
    public var stampNs: UInt64

    /// The current reading, or nil where `/proc/stat` cannot be read.
    public static func now() -> CPUActivity? {
        guard let machine = machineBusySeconds() else { return nil }
        return CPUActivity(machineBusySeconds: machine, ownSeconds: ownSeconds(), stampNs: pl_monotonic_ns())
    }

    /// The average number of CPUs other processes (and the hypervisor, as steal) kept busy since `start`.
    public func otherProcessesCPUs(since start: CPUActivity) -> Double {
        let wall = MonotonicClock.seconds(from: start.stampNs, to: stampNs)
        guard wall > 0 else { return 0 }
        let others = (machineBusySeconds - start.machineBusySeconds) - (ownSeconds - start.ownSeconds)
        return max(0, others / wall)
    }

    /// Parses the aggregate `cpu` line of `/proc/stat` (ticks of `sysconf(_SC_CLK_TCK)`).
    public static func machineBusySeconds(procStat text: String, ticksPerSecond: Double) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8, ticksPerSecond > 0 else { return nil }
        // user nice system idle iowait irq softirq steal [guest guest_nice, already inside user and nice]
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / ticksPerSecond
    }

    private static func machineBusySeconds() -> Double? {
        guard let text = DescriptorIO.readTextFile("/proc/stat") else { return nil }
        return machineBusySeconds(procStat: text, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    private static func ownSeconds() -> Double {
        func seconds(_ who: Int32) -> Double {
            var usage = rusage()
            guard getrusage(__rusage_who_t(who), &usage) == 0 else { return 0 }
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return seconds(RUSAGE_SELF.rawValue) + seconds(RUSAGE_CHILDREN.rawValue)
    }
}
