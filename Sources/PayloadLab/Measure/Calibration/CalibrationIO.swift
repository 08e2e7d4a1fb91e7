import CPlatform
import Glibc

/// Raw descriptor I/O for the calibration: plain `read`/`write` system calls, `EINTR` retried here and nowhere
/// else, short writes looped. No Foundation on these paths, so the figures are the kernel's, not a wrapper's.
enum CalibrationIO {
    /// Writes all `count` bytes, looping over short writes. Returns 0, or the `errno` of the failing write.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int32 {
        var done = 0
        while done < count {
            let n = Glibc.write(fd, buffer + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return 0
    }

    /// Writes the UTF-8 bytes of `text`. Returns 0 or an `errno`.
    static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { writeAll(fd, $0.baseAddress!, $0.count) }
    }

    /// One `read` with `EINTR` retried. Returns the byte count (0 at end of file) or `-errno`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 { return n }
            if errno != EINTR { return -Int(errno) }
        }
    }

    /// Reads until end of file, at most `limit` bytes (a guard against a runaway writer).
    static func readToEnd(_ fd: Int32, limit: Int = 1 << 16) throws(CalibrationError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { throw .systemCallFailed(call: "read", errno: Int32(-n)) }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Closes `fd` if it is open and marks it closed (-1), so a `defer` can close whatever is still open.
    static func close(_ fd: inout Int32) {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    /// A close-on-exec pipe as (read end, write end).
    static func pipe() throws(CalibrationError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let rc = fds.withUnsafeMutableBufferPointer { pl_pipe_cloexec($0.baseAddress!) }
        if rc != 0 { throw .systemCallFailed(call: "pipe2", errno: rc) }
        return (fds[0], fds[1])
    }
}
