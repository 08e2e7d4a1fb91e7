import ArgumentParser
import Foundation
import PayloadLab

/// `payloadlab recommend`: ask the cost model fitted to a sweep which pool to use.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend a pool (and codec) for a payload size and work, from the cost model of a sweep.",
        discussion: """
            Reads the newest reports/*.json (or --from), fits each stage as a fixed plus a per-byte cost, and predicts
            every pool's latency, throughput, total time and memory. Settings left out are the sweep's own.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Payload size, e.g. 120MB.") var size: String
    @Option(help: "Payload shape (default: the sweep's, when it measured one).") var shape: String?
    @Option(help: "Work per task: none, checksum, or cpu:<ns per byte> (default: the sweep's).") var work: String?
    @Option(help: "Share (0…1) of work and codec time under one lock per process (default: the sweep's).") var gil: Double?
    @Option(help: "Workers per pool (default: the sweep's).") var workers: Int?
    @Option(help: "Tasks to predict the total time for.") var tasks: Int = RecommendationRequest.defaultTasks
    @Option(help: "Only this codec (default: the best measured codec of each pool).") var codec: String?
    @Option(help: "The sweep result to model (default: the newest *.json in reports/).") var from: String?
    @Option(help: "Output: text or json.") var format: OutputFormat = .text

    func run() throws {
        let request: RecommendationRequest
        do {
            request = try RecommendationRequest(
                size: size, shape: shape, work: work, gil: gil, workers: workers, tasks: tasks, codec: codec)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        guard let path = from ?? ReportDirectory.newestResult(in: "reports") else {
            throw CommandFailure.runtime(RecommendError.noResult(directory: "reports").description)
        }
        let result: SweepResult
        do {
            result = try SweepResult.load(path: path)
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        let recommendation: Recommendation
        do {
            recommendation = try Recommendation.recommend(model: CostModel.fit(result), request: request)
        } catch {
            throw error.isUsage ? CommandFailure.usage(error.description) : CommandFailure.runtime(error.description)
        }
        switch format {
        case .text:
            print(recommendation.text(source: path), terminator: "")
        case .json:
            do {
                print(String(decoding: try recommendation.jsonData(), as: UTF8.self))
            } catch {
                throw CommandFailure.runtime("Could not encode the recommendation as JSON: \(error).")
            }
        }
    }
}
