import ArgumentParser
import PayloadLab

@main
struct PayloadLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payloadlab",
        abstract: "Measure whether a process pool or a thread pool fits a large object and its work.",
        subcommands: [
            SweepCommand.self,
            RecommendCommand.self,
            ReportCommand.self,
            CompareCommand.self,
            CalibrateCommand.self,
            GenerateCommand.self,
            InspectCommand.self,
            BenchCommand.self,
            WorkerCommand.self,
            PipeSinkCommand.self,
        ]
    )
}
