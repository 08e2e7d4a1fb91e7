import Foundation
import Testing
import TestSupport

extension Integration {
    /// Every bad invocation ends with one sentence naming the value, exit 64 for usage and 1 for runtime failures,
    /// before any work starts.
    @Suite("Bad invocations", .serialized)
    struct BadInvocationTests {
        static let cases: [(arguments: [String], status: Int32, mentions: String)] = [
            (["sweep", "--max", "200XB"], 64, "200XB"),
            (["sweep", "--max=-1MB"], 64, "-1MB"),
            (["sweep", "--max", "0"], 64, "'0'"),
            (["sweep", "--max", "1e99GB"], 64, "1e99GB"),
            (["sweep", "--max", "1MB", "--min", "2MB"], 64, "--min 2MB"),
            (["sweep", "--max", "1MB", "--shapes", "cube"], 64, "cube"),
            (["sweep", "--max", "1MB", "--codecs", "gzip"], 64, "gzip"),
            (["sweep", "--max", "1MB", "--codecs", "binary+zstd:99"], 64, "99"),
            (["sweep", "--max", "1MB", "--pools", "fork"], 64, "fork"),
            (["sweep", "--max", "1MB", "--workers", "0"], 64, "--workers 0"),
            (["sweep", "--max", "1MB", "--workers", "100000"], 64, "--workers 100000"),
            (["sweep", "--max", "1MB", "--gil", "1.5"], 64, "--gil 1.5 "),
            (["sweep", "--max", "1MB", "--work", "gpu:3"], 64, "gpu:3"),
            (["sweep", "--max", "1MB", "--factor", "1"], 64, "--factor"),
            (["sweep", "--max", "1MB", "--scratch", "/nonexistent-payloadlab"], 64, "/nonexistent-payloadlab"),
            (["sweep", "--max", "1MB", "--out", "/nonexistent-payloadlab/reports"], 64, "/nonexistent-payloadlab/reports"),
            (["sweep", "--max", "1MB", "--out", "/proc"], 64, "/proc"),
            (["sweep", "--max", "1TiB", "--out", "/tmp"], 1, "memory"),
            // A report name is checked before any work: it must name files inside --out.
            (["sweep", "--max", "1MB", "--name", ""], 64, "--name '' is empty"),
            (["sweep", "--max", "1MB", "--name", "nodir/x"], 64, "--name 'nodir/x' contains a /"),
            (["sweep", "--max", "1MB", "--name", "../escape"], 64, "--name '../escape' contains a /"),
            (["sweep", "--max", "1MB", "--name", ".."], 64, "--name '..' is a directory's name"),
            (["sweep", "--max", "1MB", "--name", "two\nlines"], 64, "--name 'two\\nlines' contains a newline"),
            (["sweep", "--max", "1MB", "--name", String(repeating: "x", count: 300)], 64, "is 300 bytes long; at most 191 bytes"),
            (["sweep", "--max", "1MB", "--out", "/tmp/" + String(repeating: "d", count: 5_000)], 64, "(5005 bytes) is too long for this system"),
            (["sweep", "--max", "1MB", "--scratch", "/tmp/" + String(repeating: "s", count: 300)], 64, "(305 bytes) is too long for this system"),
            // A negative size is the option's value, not a flag: the sentence says what is wrong with it.
            (["recommend", "--size", "-5MB"], 64, "-5MB is not a size; use a positive size such as 64MB."),
            (["sweep", "--max", "-5MB"], 64, "-5MB is not a size; use a positive size such as 64MB."),
            (["calibrate", "--size", "-5MB"], 64, "-5MB is not a size; use a positive size such as 64MB."),
            (["bench", "codecs", "--size", "-5MB"], 64, "-5MB is not a size; use a positive size such as 64MB."),
            (["bench", "python", "--rounds", "0"], 64, "--rounds 0"),
            (["bench", "python", "--shapes", "cube"], 64, "cube"),
            (["bench", "python", "--sizes", "9QB"], 64, "9QB"),
            (["bench", "python", "--python", "/nonexistent/python3"], 1, "/nonexistent/python3"),
            (["sweep", "--max", "1MB", "--workers", "-2"], 64, "--workers -2"),
            // A link a cluster is priced over: one sentence naming the part that cannot be read.
            (["recommend", "--size", "1MB", "--link", "10Gbit"], 64,
             "--link: '10Gbit' is not a link; give a bandwidth and a latency separated by one comma, such as 10Gbit,200us."),
            (["recommend", "--size", "1MB", "--link", "fast,1ms"], 64, "--link: 'fast' is not a bandwidth;"),
            (["recommend", "--size", "1MB", "--link", "-5Gbit,1ms"], 64, "--link: '-5Gbit' is not a bandwidth;"),
            (["recommend", "--size", "1MB", "--link", "10Gbit,1 fortnight"], 64, "--link: '1 fortnight' is not a latency;"),
            (["recommend", "--size", "1MB", "--link", "100Tbit,1ms"], 64, "--link: The bandwidth '100Tbit' is outside"),
            (["recommend", "--size", "1MB", "--link", "10Gbit,1ms", "--runtime", "swift"], 64,
             "--link prices a Dask cluster, which only the python runtime measures"),
            // bench codecs refuses what sweep refuses, before measuring anything.
            (["bench", "codecs", "--shape", "records", "--codecs", "raw"], 64,
             "The raw codec holds only blob and numeric payloads, not records;"),
            (["bench", "codecs", "--codecs", ","], 64, "--codecs needs at least one value"),
            // flat holds only records, and says so in raw's words wherever a codec and a shape meet.
            (["bench", "codecs", "--shape", "numeric", "--codecs", "binary,flat"], 64,
             "The flat codec holds only records payloads, not numeric; pass --shape records, or drop it from --codecs."),
            (["sweep", "--max", "1MB", "--codecs", "flat", "--shapes", "records,tree"], 64,
             "The flat codec holds only records payloads, not tree; drop it from --shapes or sweep it separately."),
            (["generate", "--shape", "blob", "--size", "1KB", "--codec", "flat+zstd", "-o", "/tmp/payloadlab-never-written"], 64,
             "The flat+zstd codec holds only records payloads, not blob; pass --shape records, or another codec."),
            // Huge pages are advised for payloadlab's own buffers; CPython's are its allocator's.
            (["sweep", "--max", "1MB", "--runtime", "python", "--huge-pages"], 64,
             "--huge-pages advises payloadlab's own buffers, but --runtime python measures CPython's; add swift to --runtime (swift,python) or drop --huge-pages."),
            // A Dask client is not an executor: the event loop's run_in_executor cannot hand it tasks.
            (["sweep", "--max", "1MB", "--runtime", "python", "--pools", "dask", "--async"], 64,
             "--async runs tasks through asyncio's run_in_executor, which a Dask client does not offer; drop --async, or sweep the dask pools in a run of their own without it."),
            (["sweep", "--max", "1MB", "--runtime", "python", "--pools", "process,dask:scatter", "--async"], 64,
             "--async runs tasks through asyncio's run_in_executor"),
        ]

