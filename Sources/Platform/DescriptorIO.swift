import CPlatform
#if canImport(Glibc)
import Glibc
#endif
import Units

/// Reads and writes on raw file descriptors: the one place that retries `EINTR` and loops over short transfers.
/// No Foundation on these paths, so measured figures are the kernel's, not a wrapper's.
public enum DescriptorIO {
    /// The largest single `write` issued; pipes move fastest with large writes up to the pipe buffer.
    static let chunkBytes = 1 << 20

    /// One `read` with `EINTR` retried. Returns the byte count (0 at end of file).
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(DescriptorError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR && errno != EAGAIN { throw .system(call: "read", errno: errno) }
        }
    }

    /// One `write` with `EINTR` retried. Returns the byte count written.
    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(DescriptorError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.write(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw .system(call: "write", errno: errno) }
        }
    }

    /// Writes every byte of `buffer`, looping over short writes.
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(DescriptorError) {
        var offset = 0
        while offset < buffer.count {
            let end = min(buffer.count, offset + chunkBytes)
            offset += try write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset..<end]))
        }
    }

    /// The most iovecs one `writev` takes (`IOV_MAX`; Linux's is 1024).
    static let maximumVectors: Int = {
        let limit = sysconf(Int32(_SC_UIO_MAXIOV))
        return limit > 0 ? Int(limit) : 1024
    }()

    /// Writes every byte of `parts`, one after another, with gather writes: a header and a body that live apart go
    /// out without being copied next to each other first.
    ///
    /// Loops over short writes, which can end anywhere (inside a part, or on a part's boundary), retries `EINTR`,
    /// waits for room on a non-blocking `fd` that answers `EAGAIN` (without a deadline: use `writeAll(_:_:deadline:)`
    /// where a reader may stop), and passes at most `IOV_MAX` parts to one call. Empty parts are skipped.
    ///
    /// The corresponding C function is `writev`.
    public static func writevAll(_ fd: Int32, _ parts: [UnsafeRawBufferPointer]) throws(DescriptorError) {
        try writevAll(fd, parts, maximumVectors: maximumVectors) { fd, vectors, count in Glibc.writev(fd, vectors, count) }
    }

    /// `writevAll` over any `writev`-like `call` (tests inject short writes and `EINTR` through it).
    static func writevAll(
        _ fd: Int32, _ parts: [UnsafeRawBufferPointer], maximumVectors: Int,
        call: (Int32, UnsafePointer<iovec>, Int32) -> Int
    ) throws(DescriptorError) {
        var vectors: [iovec] = []
        vectors.reserveCapacity(parts.count)
        var total = 0
        for part in parts {
            guard let base = part.baseAddress, part.count > 0 else { continue }
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: part.count))
            total += part.count
        }
        var first = 0
        var done = 0
        while first < vectors.count {
            let count = min(vectors.count - first, max(1, maximumVectors))
            let n = vectors.withUnsafeBufferPointer { call(fd, $0.baseAddress! + first, Int32(count)) }
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN: try waitWritable(fd, deadline: nil)
                case let code: throw .system(call: "writev", errno: code)
                }
                continue
            }
            // A regular file or pipe never takes nothing from a non-empty write; looping on it would spin.
            if n == 0 { throw .closed(expected: total, got: done) }
            done += n
            // Step past the parts written whole, then into the one the write ended in.
            var remaining = n
            while remaining > 0, first < vectors.count {
                let length = vectors[first].iov_len
                if remaining >= length {
                    remaining -= length
                    first += 1
                } else {
                    vectors[first].iov_base = vectors[first].iov_base! + remaining
                    vectors[first].iov_len = length - remaining
                    remaining = 0
                }
            }
        }
    }

    /// Writes the UTF-8 bytes of `text`.
    public static func writeAll(_ fd: Int32, _ text: String) throws(DescriptorError) {
        var failure: DescriptorError?
        Array(text.utf8).withUnsafeBytes { raw in
            do throws(DescriptorError) { try writeAll(fd, raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads exactly `buffer.count` bytes, or throws `.closed` on end of file and `.timedOut` past `deadline`
    /// (nil waits forever).
    public static func readExactly(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline? = nil
    ) throws(DescriptorError) {
        var done = 0
        while done < buffer.count {
            if let deadline { try waitReadable(fd, deadline: deadline) }
            let end = min(buffer.count, done + chunkBytes)
            let n = try read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<end]))
            if n == 0 { throw .closed(expected: buffer.count, got: done) }
            done += n
        }
    }

    /// Reads until end of file, at most `limit` bytes (a guard against a runaway writer).
    public static func readToEnd(_ fd: Int32, limit: Int = 1 << 20) throws(DescriptorError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while result.count < limit {
            var failure: DescriptorError?
            let n = chunk.withUnsafeMutableBytes { raw -> Int in
                do throws(DescriptorError) { return try read(fd, into: raw) } catch { failure = error; return 0 }
            }
            if let failure { throw failure }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// A small text file (procfs, sysfs) read whole; nil if it cannot be opened or read.
    public static func readTextFile(_ path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        guard let bytes = try? readToEnd(fd, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A close-on-exec pipe as (read end, write end).
    public static func pipe() throws(DescriptorError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let rc = fds.withUnsafeMutableBufferPointer { pl_pipe_cloexec($0.baseAddress!) }
        if rc != 0 { throw .system(call: "pipe2", errno: rc) }
        return (fds[0], fds[1])
    }

    /// Closes `fd` if it is open and marks it closed (-1), so a `defer` can close whatever is still open.
    public static func close(_ fd: inout Int32) {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// Blocks until `fd` is readable (or closed), or throws `.timedOut` at `deadline`, or `.interrupted` once a stop
    /// signal is older than `StopSignals.graceSeconds`.
    public static func waitReadable(_ fd: Int32, deadline: Deadline) throws(DescriptorError) {
        try wait(fd, events: Int16(POLLIN), deadline: deadline)
    }

    /// Blocks until `fd` is writable, or throws as `waitReadable` does.
    public static func waitWritable(_ fd: Int32, deadline: Deadline?) throws(DescriptorError) {
        try wait(fd, events: Int16(POLLOUT), deadline: deadline)
    }

    /// The longest single `poll`: waits are sliced so a stop signal is noticed while nothing moves.
    static let sliceMilliseconds: Int64 = 100

    /// Polls `fd` for `events` in slices, checking `deadline` and stop signals between them.
    static func wait(_ fd: Int32, events: Int16, deadline: Deadline?) throws(DescriptorError) {
        while true {
            let now = MonotonicClock.now()
            if let deadline, now >= deadline.instant { throw .timedOut(seconds: deadline.seconds) }
            if StopSignals.graceExpired(now: now) { throw .interrupted }
            var sliceMs = sliceMilliseconds
            if let deadline {
                sliceMs = min(sliceMs, Int64((deadline.instant - now + 999_999) / 1_000_000))
            }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&pfd, 1, Int32(max(1, sliceMs)))
            if r < 0 {
                if errno == EINTR { continue }
                throw .system(call: "poll", errno: errno)
            }
            if r > 0 { return }
        }
    }

    /// Makes `fd` non-blocking (O_NONBLOCK), so a write takes only what fits and `writeAll(_:_:deadline:)` can wait
    /// for room with a deadline.
    public static func setNonBlocking(_ fd: Int32) throws(DescriptorError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .system(call: "fcntl", errno: errno)
        }
    }

    /// Writes every byte of `buffer` to a non-blocking `fd`, waiting for room with `poll(POLLOUT)`; throws
    /// `.timedOut` once `deadline` passes (nil: no deadline) and `.interrupted` once a stop signal is older than
    /// `StopSignals.graceSeconds`. On a blocking `fd` a single write can still block: use `setNonBlocking` first.
    public static func writeAll(
        _ fd: Int32, _ buffer: UnsafeRawBufferPointer, deadline: Deadline?
    ) throws(DescriptorError) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let count = min(buffer.count - offset, chunkBytes)
            let n = Glibc.write(fd, base + offset, count)
            if n >= 0 {
                offset += n
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN: try waitWritable(fd, deadline: deadline)
            case let code: throw .system(call: "write", errno: code)
            }
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
        self.instant = MonotonicClock.now() &+ UInt64(clampingFinite: min(seconds, 1e9) * 1e9)
    }
}
