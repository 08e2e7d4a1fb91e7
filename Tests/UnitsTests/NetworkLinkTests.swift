import Testing
@testable import Units

@Suite("Units: network links")
struct NetworkLinkTests {
    @Test(arguments: [
        ("10Gbit,200us", 10e9, 200e-6),
        ("25Gbit,100us", 25e9, 100e-6),
        ("25Gbit/s, 0.1ms", 25e9, 100e-6),
        ("100Mbps,1ms", 100e6, 1e-3),
        ("100mbit,1ms", 100e6, 1e-3),
        ("1Gb/s,50ns", 1e9, 50e-9),
        ("1GB/s,200us", 8e9, 200e-6),
        ("1GiB/s,200us", 8_589_934_592.0, 200e-6),
        ("800MB,2s", 6.4e9, 2.0),
        ("2.5Gbit,1.5ms", 2.5e9, 1.5e-3),
        ("1Tbit,0us", 1e12, 0.0),
        (" 40Gbit , 20µs ", 40e9, 20e-6),
    ])
    func parsesBandwidthAndLatency(text: String, bits: Double, seconds: Double) throws {
        let link = try NetworkLink(parsing: text)
        #expect(abs(link.bitsPerSecond / bits - 1) < 1e-12, "\(text): \(link.bitsPerSecond)")
        #expect(abs(link.latencySeconds - seconds) <= 1e-15, "\(text): \(link.latencySeconds)")
    }

    @Test(arguments: ["10Gbit,200us", "25Gbit,100us", "2.5Gbit,1.5ms", "100Mbit,50ns", "8Gbit,2s", "1Tbit,0us", "1.25Kbit,10ms"])
    func descriptionRoundTripsExactly(text: String) throws {
        let link = try NetworkLink(parsing: text)
        #expect(link.description == text)
        #expect(try NetworkLink(parsing: link.description) == link)
    }

    @Test(arguments: ["1GB/s,200us", "1GiB/s,0.2ms", "100Mbps,1ms", "40Gbit/s,20µs", "3.3333Gbit,333.3us"])
    func descriptionReadsBackToTheSameLink(text: String) throws {
        let link = try NetworkLink(parsing: text)
        let again = try NetworkLink(parsing: link.description)
        #expect(abs(again.bitsPerSecond / link.bitsPerSecond - 1) < 1e-12)
        #expect(abs(again.latencySeconds - link.latencySeconds) < 1e-15)
    }

    @Test func bytesAndBitsDiffer() throws {
        #expect(try NetworkLink(parsing: "1GB/s,1ms").bitsPerSecond == 8 * NetworkLink(parsing: "1Gb/s,1ms").bitsPerSecond)
        #expect(try NetworkLink(parsing: "1GB/s,1ms").bytesPerSecond == 1e9)
    }

    @Test func transferIsLatencyPlusBytesOverBandwidth() throws {
        let link = try NetworkLink(parsing: "8Gbit,100us")
        #expect(abs(link.transferSeconds(bytes: 1e9) - 1.0001) < 1e-12)
        #expect(link.transferSeconds(bytes: 0) == 100e-6)
    }

    @Test func labelIsForPeople() throws {
        #expect(try NetworkLink(parsing: "25Gbit,100us").label == "25.0 Gbit/s, 100 µs")
        #expect(try NetworkLink(parsing: "1GB/s,0.5ms").label == "8.00 Gbit/s, 500 µs")
    }

    @Test(arguments: [
        ("", NetworkLinkError.empty),
        ("  ", .empty),
        ("10Gbit", .notTwoParts("10Gbit")),
        ("10Gbit,200us,5", .notTwoParts("10Gbit,200us,5")),
        ("10G,200us", .badBandwidth("10G")),
        ("10,200us", .badBandwidth("10")),
        ("fast,200us", .badBandwidth("fast")),
        ("-10Gbit,200us", .badBandwidth("-10Gbit")),
        ("0Gbit,200us", .badBandwidth("0Gbit")),
        ("1.2.3Gbit,200us", .badBandwidth("1.2.3Gbit")),
        ("10Gibit,200us", .badBandwidth("10Gibit")),
        (",200us", .badBandwidth("")),
        ("100Tbit,200us", .bandwidthOutOfRange("100Tbit")),
        ("10bit,200us", .bandwidthOutOfRange("10bit")),
        ("10Gbit,200", .badLatency("200")),
        ("10Gbit,200 parsecs", .badLatency("200 parsecs")),
        ("10Gbit,-1ms", .badLatency("-1ms")),
        ("10Gbit,", .badLatency("")),
        ("10Gbit,11s", .latencyOutOfRange("11s")),
    ])
    func rejectsBadInputNamingThePart(text: String, error: NetworkLinkError) {
        #expect(throws: error) { try NetworkLink(parsing: text) }
    }

    @Test func everyErrorIsOneSentenceWithAnExample() {
        let errors: [NetworkLinkError] = [
            .empty, .notTwoParts("x"), .badBandwidth("x"), .bandwidthOutOfRange("x"), .badLatency("x"),
            .latencyOutOfRange("x"),
        ]
        for error in errors {
            let text = error.description
            #expect(text.hasSuffix("."), "\(text)")
            #expect(text.contains(";"), "no remedy: \(text)")
            #expect(!text.dropLast().contains(". "), "more than one sentence: \(text)")
            #expect(text.contains("such as"), "no example: \(text)")
        }
    }
}