        @Test(arguments: 0..<cases.count)
        func rejectedWithOneSentence(index: Int) throws {
            let (arguments, status, mentions) = Self.cases[index]
            let run = try CommandRun.payloadlab(arguments, timeout: 30)
            #expect(!run.timedOut)
            #expect(run.status == status, "\(arguments): exit \(run.status), stderr: \(run.stderr)")
            #expect(run.stderr.contains(mentions), "\(arguments): stderr does not name \(mentions): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines.count == 1, "\(arguments): expected one line, got: \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }

        @Test func missingRequiredOptionIsAUsageError() throws {
            let run = try CommandRun.payloadlab(["sweep"], timeout: 30)
            #expect(run.status == 64)
            #expect(run.stderr.contains("--max"))
        }
    }
}

extension Integration {
    @Suite("Bad result files", .serialized)
    struct BadResultFileTests {
        @Test func reportAndCompareRefuseFilesThatAreNotResults() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let files = [
                ("missing.json", nil as String?, "does not exist"),
                ("text.json", "hello", "not valid JSON"),
                ("truncated.json", #"{"tool":"payloadlab","schemaVersion":1,"name":"x","poin"#, "not valid JSON"),
                ("other.json", #"{"tool":"payloadlab","schemaVersion":2}"#, "schema version 2"),
                ("partial.json", #"{"tool":"payloadlab","schemaVersion":1,"name":"x"}"#, "missing"),
            ]
            for (name, content, mention) in files {
                let path = "\(dir.path)/\(name)"
                if let content { try content.write(toFile: path, atomically: false, encoding: .utf8) }
                for arguments in [["report", path], ["compare", path, path]] {
                    let run = try CommandRun.payloadlab(arguments, timeout: 30)
                    #expect(run.status == 1, "\(arguments): \(run.stderr)")
                    #expect(run.stderr.contains(mention), "\(arguments): \(run.stderr)")
                    #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
                }
            }
        }

        @Test func reportAndCompareRejectUnknownFormats() throws {
            #expect(try CommandRun.payloadlab(["report", "x.json", "--format", "pdf"]).status == 64)
            #expect(try CommandRun.payloadlab(["compare", "a.json", "b.json", "--format", "xml"]).status == 64)
            #expect(try CommandRun.payloadlab(["compare", "a.json", "b.json", "--fail-on-regression=-3"]).status == 64)
        }
    }
}
