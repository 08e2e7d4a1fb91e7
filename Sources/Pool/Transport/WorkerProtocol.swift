/// The framed protocol between payloadlab and its `payloadlab worker` processes.
///
/// Every frame is a 24-byte little-endian header, then `metadataLength` bytes of metadata, then `bodyLength`
/// bytes of body:
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 4 | magic `PLWP` (0x50574C50) |
/// | 4 | 2 | protocol version (2) |
/// | 6 | 2 | frame kind (`FrameKind`) |
/// | 8 | 4 | metadata length (at most 1 MiB) |
/// | 12 | 4 | reserved, zero |
/// | 16 | 8 | body length (at most the negotiated limit) |
///
/// Any change to these bytes or to a frame's metadata layout is a version bump; `fixtures/protocol/` pins them.
public enum WorkerProtocol {
    public static let magic: UInt32 = 0x5057_4C50
    /// 2: a task report carries the worker's own peak resident memory (version 1 had none, and the parent read
    /// `wait4`'s, which counts the parent's memory).
    public static let version: UInt16 = 2
    public static let headerBytes = 24
    public static let maxMetadataBytes: UInt32 = 1 << 20
    /// The fd numbers a worker reads requests from and writes replies to.
    public static let requestDescriptor: Int32 = 3
    public static let replyDescriptor: Int32 = 4
    /// The fd number of the shared-memory segment a worker of the `shm` transport inherits.
    public static let segmentDescriptor: Int32 = 5
}

/// What a frame carries.
public enum FrameKind: UInt16, Sendable {
    /// parent → worker: a JSON `WorkerConfiguration`.
    case configure = 1
    /// worker → parent: configuration accepted; JSON `WorkerReady`.
    case ready = 2
    /// parent → worker: binary `TaskRequest` metadata; the encoded payload as body.
    case task = 3
    /// worker → parent: binary `TaskReport` metadata.
    case result = 4
    /// worker → parent: a UTF-8 sentence saying why a task or configuration failed.
    case failure = 5
    /// parent → worker: finish and exit 0.
    case shutdown = 6
    /// parent → worker: binary `TaskRequest` metadata followed by the payload's length (u64); the encoded payload
    /// is in the shared segment, not in the frame (the `shm` transport).
    case sharedTask = 7
}

/// A frame header as it travels.
public struct FrameHeader: Sendable, Equatable {
    public var kind: UInt16
    public var metadataLength: UInt32
    public var bodyLength: UInt64

    public init(kind: FrameKind, metadataLength: Int, bodyLength: Int) {
        self.kind = kind.rawValue
        self.metadataLength = UInt32(metadataLength)
        self.bodyLength = UInt64(bodyLength)
    }

    init(rawKind: UInt16, metadataLength: UInt32, bodyLength: UInt64) {
        self.kind = rawKind
        self.metadataLength = metadataLength
        self.bodyLength = bodyLength
    }

    /// The 24 header bytes.
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: WorkerProtocol.headerBytes)
        writer.append(WorkerProtocol.magic)
        writer.append(WorkerProtocol.version)
        writer.append(kind)
        writer.append(metadataLength)
        writer.append(UInt32(0))
        writer.append(bodyLength)
        return writer.bytes
    }

    /// Parses and checks a header: magic, version, and lengths against `bodyLimit`.
    public static func parse(_ raw: UnsafeRawBufferPointer, bodyLimit: UInt64) throws(TransportError) -> FrameHeader {
        var reader = ByteReader(raw)
        guard let magic = reader.read(UInt32.self), let version = reader.read(UInt16.self),
              let kind = reader.read(UInt16.self), let metadataLength = reader.read(UInt32.self),
              reader.read(UInt32.self) != nil, let bodyLength = reader.read(UInt64.self)
        else { throw .closed(expected: WorkerProtocol.headerBytes, got: raw.count) }
        guard magic == WorkerProtocol.magic else { throw .badMagic(magic) }
        guard version == WorkerProtocol.version else { throw .unsupportedVersion(version) }
        guard metadataLength <= WorkerProtocol.maxMetadataBytes else {
            throw .frameTooLarge(bytes: UInt64(metadataLength), limit: UInt64(WorkerProtocol.maxMetadataBytes))
        }
        guard bodyLength <= bodyLimit else { throw .frameTooLarge(bytes: bodyLength, limit: bodyLimit) }
        return FrameHeader(rawKind: kind, metadataLength: metadataLength, bodyLength: bodyLength)
    }
}
