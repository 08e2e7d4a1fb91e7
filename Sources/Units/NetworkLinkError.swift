/// A network link (`--link BANDWIDTH,LATENCY`) that could not be read. Each case renders as one sentence naming
/// the wrong text and an example that works.
public enum NetworkLinkError: Error, Equatable, CustomStringConvertible {
    case empty
    /// Not exactly one comma between a bandwidth and a latency.
    case notTwoParts(String)
    case badBandwidth(String)
    case bandwidthOutOfRange(String)
    case badLatency(String)
    case latencyOutOfRange(String)

    public var description: String {
        switch self {
        case .empty:
            return "The link is empty; give its bandwidth and latency such as 10Gbit,200us."
        case .notTwoParts(let text):
            return "'\(text)' is not a link; give a bandwidth and a latency separated by one comma, such as 10Gbit,200us."
        case .badBandwidth(let text):
            return "'\(text)' is not a bandwidth; give a positive number with a unit, such as 10Gbit, 25Gbit/s, 100Mbps or 1GB/s."
        case .bandwidthOutOfRange(let text):
            return "The bandwidth '\(text)' is outside 1Kbit to 10Tbit a second; give the link's real bandwidth, such as 10Gbit."
        case .badLatency(let text):
            return "'\(text)' is not a latency; give a number with a unit, such as 200us, 0.5ms or 50ns."
        case .latencyOutOfRange(let text):
            return "The latency '\(text)' is above 10s; give the link's round-trip time, such as 200us."
        }
    }
}
