import Results
import Payload
/// Where a sweep is, for progress display.
public struct SweepProgress: Sendable {
    public enum Event: Sendable {
        case generating(shape: PayloadShape, sizeBytes: Int)
        /// Timing Dask's own comm before the points (sweeps with Dask pools).
        case measuringDaskComm
        case pointStarted(index: Int, total: Int, label: String)
        case pointFinished(index: Int, total: Int, label: String, point: PointResult)
    }
    public var event: Event
    public var elapsedSeconds: Double
}
