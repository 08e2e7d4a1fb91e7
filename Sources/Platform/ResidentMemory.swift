#if canImport(Glibc)
import Glibc
#endif

/// This process's resident memory as the kernel reports it in `/proc/self/status`.
public enum ResidentMemory {
    /// Current resident set (VmRSS), in bytes.
    public static func current() -> Int { statusField("VmRSS:") }

    /// Peak resident set since start or the last `resetPeak()` (VmHWM), in bytes.
    public static func peak() -> Int { statusField("VmHWM:") }

    /// Resets the peak to the current resident set (writes 5 to /proc/self/clear_refs), so phases can be measured
    /// one by one. Returns false where the kernel does not allow it.
    @discardableResult
    public static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    static func statusField(_ name: String) -> Int {
        guard let text = DescriptorIO.readTextFile("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.dropFirst(name.count).filter { $0.isNumber }
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }
}

