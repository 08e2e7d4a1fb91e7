import Results
import Units

/// The network a cluster of hosts is priced over, and where its figures came from.
///
/// A link the user gave (`--link`) is priced as given; without one, the loopback TCP figures of the sweep's own
/// calibration stand in (the upper bound of a real network); without those either, Dask's own transfer measured on
/// loopback is all there is.
public struct ClusterNetwork: Codable, Sendable, Equatable {
    /// Where the figures came from.
    public enum Source: String, Codable, Sendable {
        /// `--link BANDWIDTH,LATENCY`.
        case given
        /// The calibration's loopback TCP bandwidth and round-trip time.
        case loopbackCalibration
        /// Neither: only Dask's transfer as measured on loopback (the calibration predates the TCP figures).
        case measuredDaskTransfer
    }

    /// The link's bandwidth and latency; nil for `.measuredDaskTransfer`.
    public var link: NetworkLink?
    public var source: Source

    public init(link: NetworkLink?, source: Source) {
        self.link = link
        self.source = source
    }

    /// The link given, else the calibration's loopback TCP, else Dask's own measured transfer.
    public static func resolve(given: NetworkLink?, calibration: Calibration?) -> ClusterNetwork {
        if let given { return ClusterNetwork(link: given, source: .given) }
        if let rate = calibration?.tcpLoopbackBytesPerSecond, rate > 0, let roundTrip = calibration?.tcpRoundTripSeconds {
            return ClusterNetwork(
                link: NetworkLink(bitsPerSecond: rate * 8, latencySeconds: roundTrip), source: .loopbackCalibration)
        }
        return ClusterNetwork(link: nil, source: .measuredDaskTransfer)
    }

    /// How the text output names it: `a 25 Gbit/s, 100 µs link`, `this machine's loopback TCP (…)`.
    public var label: String {
        switch source {
        case .given: return "a \(link?.label ?? "given") link"
        case .loopbackCalibration: return "this machine's loopback TCP (\(link?.label ?? "calibrated"))"
        case .measuredDaskTransfer: return "Dask's own transfer measured on loopback"
        }
    }
}
