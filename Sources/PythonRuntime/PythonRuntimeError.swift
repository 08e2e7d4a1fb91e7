import Units

/// Why the CPython runtime could not measure: the interpreter, the driver or one point.
public enum PythonRuntimeError: Error, Equatable, CustomStringConvertible {
    /// No interpreter at the path given, or none named `python3` on PATH.
    case interpreterNotFound(String)
    /// The interpreter runs but is older than the driver needs.
    case interpreterTooOld(path: String, version: String)
    /// The interpreter did not answer the driver's probe.
    case probeFailed(path: String, detail: String)
    /// The driver file is missing from this installation.
    case driverNotFound(searched: [String])
    /// The Dask module is not beside the driver.
    case daskModuleNotFound(path: String)
    /// The interpreter cannot import `distributed`, which a Dask pool needs.
    case distributedMissing(path: String)
    /// The driver refused or failed a point; `kind` is its own category (badRequest, verify, timeout, …).
    case driverFailed(kind: String, message: String)
    /// The driver said nothing for too long.
    case driverSilent(seconds: Double)
    /// The driver exited without finishing the point.
    case driverExited(status: String, stderr: String)

    /// The oldest CPython the driver runs on.
    public static let minimumVersion = (3, 9)

    public var description: String {
        switch self {
        case .interpreterNotFound(let path):
            return "No Python interpreter at '\(path)'; install python3 (apt-get install python3) or point --python at one."
        case .interpreterTooOld(let path, let version):
            return "'\(path)' is Python \(version), but the driver needs 3.9 or later; point --python at a newer interpreter."
        case .probeFailed(let path, let detail):
            return "'\(path)' did not answer as a Python interpreter (\(detail)); point --python at a working python3."
        case .driverNotFound(let searched):
            return "The Python driver is missing (looked in \(searched.joined(separator: ", "))); reinstall payloadlab or set PAYLOADLAB_PYTHON_DRIVER to payloadlab_driver.py."
        case .daskModuleNotFound(let path):
            return "The Dask pool's module is missing (\(path)); reinstall payloadlab, or keep payloadlab_dask.py beside PAYLOADLAB_PYTHON_DRIVER."
        case .distributedMissing(let path):
            return "--pools dask needs the distributed package, which '\(path)' cannot import; run `make python-deps` in payloadlab's checkout (it creates .venv) and pass --python .venv/bin/python3."
        case .driverFailed(_, let message):
            return message
        case .driverSilent(let seconds):
            return "The Python driver said nothing for \(Int(clampingFinite: seconds)) s; it was stopped. Pass a larger --task-timeout if the tasks are that slow."
        case .driverExited(let status, let stderr):
            let tail = stderr.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return "The Python driver \(status) before finishing the point\(tail)."
        }
    }
}
