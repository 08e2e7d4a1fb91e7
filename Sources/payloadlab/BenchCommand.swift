import ArgumentParser
import Foundation
import Units
import Payload
import Codec
import Platform

/// `payloadlab bench`: micro-benchmarks of single components.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure one component on its own.",
        subcommands: [BenchCodecsCommand.self, BenchPythonCommand.self]
    )
}

/// `payloadlab bench codecs`: encode and decode throughput of codecs on one generated payload.
struct BenchCodecsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codecs",
        abstract: "Measure codecs' encode and decode throughput on a generated payload.",
        discussion: "Each codec is warmed up and its round trip verified by checksum, then timed until a run count "
            + "and a time budget are met; medians are reported beside plain copies of the same bytes into fresh and "
            + "into touched memory. json and plist are skipped above 16MB unless --codecs names them. "
            + "Build with -c release for meaningful figures."
    )

    @Option(help: "The payload's shape: \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: PayloadShape = .records

    @Option(parsing: .unconditional, help: "The size of its binary encoding, such as 64MB.")
    var size: String = "64MB"

    @Option(help: "Comma-separated codecs (default: \(CodecBenchmark.defaultCodecNames.joined(separator: ","))).")
    var codecs: String?

    @Option(help: "Selects the payload's content.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Seconds per codec and direction after the minimum runs.")
    var budget: Double = 1.5

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Advise buffers of 2 MiB and more (the payload, encodings, decoded arrays, the fresh copies) to use transparent huge pages (madvise MADV_HUGEPAGE).")
    var hugePages = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    var requestedCodecs: [String]? {
        codecs.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func validate() throws {
        _ = try CommandParsing.size(size)
        if let requested = requestedCodecs, requested.allSatisfy(\.isEmpty) {
            // `--codecs ,` would measure nothing and exit 0, as if every codec had passed.
            throw CommandFailure.usage("--codecs needs at least one value, such as binary,json.")
        }
        for name in requestedCodecs ?? [] {
            _ = try CommandParsing.codec(name)
            let held = Codecs.shapes(heldBy: name)
            if !held.contains(shape) {
                throw CommandFailure.usage(ErrorSentences.codecCannotHoldShape(
                    codec: name, shape: shape,
                    remedy: "pass --shape \(Codecs.shapeList(held).replacingOccurrences(of: " and ", with: " or ")), "
                        + "or drop it from --codecs"))
            }
        }
        guard budget > 0, budget.isFinite else {
            throw CommandFailure.usage("--budget \(budget) is not a positive number of seconds; use e.g. 1.5.")
        }
    }

    func run() throws {
        let sizeBytes = try CommandParsing.size(size)
        let plan = CodecBenchmark.plan(requested: requestedCodecs, payloadBytes: sizeBytes)
        let codecs = try plan.names.map { try CommandParsing.codec($0) }
        if !plan.skipped.isEmpty {
            printError("note: skipping \(plan.skipped.joined(separator: ", ")) above "
                + "\(Formatting.bytes(Double(CodecBenchmark.slowCodecLimitBytes))) (tens of MB/s); "
                + "name them with --codecs to measure them.")
        }
        if hugePages { adviseHugePages() }
        printError("generating \(shape.rawValue) \(size)…")
        let payload = Payload.generate(shape: shape, sizeBytes: sizeBytes, seed: seed)
        let options = CodecBenchmark.Options(timeBudgetSeconds: budget)
        let result = try CommandParsing.orFail {
            try CodecBenchmark.run(payload: payload, codecs: codecs, options: options) { step in
                printError("measuring \(step)…")
            }
        }
        let text: String
        switch format {
        case .table: text = result.renderTable(seed: seed)
        case .json: text = try CommandParsing.orFail { try result.renderJSON() }
        }
        // A failed check outranks a stdout that took no more: the exit status must not read as a pass.
        let outputFailure = StandardOutput.attempt(text + "\n")
        if result.codecs.contains(where: { !$0.checksumVerified }) {
            printError("payloadlab: a codec's decoded payload did not match the original checksum; see the ok column.")
            throw ExitCode.failure
        }
        if let outputFailure { throw outputFailure.exitCode() }
    }

    /// Turns the advice on for the whole run (the payload is generated into advised memory too) and says on stderr
    /// whether the kernel can follow it; a refusal is said, not fatal: the figures are then those of 4 KiB pages.
    private func adviseHugePages() {
        HugePages.setEnabled(true)
        let mode = TransparentHugePages.mode()
        let refused = TransparentHugePages.checkAdvice()
        if refused != 0 {
            printError("warning: madvise(MADV_HUGEPAGE) failed here (\(SystemErrorText.describe(refused))); "
                + "buffers stay in 4 KiB pages, as without --huge-pages.")
        } else if mode == nil || mode == "never" {
            printError("warning: the kernel's transparent huge pages are \(mode == nil ? "missing" : "off (mode never)"); "
                + "the advice cannot take effect, so the figures are those of 4 KiB pages.")
        } else {
            printError("huge pages: advised (kernel mode \(mode!)).")
        }
    }

    private func printError(_ line: String) {
        StandardError.write(line + "\n")
    }
}
