import Foundation
import Testing
import TestSupport

extension Integration {
    /// `--codec flat` through the executable: generate, inspect and bench codecs.
    @Suite("Flat from the command line")
    struct FlatCommandTests {
        @Test func generateThenInspectDetectsFlatWithTheObjectsChecksum() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            var checksums: [String] = []
            for codec in ["flat", "binary"] {
                let path = "\(dir.path)/records.\(codec)"
                let wrote = try CommandRun.payloadlab(
                    ["generate", "--shape", "records", "--size", "64KB", "--codec", codec, "--output", path])
                #expect(wrote.status == 0, "\(wrote.stderr)")
                let inspected = try CommandRun.payloadlab(["inspect", path])
                #expect(inspected.status == 0, "\(inspected.stderr)")
                #expect(inspected.stdout.contains("codec     \(codec) (detected)"))
                #expect(inspected.stdout.contains("shape     records"))
                checksums += inspected.stdout.split(separator: "\n").filter { $0.hasPrefix("checksum") }.map(String.init)
            }
            #expect(checksums.count == 2 && checksums[0] == checksums[1], "flat and binary hold the same records")
        }

        @Test func benchCodecsMeasuresFlatAndItsInPlaceView() throws {
            let run = try CommandRun.payloadlab(
                ["bench", "codecs", "--shape", "records", "--size", "256KB", "--codecs", "binary,flat", "--budget", "0.05"])
            #expect(run.status == 0, "\(run.stderr)")
            let flatLine = run.stdout.split(separator: "\n").first { $0.hasPrefix("flat ") }
            #expect(flatLine?.hasSuffix("yes") == true, "\(run.stdout)")
            #expect(run.stdout.contains("flat read in place: the view's checks take"))
        }
    }
}
