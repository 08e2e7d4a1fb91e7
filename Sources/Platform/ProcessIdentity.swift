#if canImport(Glibc)
import Glibc
#endif

/// This process's id.
package func getpidValue() -> Int32 { getpid() }
