import CPlatform
#if canImport(Glibc)
import Glibc
#endif

/// TCP on 127.0.0.1: the few socket calls the network calibration needs, each returning a plain descriptor that
/// `DescriptorIO` reads and writes (so `EINTR` is retried in one place) and `DescriptorIO.close` closes.
///
/// Every descriptor is close-on-exec, so a connection or a listening port never leaks into a child spawned
/// meanwhile: a leaked copy would keep a connection open after its owner closed it, and the reader would never see
/// end of file.
public enum LoopbackSocket {
    /// 127.0.0.1 in host byte order.
    static let loopbackAddress: UInt32 = 0x7F00_0001

    /// A socket listening on 127.0.0.1 at a port the kernel picks, and that port.
    ///
    /// The corresponding C functions are `socket`, `bind`, `listen` and `getsockname`.
    /// - Parameter backlog: connections the kernel completes before they are accepted.
    public static func listen(backlog: Int32 = 8) throws(DescriptorError) -> (fd: Int32, port: UInt16) {
        var fd = try socket()
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            let code = errno
            DescriptorIO.close(&fd)
            throw .system(call: "bind 127.0.0.1", errno: code)
        }
        if Glibc.listen(fd, backlog) != 0 {
            let code = errno
            DescriptorIO.close(&fd)
            throw .system(call: "listen", errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        if named != 0 {
            let code = errno
            DescriptorIO.close(&fd)
            throw .system(call: "getsockname", errno: code)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// The next connection on `listener`, waiting at most until `deadline` (`.timedOut` then; `.interrupted` once a
    /// stop signal is older than `StopSignals.graceSeconds`).
    ///
    /// The corresponding C function is `accept4` with `SOCK_CLOEXEC`.
    public static func accept(_ listener: Int32, deadline: Deadline) throws(DescriptorError) -> Int32 {
        while true {
            try DescriptorIO.waitReadable(listener, deadline: deadline)
            let fd = pl_accept_cloexec(listener)
            if fd >= 0 { return fd }
            // The connection may have gone before it was taken (ECONNABORTED), or a signal came: wait again.
            if -fd == EINTR || -fd == EAGAIN || -fd == ECONNABORTED { continue }
            throw .system(call: "accept", errno: -fd)
        }
    }

    /// A connection to 127.0.0.1:`port`.
    ///
    /// On loopback the kernel completes the handshake within the call, or refuses it at once (`ECONNREFUSED` when
    /// nothing listens). A signal during the call leaves the connection completing in the background: it is then
    /// awaited until `deadline` and its outcome read from `SO_ERROR`.
    ///
    /// The corresponding C functions are `socket` and `connect`.
    public static func connect(port: UInt16, deadline: Deadline) throws(DescriptorError) -> Int32 {
        var fd = try socket()
        var address = loopback(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc != 0 else { return fd }
        var code = errno
        if code == EINTR {
            do throws(DescriptorError) {
                try DescriptorIO.waitWritable(fd, deadline: deadline)
            } catch {
                DescriptorIO.close(&fd)
                throw error
            }
            code = pendingError(fd)
            if code == 0 { return fd }
        }
        DescriptorIO.close(&fd)
        throw .system(call: "connect 127.0.0.1:\(port)", errno: code)
    }

    /// Sends each write at once instead of coalescing small ones (Nagle's algorithm off): a ping-pong of small
    /// messages then measures the round trip, not the 40 ms delayed-acknowledgement timer.
    ///
    /// The corresponding C function is `setsockopt` with `TCP_NODELAY`.
    public static func setNoDelay(_ fd: Int32) throws(DescriptorError) {
        var on: Int32 = 1
        let rc = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        if rc != 0 { throw .system(call: "setsockopt(TCP_NODELAY)", errno: errno) }
    }

    /// Ends this side's sending: the peer reads end of file while this side can still read its answer. Unlike
    /// `close`, it takes effect even if another process holds a copy of the descriptor.
    ///
    /// The corresponding C function is `shutdown` with `SHUT_WR`.
    public static func shutdownWrite(_ fd: Int32) throws(DescriptorError) {
        if Glibc.shutdown(fd, Int32(SHUT_WR)) != 0 { throw .system(call: "shutdown", errno: errno) }
    }

    /// The port `fd` is bound to; nil when it cannot be read.
    public static func localPort(_ fd: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return rc == 0 ? UInt16(bigEndian: address.sin_port) : nil
    }

    /// A close-on-exec TCP socket.
    static func socket() throws(DescriptorError) -> Int32 {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .system(call: "socket", errno: errno) }
        return fd
    }

    /// 127.0.0.1:`port` as a socket address.
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: loopbackAddress.bigEndian)
        return address
    }

    /// The error of a connection that completed in the background (`SO_ERROR`), 0 when it succeeded.
    static func pendingError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else { return errno }
        return code
    }
}
