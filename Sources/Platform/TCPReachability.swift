#if canImport(Glibc)
import Glibc
#endif
import Units

/// Whether anything accepts a TCP connection at a host and port: one connect per resolved address, each given up
/// after a deadline. Used before work that would otherwise wait minutes on a peer that is not there (a mistyped
/// Dask scheduler: Dask's own client retries a refused connection until its timeout).
public enum TCPReachability {
    /// Why nothing accepted a connection to `host`:`port` within `timeoutSeconds` per address, in words; nil when a
    /// connection was made (and closed at once). `host` is a name or an address, an IPv6 one with or without
    /// brackets.
    ///
    /// The corresponding C functions are `getaddrinfo`, `socket`, `connect` and `poll`.
    public static func failure(host: String, port: Int, timeoutSeconds: Double) -> String? {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return "\(name) does not resolve: \(String(cString: gai_strerror(status)))"
        }
        defer { freeaddrinfo(list) }
        var reason = "\(name) has no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(
                info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
                info.pointee.ai_protocol)
            guard fd >= 0 else {
                reason = String(cString: strerror(errno))
                continue
            }
            defer { close(fd) }
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return nil }
            guard errno == EINPROGRESS else {
                reason = String(cString: strerror(errno))
                continue
            }
            do throws(DescriptorError) {
                try DescriptorIO.waitWritable(fd, deadline: Deadline(secondsFromNow: timeoutSeconds))
            } catch .timedOut {
                reason = "no answer within \(Formatting.seconds(timeoutSeconds))"
                continue
            } catch {
                reason = error.description
                continue
            }
            let code = LoopbackSocket.pendingError(fd)
            if code == 0 { return nil }
            reason = String(cString: strerror(code))
        }
        return reason
    }
}
