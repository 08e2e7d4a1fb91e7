import Glibc

/// glibc functions the Glibc module does not export (they sit behind `_GNU_SOURCE` or in headers the module map
/// leaves out), looked up by name in the running program with `dlsym`.
///
/// A shim in CPlatform (`pl_statfs_type`, `pl_set_affinity`) would be the cleaner route; these keep the
/// calibration inside its own files until then.
enum CalibrationLibc {
    /// `int statfs(const char *path, struct statfs *buf)`.
    typealias StatfsFunction = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer) -> Int32
    /// `int sched_{get,set}affinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)`.
    typealias AffinityFunction = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32

    static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let program = dlopen(nil, RTLD_NOW) else { return nil }
        guard let symbol = dlsym(program, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    /// The `f_type` magic number `statfs(2)` reports for `path`; nil where `statfs` cannot be called here.
    /// `f_type` (`__fsword_t`, a `long`) is the first field of `struct statfs` on 64-bit Linux.
    static func filesystemMagic(_ path: String) -> Result<Int, CalibrationError>? {
        #if arch(x86_64) || arch(arm64)
        guard let statfs = function("statfs", as: StatfsFunction.self) else { return nil }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        guard statfs(path, buffer) == 0 else { return .failure(.scratchMissing(path: path, errno: errno)) }
        return .success(buffer.load(as: Int.self))
        #else
        return nil
        #endif
    }
}

/// A set of CPUs as the kernel's `cpu_set_t` bit mask (1024 CPUs), for pinning the pipe measurement.
struct CPUSet: Equatable {
    static let byteCount = 128
    var words = [UInt64](repeating: 0, count: CPUSet.byteCount / 8)

    init() {}

    init(cpu: Int) {
        words[cpu / 64] |= 1 << UInt64(cpu % 64)
    }

    /// The CPUs in the set, ascending.
    var cpus: [Int] {
        (0..<(words.count * 64)).filter { words[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// The CPUs thread or process `pid` may run on (0: the calling thread); nil if that cannot be read.
    static func affinity(of pid: pid_t) -> CPUSet? {
        guard let get = CalibrationLibc.function("sched_getaffinity", as: CalibrationLibc.AffinityFunction.self)
        else { return nil }
        var set = CPUSet()
        let rc = set.words.withUnsafeMutableBytes { get(pid, byteCount, $0.baseAddress!) }
        return rc == 0 ? set : nil
    }

    /// Restricts thread or process `pid` (0: the calling thread) to this set. Returns whether it worked.
    @discardableResult
    func apply(to pid: pid_t) -> Bool {
        guard let set = CalibrationLibc.function("sched_setaffinity", as: CalibrationLibc.AffinityFunction.self)
        else { return false }
        var words = self.words
        return words.withUnsafeMutableBytes { set(pid, CPUSet.byteCount, $0.baseAddress!) } == 0
    }
}
