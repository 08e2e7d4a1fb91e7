import Platform
import Units
/// One direction-pair of pipes to or from a worker, speaking `WorkerProtocol` frames.
///
/// The receive buffer for frame bodies is allocated once and reused across frames, so after the first transfer
/// the kernel copies into pages that are already mapped. With `HugePages` on, a payload-sized one starts on a 2 MiB
/// boundary and is advised to use huge pages.
public final class FrameChannel {
    public let input: Int32
    public let output: Int32
    /// The largest body `receive` accepts.
    public var bodyLimit: UInt64
    private var body: UnsafeMutableRawBufferPointer
    private var header = [UInt8](repeating: 0, count: WorkerProtocol.headerBytes)

    public init(input: Int32, output: Int32, bodyLimit: UInt64) {
        self.input = input
        self.output = output
        self.bodyLimit = bodyLimit
        self.body = HugePages.allocate(byteCount: 0)
    }

    deinit {
        HugePages.deallocate(body)
    }

    /// The bytes of the receive buffer currently reserved (what a worker holds between tasks).
    public var receiveBufferBytes: Int { body.count }

    /// Sends one frame: header and metadata in one write, then the body straight from the caller's buffer.
    ///
    /// With a `deadline`, the output must be non-blocking (`DescriptorIO.setNonBlocking`): a reader that stopped
    /// reading (a hung or stopped worker) then ends the send with `.timedOut` at the deadline, or `.interrupted`
    /// after a stop signal, instead of blocking in `write` for good. Without one, the send blocks as long as it must.
    /// Throws `TransportError`.
    public func send(
        _ kind: FrameKind, metadata: [UInt8] = [], body: UnsafeRawBufferPointer? = nil, deadline: Deadline? = nil
    ) throws {
        var head = FrameHeader(kind: kind, metadataLength: metadata.count, bodyLength: body?.count ?? 0).bytes
        head.append(contentsOf: metadata)
        let output = self.output
        try TransportError.wrapping {
            if let deadline {
                try head.withUnsafeBytes { raw in try DescriptorIO.writeAll(output, raw, deadline: deadline) }
                if let body, body.count > 0 { try DescriptorIO.writeAll(output, body, deadline: deadline) }
            } else {
                try head.withUnsafeBytes { raw in try DescriptorIO.writeAll(output, raw) }
                if let body, body.count > 0 { try DescriptorIO.writeAll(output, body) }
            }
        }
    }

    /// Receives one frame. The returned body points into the reused receive buffer and stays valid until the next
    /// `receive`.
    /// Throws `TransportError`.
    public func receive(deadline: Deadline? = nil) throws -> ReceivedFrame {
        try TransportError.wrapping {
            try header.withUnsafeMutableBytes { raw in try DescriptorIO.readExactly(input, into: raw, deadline: deadline) }
        }
        let parsed = try header.withUnsafeBytes { raw in
            try FrameHeader.parse(raw, bodyLimit: bodyLimit)
        }
        var metadata = [UInt8](repeating: 0, count: Int(parsed.metadataLength))
        try TransportError.wrapping {
            try metadata.withUnsafeMutableBytes { raw in try DescriptorIO.readExactly(input, into: raw, deadline: deadline) }
        }
        let bodyCount = Int(parsed.bodyLength)
        if bodyCount > body.count {
            HugePages.deallocate(body)
            body = HugePages.allocate(byteCount: bodyCount)
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: body[0..<bodyCount])
        try TransportError.wrapping { try DescriptorIO.readExactly(input, into: target, deadline: deadline) }
        let receivedAt = MonotonicClock.now()
        return ReceivedFrame(
            rawKind: parsed.kind, metadata: metadata, body: UnsafeRawBufferPointer(target), receivedAt: receivedAt)
    }
}

/// A frame as received; `body` borrows the channel's receive buffer.
public struct ReceivedFrame {
    public var rawKind: UInt16
    public var metadata: [UInt8]
    public var body: UnsafeRawBufferPointer
    /// CLOCK_MONOTONIC when the last body byte arrived.
    public var receivedAt: UInt64

    public var kind: FrameKind? { FrameKind(rawValue: rawKind) }

    /// The metadata read as UTF-8 text (failure messages).
    public var text: String { String(decoding: metadata, as: UTF8.self) }

    /// Throws unless this frame is of `kind`; a `failure` frame becomes `.workerFailed` with its message.
    public func expect(_ kind: FrameKind) throws(WorkerFrameError) {
        if self.kind == kind { return }
        if self.kind == .failure { throw .workerReported(text) }
        throw .transport(.unexpectedFrame(kind: rawKind, expected: "\(kind)"))
    }
}

/// A frame that was not the one expected: either the worker said why, or the stream is wrong.
public enum WorkerFrameError: Error, Equatable {
    case workerReported(String)
    case transport(TransportError)
}
