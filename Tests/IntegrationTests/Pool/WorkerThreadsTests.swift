import Foundation
import Glibc
import Testing
import TestSupport
@testable import Units
@testable import Platform
@testable import Pool

extension Integration {
    @Suite("Worker threads and the start gate")
    struct WorkerThreadsTests {
        @Test func gateOpensOnceAllHaveArrivedAndGivesEveryoneTheSameTime() throws {
            let threads = try WorkerThreads(count: 3, name: "gate-test")
            defer { threads.stop() }
            let gate = StartGate(count: 3)
            let arrivals = PerThread<UInt64>(count: 3, initial: 0)
            let opened = PerThread<UInt64>(count: 3, initial: 0)
            threads.runOnAll { index in
                // Stagger the arrivals: the gate must wait for the last one.
                usleep(useconds_t(index * 2_000))
                arrivals.update(index) { $0 = MonotonicClock.now() }
                let time = gate.arriveAndWait()
                opened.update(index) { $0 = time }
            }
            #expect(Set(opened.all).count == 1)
            #expect(gate.opened == opened.all[0])
            #expect(arrivals.all.allSatisfy { $0 <= gate.opened })
        }

        @Test func gateDoesNotWaitForeverForAThreadThatNeverComes() {
            let gate = StartGate(count: 2, patienceNanoseconds: 5_000_000)
            let start = MonotonicClock.now()
            let opened = gate.arriveAndWait()
            #expect(opened >= start + 5_000_000)
            #expect(MonotonicClock.seconds(from: start, to: MonotonicClock.now()) < 5)
        }

        /// Pinned threads each run on one allowed CPU, round robin, so a batch never starts with two on one CPU.
        @Test func pinnedThreadsRunOnDistinctAllowedCPUsRoundRobin() throws {
            let cpus = try #require(CPUSet.affinity(of: 0)?.cpus)
            let threads = try WorkerThreads(count: 3, name: "pin-test", pinned: true)
            defer { threads.stop() }
            let seen = PerThread<[Int]>(count: 3, initial: [])
            threads.runOnAll { index in
                let mine = CPUSet.affinity(of: 0)?.cpus ?? []
                seen.update(index) { $0 = mine }
            }
            for index in 0..<3 {
                #expect(seen.all[index] == [cpus[index % cpus.count]], "thread \(index)")
            }
        }
    }
}
