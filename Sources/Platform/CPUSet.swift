import CPlatform
#if canImport(Glibc)
import Glibc
#endif

/// A set of CPUs as the kernel's `cpu_set_t` bit mask (1024 CPUs), for pinning a measurement to chosen cores.
public struct CPUSet: Equatable, Sendable {
    static let byteCount = 128
    var words = [UInt64](repeating: 0, count: CPUSet.byteCount / 8)

    public init() {}

    public init(cpu: Int) {
        words[cpu / 64] |= 1 << UInt64(cpu % 64)
    }

    /// The CPUs in the set, ascending.
    public var cpus: [Int] {
        (0..<(words.count * 64)).filter { words[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// The CPUs thread or process `pid` may run on (0: the calling thread); nil if that cannot be read.
    public static func affinity(of pid: pid_t) -> CPUSet? {
        var set = CPUSet()
        let rc = set.words.withUnsafeMutableBytes { pl_get_affinity(pid, $0.baseAddress, byteCount) }
        return rc == 0 ? set : nil
    }

    /// Restricts thread or process `pid` (0: the calling thread) to this set. Returns whether it worked.
    @discardableResult
    public func apply(to pid: pid_t) -> Bool {
        words.withUnsafeBytes { pl_set_affinity(pid, $0.baseAddress, CPUSet.byteCount) } == 0
    }
}
