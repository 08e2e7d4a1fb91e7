import Testing
import TestSupport
@testable import Units
@testable import Results

extension Integration {
    @Suite("Units: HeapPolicy")
    struct HeapPolicyTests {
        /// glibc refuses an mmap threshold above half its thread-heap size (32 MiB here): a larger constant would
        /// silently leave the adaptive policy in place.
        @Test func glibcAcceptsThePolicy() {
            #expect(HeapPolicy.mmapThresholdBytes <= CopyCostCurve.freshMappingBytes)
            #expect(HeapPolicy.apply())
        }
    }
}
