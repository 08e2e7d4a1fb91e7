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
        return Int(clampingFinite: worst + Double(64 << 20))
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
