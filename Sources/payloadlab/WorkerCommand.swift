import ArgumentParser
import Pool

/// The hidden worker a process pool starts from this same executable.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Serve a payloadlab process pool over fds 3 and 4 (started by payloadlab itself).",
        shouldDisplay: false
    )

    @Option(help: "The parent's pid; the worker exits if its parent is already another process.")
    var parent: Int32?

    @Option(help: "A fault to inject, for tests: crash:N, hang:N, garbage:N or checksum:N.")
    var fault: String?

    func run() throws {
        let injected = fault.flatMap(WorkerFault.init(parsing:))
        let status = WorkerMain.run(parentPID: parent, fault: injected)
        if status != 0 { throw ExitCode(status) }
    }
}
