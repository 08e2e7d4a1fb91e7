import ArgumentParser
import PayloadLab

@main
struct PayloadLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payloadlab",
        abstract: "Measure whether a process pool or a thread pool fits a large object and its work.",
        subcommands: [SweepCommand.self, RecommendCommand.self, WorkerCommand.self]
    )
}
