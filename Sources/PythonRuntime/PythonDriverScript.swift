#if canImport(Glibc)
import Glibc
#endif
import Platform

/// Where the CPython driver (`payloadlab_driver.py`, standard library only) is installed beside the executable.
///
/// SwiftPM copies it into `payloadlab_PythonRuntime.resources/` next to the binary; a checkout also has it at its
/// source path; `PAYLOADLAB_PYTHON_DRIVER` overrides both.
public enum PythonDriverScript {
    public static let fileName = "payloadlab_driver.py"
    /// The Dask pool's module, which the driver imports from its own directory.
    public static let daskModuleFileName = "payloadlab_dask.py"
    public static let environmentVariable = "PAYLOADLAB_PYTHON_DRIVER"

    /// The places looked at, in order.
    public static func candidates(sourceFile: String = #filePath) -> [String] {
        var paths: [String] = []
        if let explicit = getenv(environmentVariable).map({ String(cString: $0) }), !explicit.isEmpty {
            return [explicit]
        }
        if let executable = ExecutableLocator.payloadlab() ?? ExecutableLocator.current() {
            let directory = String(executable[..<(executable.lastIndex(of: "/") ?? executable.endIndex)])
            paths.append("\(directory)/payloadlab_PythonRuntime.resources/\(fileName)")
        }
        let sourceDirectory = String(sourceFile[..<(sourceFile.lastIndex(of: "/") ?? sourceFile.endIndex)])
        paths.append("\(sourceDirectory)/Resources/\(fileName)")
        return paths
    }

    /// The Dask module beside `driver`, which must be there for a Dask pool.
    public static func locateDaskModule(besides driver: String) throws(PythonRuntimeError) -> String {
        let directory = String(driver[..<(driver.lastIndex(of: "/") ?? driver.startIndex)])
        let path = "\(directory.isEmpty ? "." : directory)/\(daskModuleFileName)"
        guard access(path, R_OK) == 0 else { throw .daskModuleNotFound(path: path) }
        return path
    }

    /// The driver's path.
    public static func locate() throws(PythonRuntimeError) -> String {
        let paths = candidates()
        guard let found = paths.first(where: { access($0, R_OK) == 0 }) else { throw .driverNotFound(searched: paths) }
        return found
    }
}
