#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform

/// A CPython interpreter that answered the driver's probe: its path, version and multiprocessing start methods.
public struct PythonInterpreter: Sendable, Equatable {
    public var path: String
    public var version: String
    public var startMethods: [String]
    public var defaultStartMethod: String
    public var hasNumpy: Bool
    /// Whether `distributed` (Dask's cluster package) is importable: the Dask pools need it.
    public var hasDistributed: Bool = false

    /// Finds `requested` (a path, or a name looked up on PATH; default `python3`) and probes it with the driver.
    public static func probe(_ requested: String?, driver: String) throws(PythonRuntimeError) -> PythonInterpreter {
        let name = requested ?? "python3"
        guard let path = resolve(name) else { throw .interpreterNotFound(name) }
        let output: ChildOutput
        do {
            output = try ChildOutput.run(path, [driver, "probe"], stdin: nil, timeoutSeconds: 60)
        } catch {
            throw .probeFailed(path: path, detail: "\(error)")
        }
        struct Probe: Decodable {
            var python: String
            var startMethods: [String]
            var defaultStartMethod: String
            var numpy: Bool
            var distributed: Bool?
        }
        guard let line = output.stdout.split(separator: "\n").first,
              let probe = try? JSONDecoder().decode(Probe.self, from: Data(line.utf8))
        else {
            let version = output.stderr.contains("SyntaxError") || output.stderr.contains("invalid syntax")
            if version { throw .interpreterTooOld(path: path, version: "older than 3.9") }
            let detail = output.stderr.split(separator: "\n").last.map(String.init) ?? output.termination.summary
            throw .probeFailed(path: path, detail: detail)
        }
        let parts = probe.python.split(separator: ".").compactMap { Int($0) }
        if parts.count >= 2, (parts[0], parts[1]) < PythonRuntimeError.minimumVersion {
            throw .interpreterTooOld(path: path, version: probe.python)
        }
        return PythonInterpreter(
            path: path, version: probe.python, startMethods: probe.startMethods,
            defaultStartMethod: probe.defaultStartMethod, hasNumpy: probe.numpy,
            hasDistributed: probe.distributed ?? false)
    }

    /// `name` itself when it contains a slash, else the first executable `name` on PATH.
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
