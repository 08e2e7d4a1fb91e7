import Payload
import Platform
import Results
import Units
/// Refuses a sweep that would not fit in memory or on the scratch disk, before any work starts.
///
/// Estimates, for the largest size, each pool's peak resident memory from the copies it makes of a payload
/// (object in the parent, an encode buffer per feeder or thread, and per worker a receive buffer, a decoded
/// object and a re-encoded buffer), with the codecs' expansion over the binary size (JSON ≈ 3×, plist ≈ 2×).
public struct ResourceGuard {
    public var plan: SweepPlan
    public var environment: Environment

    public init(plan: SweepPlan, environment: Environment) {
        self.plan = plan
        self.environment = environment
    }

    /// The estimated peak memory of the most demanding point, in bytes.
    public var estimatedPeakMemoryBytes: Int {
        let size = Double(plan.maxBytes)
        let expansion = plan.codecs.map(ResourceGuard.expansion).max() ?? 1
        // In-memory objects are up to ~2.5× their binary encoding (records and tree: headers, pointers).
        let object = 2.5 * size
        let encoded = expansion * size
        let workers = Double(plan.workers)
        let processPool = object + workers * encoded + workers * (encoded + object + encoded)
        let threadPool = object + workers * encoded
        let worst = plan.pools.contains(.process) ? processPool : threadPool
        let swift = plan.measuredRuntimes.contains(.swift) ? worst : 0
        return Int(clampingFinite: max(swift, pythonPeakBytes) + Double(64 << 20))
    }

    /// CPython's peak: records and trees as Python objects hold about 8× their pickle (measured: a 200 MiB records
    /// pickle is ~1.5 GB of dicts), flat shapes about 1×. The parent holds the object, a pickle per task in flight
    /// and, while it measures pickle's rates, a second object; each worker a received pickle, its object and a
    /// re-pickle.
    var pythonPeakBytes: Double {
        guard plan.measuredRuntimes.contains(.python) else { return 0 }
        let size = Double(plan.maxBytes)
        let objects = plan.shapes.map { $0 == .records || $0 == .tree ? 8.0 : 1.2 }.max() ?? 1.2
        let object = objects * size
        let workers = Double(plan.workers)
        let parent = 2 * object + (workers + 1) * size
        let processPool = parent + workers * (2 * size + object)
        let threadPool = parent + workers * size
        return plan.pools.contains(where: \.isProcess) ? processPool : threadPool
    }

    /// Scratch space in use at once: one file per worker, removed after each task.
    public var estimatedScratchBytes: Int {
        let expansion = plan.codecs.map(ResourceGuard.expansion).max() ?? 1
        return Int(clampingFinite: Double(plan.workers) * expansion * Double(plan.maxBytes) * 1.1 + Double(16 << 20))
    }

    public func check(scratch: String) throws(SweepError) {
        let available = environment.availableMemoryBytes
        let needed = estimatedPeakMemoryBytes
        if available > 0 && needed > available {
            let fitting = Int(clampingFinite: Double(plan.maxBytes) * Double(available) / Double(max(needed, 1)))
            throw .notEnoughMemory(
                neededBytes: needed, availableBytes: available,
                fittingMaxBytes: max(1_000, fitting / 1_000_000 * 1_000_000))
        }
        let free = FilesystemInfo.availableBytes(at: scratch)
        if free > 0 && estimatedScratchBytes > free {
            throw .notEnoughDisk(neededBytes: estimatedScratchBytes, availableBytes: free, path: scratch)
        }
    }

    static func expansion(_ codec: String) -> Double {
        let base = codec.split(separator: "+").first.map(String.init) ?? codec
        switch base {
        case "json": return 3
        case "plist": return 2
        default: return 1.1
        }
    }
}
