import Results
import Payload
import Units
/// The model's winner over a grid of payload sizes (columns) and work per byte (rows), for one shape, codec, lock
/// share and worker count: the data behind the decision map, as a markdown table or a heatmap.
///
/// Work 0 is `none`; any other row is `cpu:<ns per byte>`. `cells[row][column]` is the decision at
/// `rows[row]` and `columns[column]`.
public struct DecisionGrid: Codable, Sendable, Equatable {
    /// One cell: which pool the model expects to win, and by how much.
    public struct Cell: Codable, Sendable, Equatable {
        /// The winning pool; nil when the pools are within `MeasuredComparison.tieMargin` or not both modelled.
        public var winner: PoolKind?
        /// The faster pool, even when the margin is a tie (nil when not both pools are modelled).
        public var faster: PoolKind?
        /// Faster ÷ slower throughput (≥ 1); nil when not both pools are modelled.
        public var margin: Double?

        public init(winner: PoolKind?, faster: PoolKind?, margin: Double?) {
            self.winner = winner
            self.faster = faster
            self.margin = margin
        }

        /// `thread 1.8×`, `process 1.2×`, `≈` within 10 %, `–` when nothing is compared.
        public var label: String {
            guard let margin else { return "–" }
            guard let winner else { return "≈" }
            return "\(winner.label) \(Formatting.ratio(margin))"
        }
    }

    public var shape: PayloadShape
    public var codec: String
    public var workers: Int
    public var gil: Double
    /// Cores of the machine the model describes.
    public var cores: Int
    /// Payload sizes in bytes, ascending.
    public var columns: [Int]
    /// Work in CPU nanoseconds per payload byte (0 = `none`).
    public var rows: [Double]
    /// `cells[row][column]`.
    public var cells: [[Cell]]

    public init(
        shape: PayloadShape, codec: String, workers: Int, gil: Double, cores: Int, columns: [Int], rows: [Double],
        cells: [[Cell]]
    ) {
        self.shape = shape
        self.codec = codec
        self.workers = workers
        self.gil = gil
        self.cores = cores
        self.columns = columns
        self.rows = rows
        self.cells = cells
    }

    /// The work profile of row value `nanosecondsPerByte`: `none` for 0, else `cpu:`.
    public static func work(nanosecondsPerByte: Double) -> WorkProfile {
        nanosecondsPerByte > 0 ? .cpu(nanosecondsPerByte: nanosecondsPerByte) : .none
    }
}
