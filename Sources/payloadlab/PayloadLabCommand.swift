import ArgumentParser

/// Synchronous on purpose: every command then runs on the process's main thread, whose glibc heap (the main arena)
/// grows as one contiguous block. An async root ran them on a concurrency thread, whose arena is a chain of 64 MB
/// heaps; a worker decoding 200 MB of records there reused freed chunks scattered across them and decoded at
/// 0.69 GB/s against 1.6 GB/s at 64 MB, a step no smaller size showed.
@main
struct PayloadLabCommand: ParsableCommand {
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
            TCPSinkCommand.self,
        ]
    )

    /// Prepares the standard streams (SIGPIPE ignored, closed descriptors held) before any command runs.
    static func main() {
        StandardStreams.prepare()
        main(nil)
    }
}
