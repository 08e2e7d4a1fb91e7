import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Report

/// What a report says about huge pages: nothing for a run that recorded nothing, the kernel's mode and the probe for
/// one that did, and the setting beside the others when it was on.
@Suite("Reports: huge pages")
struct HugePagesReportTests {
    static func result(hugePages: Bool, support: HugePageSupport?, pools: [PoolKind] = [.process, .thread]) throws -> SweepResult {
        var result = try ReportTests.sample()
        result.plan.hugePages = hugePages ? true : nil
        result.plan.pools = pools
        result.environment.hugePages = support
        return result
    }

    @Test func aRunThatRecordedNothingSaysNothing() throws {
        let markdown = MarkdownReport.render(try Self.result(hugePages: false, support: nil))
        #expect(!markdown.contains("Huge pages") && !markdown.contains("huge pages"))
    }

    @Test func theSettingAndTheProbeAreShown() throws {
        let support = HugePageSupport(
            mode: "madvise", sharedMemoryMode: "never", probeBytes: 4 << 20, probeHugePageBytes: 4 << 20)
        let markdown = MarkdownReport.render(
            try Self.result(hugePages: true, support: support, pools: [.process, .processShm, .thread]))
        #expect(markdown.contains("writes to the page cache, payload buffers advised to use huge pages (`--huge-pages`, kernel mode madvise):"))
        #expect(markdown.contains("| Huge pages "))
        #expect(markdown.contains("| transparent huge pages madvise (shared memory: never); `--huge-pages` on: a probe's advised 4MiB got 4MiB in huge pages; shared segments (`process:shm`) stay in 4 KiB pages under shared-memory mode never "))
        #expect(markdown.contains("- Huge pages (`--huge-pages`, the Swift runtime's pools): payload-sized buffers"))
    }

    @Test func aProbeThatFoundNoHugePageIsSaidInTheSettings() throws {
        let support = HugePageSupport(mode: "never", sharedMemoryMode: "never", probeBytes: 4 << 20, probeHugePageBytes: 0)
        let markdown = MarkdownReport.render(try Self.result(hugePages: true, support: support))
        #expect(markdown.contains("(`--huge-pages`, kernel mode never, which did not take effect here):"))
    }

    @Test func withoutTheOptionTheModeIsStillRecorded() throws {
        let always = MarkdownReport.render(try Self.result(
            hugePages: false, support: HugePageSupport(mode: "always", sharedMemoryMode: "never")))
        #expect(always.contains("| transparent huge pages always (shared memory: never); no advice asked, but mode always gives private memory huge pages anyway "))
        #expect(!always.contains("`--huge-pages`):"))
        let madvise = MarkdownReport.render(try Self.result(
            hugePages: false, support: HugePageSupport(mode: "madvise", sharedMemoryMode: nil)))
        #expect(madvise.contains("| transparent huge pages madvise; off for this run (`--huge-pages` not given) "))
    }
}
