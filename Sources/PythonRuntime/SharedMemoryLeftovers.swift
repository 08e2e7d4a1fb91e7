import Foundation

/// Shared-memory segments a driver names `plab<pid>_…` in /dev/shm; removed after the driver ends, so not even a
/// driver killed with SIGKILL leaves one behind.
public enum SharedMemoryLeftovers {
    public static let directory = "/dev/shm"

    /// The segment names a driver with `ownerPID` would use start with this.
    public static func prefix(ownerPID: Int32) -> String { "plab\(ownerPID)_" }

    /// Removes every segment of the driver `ownerPID`; returns how many there were.
    @discardableResult
    public static func remove(ownerPID: Int32) -> Int {
        let prefix = prefix(ownerPID: ownerPID)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let mine = names.filter { $0.hasPrefix(prefix) }
        for name in mine { unlink("\(directory)/\(name)") }
        return mine.count
    }
}
