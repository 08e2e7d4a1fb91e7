import CPlatform
import Glibc
import Units

/// CPU time used on the whole machine and by this process (with its reaped children and, when named, its live
/// worker processes), read together so that the difference between two readings tells how much CPU *other*
/// processes took in between.
///
/// A calibration measures limits; another process busy on the same cores lowers them (on 2 cores one busy
/// compiler halves a pinned pipe's bandwidth), so the calibration reports the load it ran beside.
public struct CPUActivity: Sendable {
    /// Busy time of all CPUs (`/proc/stat` user + nice + system + irq + softirq + steal), in seconds.
    public var machineBusySeconds: Double
    /// User + system time of this process, of its children that have been waited for, and of the live children
    /// the reading named, in seconds.
    public var ownSeconds: Double
    /// CLOCK_MONOTONIC at the reading.
    public var stampNs: UInt64
    /// How far the difference of two readings can be off from counting in clock ticks: a tick per CPU for the
    /// machine's counters and a tick per live child read from `/proc/<pid>/stat`.
    public var resolutionSeconds: Double = 0

    /// The current reading, or nil where `/proc/stat` cannot be read.
    ///
    /// - Parameter liveChildren: child processes not yet waited for (a pool's workers) whose CPU time is this
    ///   program's own; their `/proc/<pid>/stat` is read. A pid that cannot be read counts 0.
    public static func now(liveChildren: [Int32] = []) -> CPUActivity? {
        guard let machine = machineBusySeconds() else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var own = ownSeconds()
        for pid in liveChildren {
            if let text = DescriptorIO.readTextFile("/proc/\(pid)/stat"),
               let seconds = processCPUSeconds(procPIDStat: text, ticksPerSecond: ticks) {
                own += seconds
            }
        }
        let cpus = Double(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return CPUActivity(
            machineBusySeconds: machine, ownSeconds: own, stampNs: pl_monotonic_ns(),
            resolutionSeconds: ticks > 0 ? (cpus + Double(liveChildren.count)) / ticks : 0)
    }

    /// The average number of CPUs other processes (and the hypervisor, as steal) kept busy since `start`.
    public func otherProcessesCPUs(since start: CPUActivity) -> Double {
        let wall = MonotonicClock.seconds(from: start.stampNs, to: stampNs)
        guard wall > 0 else { return 0 }
        return otherProcessesSeconds(since: start) / wall
    }

    /// The CPU seconds other processes (and the hypervisor, as steal) used since `start`, at least 0. Both
    /// readings must name the same live children.
    public func otherProcessesSeconds(since start: CPUActivity) -> Double {
        max(0, (machineBusySeconds - start.machineBusySeconds) - (ownSeconds - start.ownSeconds))
    }

    /// Parses user + system time (fields 14 and 15, in ticks of `sysconf(_SC_CLK_TCK)`) from a `/proc/<pid>/stat`
    /// line. The command name (field 2) is in parentheses and may hold spaces and parentheses, so fields are
    /// counted from the last `)`.
    public static func processCPUSeconds(procPIDStat text: String, ticksPerSecond: Double) -> Double? {
        guard ticksPerSecond > 0, let close = text.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) onwards; utime is field 14, stime field 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
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
