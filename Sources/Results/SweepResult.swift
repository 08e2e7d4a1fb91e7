import Foundation

/// Everything a sweep measured: the environment, the plan, the calibration and every point with its raw samples.
///
/// Written as `<name>.json`; reports, `compare` and `recommend` read it back. `schemaVersion` changes whenever a
/// field changes meaning or disappears; `fixtures/results/` pins the current shape.
public struct SweepResult: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var tool: String
    public var name: String
    /// False when the sweep was interrupted or stopped by a failure: `points` holds what was finished.
    public var complete: Bool
    public var stopReason: String?
    public var environment: Environment
    public var plan: SweepPlan
    /// This machine's limits, measured at the start of the run (nil when skipped with --no-calibrate).
    public var calibration: Calibration?
    /// Dask's own comm on this machine, when the sweep had Dask pools (nil otherwise, and in older results).
    public var daskComm: DaskCommBaseline?
    public var points: [PointResult]
    /// Warnings about the conditions of the run (debug build, busy machine, tmpfs scratch).
    public var warnings: [String]
    public var durationSeconds: Double

    public init(
        name: String, environment: Environment, plan: SweepPlan, calibration: Calibration? = nil,
        points: [PointResult] = [], warnings: [String] = [], complete: Bool = false, stopReason: String? = nil,
        durationSeconds: Double = 0
    ) {
        self.calibration = calibration
        self.schemaVersion = SweepResult.currentSchemaVersion
        self.tool = "payloadlab"
        self.name = name
        self.complete = complete
        self.stopReason = stopReason
        self.environment = environment
        self.plan = plan
        self.points = points
        self.warnings = warnings
        self.durationSeconds = durationSeconds
    }

    /// The JSON text as payloadlab writes it (sorted keys, so files diff cleanly).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a result from the bytes of the file at `path` (named in errors), checking it is a payloadlab result of
    /// this schema version and that every number in it is one a report can use (`validate(path:)`).
    public static func decode(_ data: Data, path: String) throws(ResultFileError) -> SweepResult {
        struct Header: Decodable { var schemaVersion: Int?; var tool: String? }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw .unreadable(path: path, reason: ResultDecodingFailure.reason(for: error, in: data))
        }
        guard header.tool == "payloadlab", let version = header.schemaVersion else {
            throw .unreadable(path: path, reason: "it has no payloadlab schemaVersion")
        }
        guard version == currentSchemaVersion else {
            throw .schema(path: path, found: version, expected: currentSchemaVersion)
        }
        let result: SweepResult
        do {
            result = try JSONDecoder().decode(SweepResult.self, from: data)
        } catch {
            throw .unreadable(path: path, reason: ResultDecodingFailure.reason(for: error, in: data))
        }
        try result.validate(path: path)
        return result
    }
}
