import Glibc

/// Finds the payloadlab executable, which is also the worker and helper program (`payloadlab worker`,
/// `payloadlab pipe-sink`).
public enum ExecutableLocator {
    /// The environment variable that names the payloadlab executable explicitly.
    public static let environmentVariable = "PAYLOADLAB_EXECUTABLE"

    /// The executable's file name.
    public static let executableName = "payloadlab"

    /// This process's own executable, from `readlink("/proc/self/exe")` (unlike `CommandLine.arguments[0]`, an
    /// absolute path that does not depend on how the process was started).
    public static func current() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The payloadlab executable to start as a worker or helper:
    /// 1. `$PAYLOADLAB_EXECUTABLE` when set and not empty (returned as given, so a wrong value fails loudly
    ///    where it is used rather than being replaced by a guess);
    /// 2. this process's own executable when it is payloadlab;
    /// 3. the first executable `payloadlab` in `candidates()`: beside this executable or up to three directories
    ///    above it — where `swift build` puts it next to a test bundle (`.build/<triple>/debug/`).
    public static func payloadlab() -> String? {
        if let explicit = getenv(environmentVariable).map({ String(cString: $0) }), !explicit.isEmpty {
            return explicit
        }
        if let current = current(), baseName(current) == executableName {
            return current
        }
        return candidates().first(where: isExecutableFile)
    }

    /// The paths `payloadlab()` tries after the environment variable: `payloadlab` in the directory of this
    /// process's executable and in up to three of its parents.
    public static func candidates() -> [String] {
        guard let current = current() else { return [] }
        var directory = directoryName(current)
        var paths: [String] = []
        for _ in 0..<4 {
            paths.append(directory == "/" ? "/\(executableName)" : "\(directory)/\(executableName)")
            if directory == "/" { break }
            directory = directoryName(directory)
        }
        return paths
    }

    /// True for a regular file this process may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && access(path, X_OK) == 0
    }

    static func baseName(_ path: String) -> Substring {
        path.split(separator: "/", omittingEmptySubsequences: true).last ?? Substring(path)
    }

    static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
