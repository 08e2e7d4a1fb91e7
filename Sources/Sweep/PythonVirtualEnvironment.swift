#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform

/// The checkout's `.venv`, made by `make python-deps` with Dask's `distributed` in it.
public enum PythonVirtualEnvironment {
    /// The interpreter inside a virtual environment, relative to the directory holding `.venv`.
    public static let interpreterPath = ".venv/bin/python3"

    /// `.venv/bin/python3` of the current directory, or of the checkout the running executable was built in
    /// (`<checkout>/.build/<triple>/<configuration>/payloadlab`); nil when neither has one.
    public static func interpreter(
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String? = ExecutableLocator.payloadlab() ?? ExecutableLocator.current()
    ) -> String? {
        var directories = [currentDirectory]
        if let executable {
            var directory = (executable as NSString).resolvingSymlinksInPath
            for _ in 0..<5 {
                directory = (directory as NSString).deletingLastPathComponent
                if directory.isEmpty || directory == "/" { break }
                directories.append(directory)
            }
        }
        for directory in directories {
            let candidate = "\(directory)/\(interpreterPath)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Whether `text` reads as a scheduler address, `tcp://HOST:PORT` (or `tls://`).
    public static func isSchedulerAddress(_ text: String) -> Bool {
        schedulerHostAndPort(text) != nil
    }

    /// The host and port of a scheduler address (`tcp://HOST:PORT` or `tls://HOST:PORT`); nil when it is not one.
    public static func schedulerHostAndPort(_ text: String) -> (host: String, port: Int)? {
        let schemes = ["tcp://", "tls://"]
        guard let scheme = schemes.first(where: text.hasPrefix) else { return nil }
        let rest = text.dropFirst(scheme.count)
        guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex,
              let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port)
        else { return nil }
        let host = rest[..<colon]
        return host.contains(where: { $0 == "/" || $0 == " " }) ? nil : (String(host), port)
    }
}
