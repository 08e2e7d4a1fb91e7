import Foundation
import Results
import Payload
import Units

/// Searches the model along one setting at a time — size, work, lock share, workers, task count — for where the
/// faster pool changes, and says so in sentences.
///
/// Each axis is scanned on a grid (sizes and work geometrically, 8 steps a decade; the lock share in steps of
/// 0.05; workers one by one); where two neighbouring grid points disagree, bisection narrows the change to 0.01 %
/// (sizes, work) or 0.001 (lock share). A change narrower than one grid step can be missed; the model's curves are
/// smooth enough that this does not happen in practice.
package struct FlipSearch {
    let model: CostModel
    let shape: PayloadShape
    let codec: String?
    let scenario: CostModel.Scenario

    /// The work axis: cpu: work from 0.1 to 1000 ns per byte (and `none` below it).
    static let workRange: ClosedRange<Double> = 0.1...1000
    static let workerRange: ClosedRange<Int> = 1...64

    func decide(_ scenario: CostModel.Scenario) -> PoolDecision? {
        model.decide(shape: shape, codec: codec, scenario: scenario)
    }

    /// The faster pool, or nil when only one pool is modelled (nothing can flip).
    func faster(_ scenario: CostModel.Scenario) -> PoolKind? {
        guard let decision = decide(scenario), decision.runnerUp != nil else { return nil }
        return decision.fastest.pool
    }

    // MARK: - Axes

    func sizeCrossovers() -> [PoolCrossover] {
        let range = Recommendation.searchedSizes
        let grid = FlipSearch.geometricGrid(range, stepsPerDecade: 8)
        return crossings(grid: grid, geometric: true) { faster(scenario.with(sizeBytes: Int(clampingFinite: $0.rounded()))) }
    }

    /// Changes along cpu: work at the asked size; `at` 0 marks a change between `none` and any cpu: work.
    func workCrossovers() -> [PoolCrossover] {
        var found: [PoolCrossover] = []
        let none = faster(scenario.with(work: WorkProfile.none))
        let grid = FlipSearch.geometricGrid(FlipSearch.workRange, stepsPerDecade: 8)
        let cpu: (Double) -> PoolKind? = { faster(scenario.with(work: .cpu(nanosecondsPerByte: $0))) }
        if let none, let least = cpu(grid[0]), none != least {
            found.append(PoolCrossover(at: 0, belowWinner: none, aboveWinner: least))
        }
        return found + crossings(grid: grid, geometric: true, cpu)
    }

    func gilCrossovers() -> [PoolCrossover] {
        let grid = (0...20).map { Double($0) / 20 }
        return crossings(grid: grid, geometric: false) { faster(scenario.with(gil: $0)) }
    }

    /// Worker counts in 1…64 at which the other pool is faster, as runs of consecutive counts.
    func workerRuns(against winner: PoolKind) -> [(ClosedRange<Int>, PoolKind, Double)] {
        var runs: [(ClosedRange<Int>, PoolKind, Double)] = []
        for workers in FlipSearch.workerRange {
            guard let decision = decide(scenario.with(workers: workers)), decision.runnerUp != nil,
                  decision.fastest.pool != winner else { continue }
            let margin = decision.margin ?? 1
            if let last = runs.last, last.0.upperBound == workers - 1, last.1 == decision.fastest.pool {
                runs[runs.count - 1] = (last.0.lowerBound...workers, last.1, max(last.2, margin))
            } else {
                runs.append((workers...workers, decision.fastest.pool, margin))
            }
        }
        return runs
    }

    /// Where `grid` points disagree on the winner, bisected to a narrow interval.
    func crossings(grid: [Double], geometric: Bool, _ winner: (Double) -> PoolKind?) -> [PoolCrossover] {
        var found: [PoolCrossover] = []
        var previous: (x: Double, pool: PoolKind)?
        for x in grid {
            guard let pool = winner(x) else { continue }
            if let before = previous, before.pool != pool {
                var low = before.x
                var high = x
                for _ in 0..<80 {
                    let converged = geometric ? high / low - 1 < 1e-4 : high - low < 1e-3
                    if converged { break }
                    let middle = geometric ? (low * high).squareRoot() : (low + high) / 2
                    if winner(middle) == before.pool { low = middle } else { high = middle }
                }
                found.append(PoolCrossover(
                    at: geometric ? (low * high).squareRoot() : (low + high) / 2, belowWinner: before.pool,
                    aboveWinner: pool))
            }
            previous = (x, pool)
        }
        return found
    }

    static func geometricGrid(_ range: ClosedRange<Double>, stepsPerDecade: Int) -> [Double] {
        let decades = log10(range.upperBound / range.lowerBound)
        let steps = Int(clampingFinite: (decades * Double(stepsPerDecade)).rounded())
        return (0...steps).map { range.lowerBound * pow(10, Double($0) / Double(stepsPerDecade)) }
    }

    // MARK: - Sentences

    /// The "what would flip the answer" sentences for `decision` (the asked scenario's).
    func sentences(decision: PoolDecision, sizeCrossovers: [PoolCrossover]) -> [String] {
        guard decision.runnerUp != nil else { return [] }
        let winner = decision.fastest.pool
        let size = Formatting.bytes(Double(scenario.sizeBytes))
        var sentences = sizeSentences(winner: winner, crossovers: sizeCrossovers)
        sentences += workSentences(size: size)
        sentences.append(gilSentence(winner: winner, size: size))
        sentences += workerSentences(winner: winner, size: size)
        if let sentence = taskCountSentence(decision: decision) { sentences.append(sentence) }
        return sentences
    }

    /// Where the winner changes with the payload's size, or that it does not from 1 KB to 10 GB.
    private func sizeSentences(winner: PoolKind, crossovers: [PoolCrossover]) -> [String] {
        let settings = "\(scenario.work), --gil \(FlipSearch.gilText(scenario.gil)), \(scenario.workers) workers"
        if crossovers.isEmpty {
            return ["\(FlipSearch.plural(winner).capitalizedFirst) win at every size from 1 KB to 10 GB (\(settings))."]
        }
        return crossovers.map { crossing in
            "\(FlipSearch.plural(crossing.belowWinner).capitalizedFirst) win below \(Formatting.bytes(crossing.at)), \(FlipSearch.plural(crossing.aboveWinner)) above (\(settings))."
        }
    }

    /// Where the winner changes with the work per byte, or that it does not.
    private func workSentences(size: String) -> [String] {
        let atSize = "at \(size) (--gil \(FlipSearch.gilText(scenario.gil)), \(scenario.workers) workers)"
        let work = workCrossovers()
        if work.isEmpty {
            return ["No cpu: work from 0 to \(Int(clampingFinite: FlipSearch.workRange.upperBound)) ns/B changes the winner \(atSize)."]
        }
        return work.map { crossing in
            if crossing.at == 0 {
                return "With --work none \(FlipSearch.plural(crossing.belowWinner)) win \(atSize); with any cpu: work \(FlipSearch.plural(crossing.aboveWinner)) do."
            }
            return "\(FlipSearch.plural(crossing.aboveWinner).capitalizedFirst) win once work exceeds \(Formatting.significant(crossing.at)) ns/B \(atSize); \(FlipSearch.plural(crossing.belowWinner)) below it."
        }
    }

    /// Where the winner changes with the lock share, and who wins at its ends, or that it does not change.
    private func gilSentence(winner: PoolKind, size: String) -> String {
        let gil = gilCrossovers()
        if gil.isEmpty {
            return "--gil does not change the winner at \(size) with \(scenario.work) and \(scenario.workers) workers: \(FlipSearch.plural(winner)) win from 0 to 1."
        }
        var parts: [String] = []
        for end in [0.0, 1.0] where end != scenario.gil {
            if let other = decide(scenario.with(gil: end)), other.fastest.pool != winner {
                parts.append("with --gil \(FlipSearch.gilText(end)) \(FlipSearch.plural(other.fastest.pool)) win at \(size) (by \(Formatting.ratio(other.margin ?? 1)))")
            }
        }
        let changes = gil.map {
            "--gil \(FlipSearch.gilText($0.at)) (\(FlipSearch.plural($0.belowWinner)) below, \(FlipSearch.plural($0.aboveWinner)) above)"
        }
        parts.append("the winner changes at \(changes.joined(separator: " and ")) with \(scenario.work) and \(scenario.workers) workers")
        return parts.joined(separator: "; ").capitalizedFirst + "."
    }

    /// The worker counts at which another pool wins.
    private func workerSentences(winner: PoolKind, size: String) -> [String] {
        workerRuns(against: winner).map { range, pool, margin in
            let count = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
            return "With --workers \(count) \(FlipSearch.plural(pool)) win at \(size) (by up to \(Formatting.ratio(margin)))."
        }
    }

    /// The task count below which the runner-up finishes first, when the faster pool starts slower.
    private func taskCountSentence(decision: PoolDecision) -> String? {
        guard let runnerUp = decision.runnerUp, decision.fastest.poolStartSeconds > runnerUp.poolStartSeconds,
              decision.fastest.tasksPerSecond > runnerUp.tasksPerSecond else { return nil }
        let perTaskSaving = 1 / runnerUp.tasksPerSecond - 1 / decision.fastest.tasksPerSecond
        let tasks = (decision.fastest.poolStartSeconds - runnerUp.poolStartSeconds) / perTaskSaving
        guard tasks >= 1 else { return nil }
        let asked = Double(scenario.tasks) < tasks ? " — including the \(scenario.tasks) asked for" : ""
        return "For fewer than \(Formatting.significant(tasks)) tasks \(FlipSearch.plural(runnerUp.pool)) finish first\(asked): the \(decision.fastest.pool.label) pool's start-up (\(Formatting.seconds(decision.fastest.poolStartSeconds))) outweighs its faster tasks."
    }

    static func plural(_ pool: PoolKind) -> String {
        switch pool {
        case .process: return "processes"
        case .processShm: return "processes over shared memory"
        case .thread: return "threads"
        case .dask: return "Dask workers"
        case .daskScatter: return "Dask workers with scattered data"
        }
    }

    package static func gilText(_ gil: Double) -> String {
        if gil == 0 || gil == 1 { return "\(Int(clampingFinite: gil))" }
        return Formatting.fixed(gil, decimals: 2)
    }
}

extension String {
    /// The string with its first character upper-cased.
    fileprivate var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
