#if canImport(Glibc)
import Glibc
#endif

/// Whole-buffer reads and writes on raw file descriptors, with EINTR retried in one place and optional deadlines.
public enum DescriptorIO {
    /// The largest single `write` issued; pipes move fastest with large writes up to the pipe buffer.
    static let chunkBytes = 1 << 20

    /// Writes every byte of `buffer`, looping over short writes.
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(TransportError) {
        guard var base = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let n = write(fd, base, min(remaining, chunkBytes))
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(call: "write", errno: errno)
            }
            base += n
            remaining -= n
        }
    }

    /// Reads exactly `buffer.count` bytes, or throws `.closed` on end of file and `.timedOut` past `deadline`
    /// (nil waits forever).
    public static func readExactly(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline? = nil
    ) throws(TransportError) {
        guard let start = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            if let deadline { try waitReadable(fd, deadline: deadline) }
            let n = read(fd, start + done, min(buffer.count - done, chunkBytes))
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .system(call: "read", errno: errno)
            }
            if n == 0 { throw .closed(expected: buffer.count, got: done) }
            done += n
        }
    }

    /// Blocks until `fd` is readable (or closed), or throws `.timedOut` at `deadline`.
    static func waitReadable(_ fd: Int32, deadline: Deadline) throws(TransportError) {
        while true {
            let now = MonotonicClock.now()
            guard now < deadline.instant else {
                throw .timedOut(seconds: deadline.seconds)
            }
            let remainingMs = Int32(clamping: (deadline.instant - now + 999_999) / 1_000_000)
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, remainingMs)
            if r < 0 {
                if errno == EINTR { continue }
                throw .system(call: "poll", errno: errno)
            }
            if r > 0 { return }
        }
    }
}

/// A point on CLOCK_MONOTONIC after which a wait gives up, with the timeout it came from (for the message).
public struct Deadline: Sendable, Equatable {
    public var instant: UInt64
    public var seconds: Double

    /// `seconds` from now.
    public init(secondsFromNow seconds: Double) {
        self.seconds = seconds
        self.instant = MonotonicClock.now() &+ UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }
}
