import Foundation

/// How many CPUs this process may use: the one count every default (workers, copy threads) and message uses.
public enum Cores {
    /// The processors available to this process (affinity and cgroup limits applied by Foundation).
    public static var available: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
