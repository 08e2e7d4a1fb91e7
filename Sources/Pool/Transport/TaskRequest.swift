/// The metadata of a `task` frame: which task, what the worker must find when it decodes the body.
public struct TaskRequest: Sendable, Equatable {
    public var taskID: UInt64
    /// The payload's content checksum as the parent computed it.
    public var expectedChecksum: UInt64
    /// CLOCK_MONOTONIC when the parent started writing the frame.
    public var sentAt: UInt64

    public init(taskID: UInt64, expectedChecksum: UInt64, sentAt: UInt64) {
        self.taskID = taskID
        self.expectedChecksum = expectedChecksum
        self.sentAt = sentAt
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 24)
        writer.append(taskID)
        writer.append(expectedChecksum)
        writer.append(sentAt)
        return writer.bytes
    }

    /// The metadata of a `sharedTask` frame: the request, then the payload's length in the segment.
    public func sharedBytes(length: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: 32)
        writer.append(taskID)
        writer.append(expectedChecksum)
        writer.append(sentAt)
        writer.append(UInt64(length))
        return writer.bytes
    }

    /// Parses `sharedTask` metadata: the request and the payload's length in the segment.
    public static func parseShared(_ raw: UnsafeRawBufferPointer, limit: UInt64) throws(TransportError) -> (TaskRequest, Int) {
        guard raw.count == 32 else { throw .malformedMetadata("shared task request of \(raw.count) bytes, expected 32") }
        let request = try TaskRequest(parsing: UnsafeRawBufferPointer(rebasing: raw[0..<24]))
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[24..<32]))
        let length = reader.read(UInt64.self) ?? 0
        guard length <= limit else { throw .frameTooLarge(bytes: length, limit: limit) }
        return (request, Int(length))
    }

    public init(parsing raw: UnsafeRawBufferPointer) throws(TransportError) {
        var reader = ByteReader(raw)
        guard let taskID = reader.read(UInt64.self), let checksum = reader.read(UInt64.self),
              let sentAt = reader.read(UInt64.self), reader.remaining == 0
        else { throw .malformedMetadata("task request of \(raw.count) bytes, expected 24") }
        self.init(taskID: taskID, expectedChecksum: checksum, sentAt: sentAt)
    }
}
