import Testing
import TestSupport
@testable import Results
@testable import Platform
@testable import Sweep

extension Integration {
    /// Reading the kernel's modes, and the one warning a run with `--huge-pages` gets when they cannot help.
    @Suite("Sweep: huge page conditions")
    struct HugePageConditionsTests {
        @Test(arguments: [
            ("always [madvise] never\n", "madvise"),
            ("[always] madvise never", "always"),
            ("always madvise [never]", "never"),
            ("always within_size advise [never] deny force\n", "never"),
            ("no brackets", nil),
            ("[]", nil),
        ] as [(String, String?)])
        func selectedModeIsTheBracketedWord(text: String, mode: String?) {
            #expect(TransparentHugePages.selectedMode(text) == mode)
        }

        @Test func noWarningWithoutTheOptionOrWhenTheProbeGotHugePages() {
            #expect(RunConditions.hugePageWarning(nil) == nil)
            #expect(RunConditions.hugePageWarning(HugePageSupport(mode: "never", sharedMemoryMode: nil)) == nil,
                    "not probed: the option was off")
            #expect(RunConditions.hugePageWarning(HugePageSupport(
                mode: "madvise", sharedMemoryMode: "never", probeBytes: 4 << 20, probeHugePageBytes: 4 << 20)) == nil)
        }

        @Test func eachReasonIsOneSentenceNamingIt() throws {
            let refused = try #require(RunConditions.hugePageWarning(HugePageSupport(
                mode: "madvise", sharedMemoryMode: nil, adviceError: "Invalid argument", probeBytes: 4 << 20)))
            #expect(refused.contains("madvise(MADV_HUGEPAGE) failed here (Invalid argument)"))
            let never = try #require(RunConditions.hugePageWarning(HugePageSupport(
                mode: "never", sharedMemoryMode: nil, probeBytes: 4 << 20, probeHugePageBytes: 0)))
            #expect(never.contains("(mode never)") && never.contains("echo madvise >"))
            let missing = try #require(RunConditions.hugePageWarning(HugePageSupport(
                mode: nil, sharedMemoryMode: nil, probeBytes: 4 << 20)))
            #expect(missing.contains("no transparent huge pages"))
            let fragmented = try #require(RunConditions.hugePageWarning(HugePageSupport(
                mode: "madvise", sharedMemoryMode: nil, probeBytes: 4 << 20, probeHugePageBytes: 0)))
            #expect(fragmented.contains("got no huge page"))
            for sentence in [refused, never, missing, fragmented] {
                #expect(sentence.hasSuffix(".") && !sentence.contains("\n"))
            }
        }

        /// Where the kernel has them, the worker's check and the probe agree with the mode.
        @Test func adviceIsAcceptedWhereTheKernelHasThem() {
            guard TransparentHugePages.mode() != nil else { return }
            #expect(TransparentHugePages.checkAdvice() == 0)
            let probe = TransparentHugePages.probe()
            #expect(probe.adviceErrno == 0 && probe.probedBytes == 4 << 20)
            if TransparentHugePages.mode() == "never" { #expect(probe.hugePageBytes ?? 0 == 0) }
        }
    }
}
