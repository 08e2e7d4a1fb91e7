#if canImport(Glibc)
import Glibc
#endif

/// This process's id.
func getpidValue() -> Int32 { getpid() }
