import Testing
@testable import Units

/// The arithmetic of `HugePages`: which part of a buffer can hold huge pages, and where owned buffers start.
struct HugePagesTests {
    static let page = UInt(HugePages.pageBytes)

    @Test func wholePagesInsideAnUnalignedBuffer() {
        // 16 bytes past a page boundary, 10 MiB long: pages 1…4 are whole, the first and last partial.
        let start = 7 * Self.page + 16
        let range = HugePages.wholePages(start: start, count: 10 << 20)
        #expect(range?.start == 8 * Self.page)
        #expect(range?.count == 4 * HugePages.pageBytes)
    }

    @Test func anAlignedBufferIsAdvisedWhole() {
        let range = HugePages.wholePages(start: 3 * Self.page, count: 6 << 20)
        #expect(range?.start == 3 * Self.page)
        #expect(range?.count == 6 << 20)
    }

    @Test(arguments: [0, 1, 4_096, (2 << 20) - 1, 2 << 20])
    func aBufferHoldingNoWholePageIsLeftAlone(count: Int) {
        // Starting 4 KiB into a page, even 2 MiB holds no whole huge page.
        #expect(HugePages.wholePages(start: 5 * Self.page + 4_096, count: count) == nil)
    }

    @Test func rangesNearTheTopOfTheAddressSpaceDoNotOverflow() {
        #expect(HugePages.wholePages(start: UInt.max - 100, count: 1 << 30) == nil)
    }

    /// Owned buffers start on a 2 MiB boundary with the switch on (and only from 2 MiB), and round-trip through
    /// `deallocate`.
    @Test func ownedBuffersAreAlignedWhenTheSwitchIsOn() {
        let before = HugePages.setEnabled(true)
        defer { HugePages.setEnabled(before) }
        let large = HugePages.allocate(byteCount: 3 << 20)
        #expect(UInt(bitPattern: large.baseAddress) % Self.page == 0)
        #expect(large.count == 3 << 20)
        large.storeBytes(of: 1, toByteOffset: large.count - 1, as: UInt8.self)
        HugePages.deallocate(large)
        let small = HugePages.allocate(byteCount: 100)
        #expect(UInt(bitPattern: small.baseAddress) % 16 == 0)
        HugePages.deallocate(small)
        let empty = HugePages.allocate(byteCount: 0)
        #expect(empty.count == 0)
        HugePages.deallocate(empty)
    }
}
