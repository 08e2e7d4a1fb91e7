import Results
import Payload
import Units
/// Runs a work profile on an object, unit by unit under a `LockSchedule`.
enum WorkRunner {
    /// CPU time per lock-scheduled slice of `cpu:` work.
    static let sliceNanoseconds: UInt64 = 100_000

    /// Runs `profile` on `payload` (whose size for `cpu:` is `bytes`) and returns a digest of the result.
    static func run(_ profile: WorkProfile, on payload: Payload, bytes: Int, schedule: inout LockSchedule) -> UInt64 {
        run(profile, checksum: { payload.checksum }, bytes: bytes, schedule: &schedule)
    }

    /// Runs `profile` where one pass over the object is `checksum` (an object, or bytes read in place).
    static func run(
        _ profile: WorkProfile, checksum: () -> UInt64, bytes: Int, schedule: inout LockSchedule
    ) -> UInt64 {
        switch profile {
        case .none:
            return 0
        case .checksum:
            return schedule.unit { checksum() }
        case .cpu(let rate):
            let start = MonotonicClock.threadCPU()
            let target = UInt64(clampingFinite: min(rate * Double(bytes), 1e15))
            var state = schedule.unit { checksum() }
            var used = MonotonicClock.threadCPU() &- start
            while used < target {
                let sliceEnd = min(target, used + sliceNanoseconds)
                state = schedule.unit {
                    var s = state
                    repeat {
                        for _ in 0..<512 { s = mix(s) }
                        used = MonotonicClock.threadCPU() &- start
                    } while used < sliceEnd
                    return s
                }
            }
            return state
        }
    }

    /// One round of SplitMix64's finaliser: cheap, serial, impossible to vectorise away.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var state = value
        return SeededGenerator.splitMix64(&state)
    }
}
