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
        guard let text = readSmallFile("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.dropFirst(name.count).filter { $0.isNumber }
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }
}

/// Reads a small text file (procfs, sysfs) whole; nil if it cannot be read.
func readSmallFile(_ path: String, limit: Int = 1 << 20) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16_384)
    while bytes.count < limit {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
