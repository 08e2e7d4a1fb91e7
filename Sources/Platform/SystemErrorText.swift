#if canImport(Glibc)
import Glibc
#endif

/// The C library's text for an errno value.
public enum SystemErrorText {
    public static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
