/// One row of a `records` payload.
public struct Record: Codable, Sendable, Hashable {
    public var id: Int64
    public var timestamp: Int64
    public var value: Double
    public var name: String
    public var tags: [Int32]

    public init(id: Int64, timestamp: Int64, value: Double, name: String, tags: [Int32]) {
        self.id = id
        self.timestamp = timestamp
        self.value = value
        self.name = name
        self.tags = tags
    }
}
