import Testing
import TestSupport
@testable import Units

@Suite("ByteSize")
struct ByteSizeTests {
    @Test(arguments: [
        ("512", 512), ("1KB", 1_000), ("64KiB", 65_536), ("200MB", 200_000_000),
        ("1.5GiB", 1_610_612_736), (" 4 kb ", 4_000), ("1B", 1), ("2GB", 2_000_000_000),
    ])
    func parsesSizes(text: String, bytes: Int) throws {
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test(arguments: ["200XB", "-1MB", "0", "", "1e99GB", "MB", "1.2.3MB", "0.5", "2TiB", "abc"])
    func rejectsBadSizes(text: String) {
        #expect(throws: UnitsError.self) { try ByteSize(parsing: text) }
    }

    @Test func errorNamesTheValue() {
        do {
            _ = try ByteSize(parsing: "200XB")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("200XB"))
        }
    }

    @Test(arguments: [
        (200_000_000, "200MB"), (65_536, "64KiB"), (1_610_612_736, "1.5GiB"), (1_234, "1234B"), (1_000, "1KB"),
    ])
    func formatsBack(bytes: Int, text: String) throws {
        #expect(ByteSize(bytes: bytes).description == text)
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test func formatsMeasuredQuantities() {
        #expect(Formatting.seconds(0.0000123) == "12.3 µs")
        #expect(Formatting.seconds(1.2) == "1.20 s")
        #expect(Formatting.rate(2_310_000_000) == "2.31 GB/s")
        #expect(Formatting.bytes(812) == "812 B")
        #expect(Formatting.percent(0.853) == "85 %")
    }
}

@Suite("ByteSize labels")
struct ByteSizeLabelTests {
    @Test(arguments: [
        (64_000, "64KB"), (256_000, "256KB"), (65_536, "64KiB"), (1_610_612_736, "1.5GiB"), (200_000_000, "200MB"),
        (4_096_000, "4096KB"), (1_048_576, "1MiB"),
    ])
    func prefersTheShortestExactForm(bytes: Int, text: String) {
        #expect(ByteSize(bytes: bytes).description == text)
    }
}

@Suite("Formatting")
struct FormattingTests {
    @Test(arguments: [
        (0.0025, "0.00250"), (1.2, "1.20"), (12.34, "12.3"), (123.4, "123"), (12345.0, "12345"), (9.996, "10.0"),
        (0.999, "0.999"), (-2.5, "-2.50"),
    ])
    func threeSignificantDigits(value: Double, text: String) {
        #expect(Formatting.significant(value) == text)
    }

    @Test func hugeValuesDoNotTrap() {
        #expect(!Formatting.fixed(1e19, decimals: 2).isEmpty)
        #expect(!Formatting.significant(1e300).isEmpty)
        #expect(Formatting.significant(1e-30) == "0")
        #expect(Formatting.significant(3.2e-9) == "0.00000000320")
        #expect(Formatting.fixed(1.5, decimals: 40) == "1.500000000000000")
    }
}

@Suite("Size labels")
struct SizeLabelTests {
    @Test func roundSizesStayExactOthersRound() {
        #expect(Formatting.sizeLabel(64_000) == "64KB")
        #expect(Formatting.sizeLabel(1 << 20) == "1MiB")
        #expect(Formatting.sizeLabel(207_724) == "208 KB")
        #expect(Formatting.sizeLabel(512) == "512B")
    }
}
