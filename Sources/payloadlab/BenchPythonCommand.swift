import ArgumentParser
import Foundation
import Payload
import PythonRuntime
import Sweep
import Units

/// `payloadlab bench python`: the yardsticks behind every CPython figure a sweep reports.
struct BenchPythonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python",
        abstract: "Measure the CPython driver's own overhead and check its pickle rates against python3 -m timeit.",
        discussion: "Runs the same small point three ways on each pool (the driver; a submit loop written by hand "
            + "doing the same verify, pickle and write; a loop of an empty function), alternating their order "
            + "between rounds, and reports the median ratio of driver to hand-written loop. Then times "
            + "pickle.dumps / pickle.loads as a sweep reports them beside `python3 -m timeit` run as its own "
            + "process on the same object, in alternating rounds, so a host whose speed drifts moves both alike."
    )

    @Option(help: "The CPython interpreter (default: python3 on PATH).") var python: String?
    @Option(help: "Alternating rounds of each comparison.") var rounds: Int = 3
    @Option(help: "Workers per pool (default: the number of cores).") var workers: Int?
    @Option(help: "Shapes whose pickle rates are checked (comma-separated).") var shapes: String = "blob,records,tree"
    @Option(help: "Sizes whose pickle rates are checked (comma-separated), such as 1MB,16MB.") var sizes: String = "1MB,16MB"
    @Option(help: "Directory for scratch files (default: the system temporary directory).") var scratch: String?
    @Option(help: "Selects the payloads' content.") var seed: UInt64 = 1

    var shapeList: [String] { shapes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    var sizeTexts: [String] { sizes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard (1...100).contains(rounds) else {
            throw CommandFailure.usage("--rounds \(rounds) is not a number of rounds from 1 to 100; use e.g. 5.")
        }
        if let workers, !(1...256).contains(workers) {
            throw CommandFailure.usage("--workers \(workers) is not a worker count from 1 to 256; use e.g. 2.")
        }
        for shape in shapeList where PayloadShape(rawValue: shape) == nil {
            throw CommandFailure.usage("--shapes '\(shape)' is not a shape; use \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        for size in sizeTexts { _ = try CommandParsing.size(size) }
        if shapeList.isEmpty || sizeTexts.isEmpty {
            throw CommandFailure.usage("--shapes and --sizes need at least one value each, such as --shapes records --sizes 1MB.")
        }
    }

    func run() throws {
        let sizeList = try sizeTexts.map { try CommandParsing.size($0) }
        let driver = try CommandParsing.orFail { try PythonDriverScript.locate() }
        let interpreter = try CommandParsing.orFail { try PythonInterpreter.probe(python, driver: driver) }
        let parent = scratch ?? FileManager.default.temporaryDirectory.path
        let directory = try CommandParsing.orFail { try ScratchDirectory.create(in: parent) }
        defer { ScratchDirectory.remove(directory) }
        StandardError.write("payloadlab bench python: CPython \(interpreter.version), \(rounds) rounds; "
            + "this takes a minute or two…\n")
        let request = PythonBenchmarkRequest(
            rounds: rounds, workers: workers ?? Cores.available, pickleShapes: shapeList, pickleSizes: sizeList,
            seed: seed, scratchDirectory: directory)
        let result = try CommandParsing.orFail {
            try PythonBenchmark(interpreter: interpreter, driver: driver).run(request)
        }
        if let failure = StandardOutput.attempt(result.renderTable()) { throw failure.exitCode() }
    }
}
