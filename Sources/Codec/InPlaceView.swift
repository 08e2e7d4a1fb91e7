import Payload

/// A payload read where its encoding lies, without building objects: what a worker verifies, works on and writes
/// to disk when its codec allows it (`RawView` for blob and numeric, `FlatRecordsView` for records).
public protocol InPlaceView {
    /// The same checksum `Payload.checksum` gives the decoded payload, computed over the bytes in place.
    var checksum: UInt64 { get }
    /// The whole encoding, header included: what reserialize would produce, since nothing changed.
    var encoded: UnsafeRawBufferPointer { get }
}

/// A codec whose encoding can be used in place through a checked view.
public protocol InPlaceReadable: Codec {
    /// Checks `bytes` and returns a view borrowing them; throws `CodecError` for anything out of place.
    func view(_ bytes: UnsafeRawBufferPointer) throws -> any InPlaceView
}

extension RawView: InPlaceView {}

extension RawCodec: InPlaceReadable {
    public func view(_ bytes: UnsafeRawBufferPointer) throws -> any InPlaceView { try RawView(bytes) }
}

extension FlatRecordsView: InPlaceView {}

extension FlatCodec: InPlaceReadable {
    public func view(_ bytes: UnsafeRawBufferPointer) throws -> any InPlaceView { try FlatRecordsView(bytes) }
}
