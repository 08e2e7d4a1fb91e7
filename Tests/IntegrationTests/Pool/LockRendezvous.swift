import Dispatch
import Foundation
@testable import Pool

/// Two threads, one `InterpreterLock`, one unit each. Inside its unit a thread signals that it has entered and waits
/// (at most `wait` seconds) for the other's signal; then it signals that it is about to leave and waits (as long) for
/// the other's. Neither can leave before the other has received its "entered", so a thread that receives the other's
/// "entered" knows the other is inside at that moment — which it also checks in the shared tally, so a signal left
/// over from a thread that already gave up and left does not count.
enum LockRendezvous {
    struct Outcome {
        /// Threads that finished their unit.
        var entered: Int
        /// Threads that saw the other one enter while they were inside their own unit.
        var metInside: Int
        /// The most units inside at once, counted as each enters.
        var mostInside: Int
    }

    /// A counter shared by the two threads.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var inside = 0
        private(set) var mostInside = 0
        private(set) var entered = 0
        private(set) var metInside = 0

        /// Whether both threads are inside their units now.
        var bothInside: Bool {
            lock.lock(); defer { lock.unlock() }
            return inside == 2
        }

        func enter() {
            lock.lock(); defer { lock.unlock() }
            inside += 1
            mostInside = max(mostInside, inside)
        }

        func leave(met: Bool) {
            lock.lock(); defer { lock.unlock() }
            inside -= 1
            entered += 1
            if met { metInside += 1 }
        }
    }

    static func run(gil: Double, wait: Double) -> Outcome {
        let lock = InterpreterLock()
        let tally = Tally()
        let arrived = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let leaving = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let done = DispatchGroup()
        for me in 0..<2 {
            done.enter()
            let thread = Thread {
                var schedule = LockSchedule(fraction: gil, lock: lock)
                // The tally is entered and left inside the unit, so it counts exactly what the lock guards.
                schedule.unit {
                    tally.enter()
                    arrived[me].signal()
                    let other = arrived[1 - me].wait(timeout: .now() + wait) == .success
                    let met = other && tally.bothInside
                    leaving[me].signal()
                    _ = leaving[1 - me].wait(timeout: .now() + wait)
                    tally.leave(met: met)
                }
                done.leave()
            }
            thread.start()
        }
        // Both units end within 4 × `wait`; the extra minute only keeps a broken lock from hanging the suite.
        _ = done.wait(timeout: .now() + 4 * wait + 60)
        return Outcome(entered: tally.entered, metInside: tally.metInside, mostInside: tally.mostInside)
    }
}
