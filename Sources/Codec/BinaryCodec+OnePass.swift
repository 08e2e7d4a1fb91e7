import Payload
import Units

/// Encoding records in one pass: into a reservation estimated from a sample, with the exact two-pass encoding as
/// the fallback when the estimate was short.
///
/// Measuring a records payload reads every record and every tag list's header — as many bytes as the write that
/// follows reads again, a third of a 64 MB encode here. A sample of at most `sampleRecords` records,
/// taken at an even stride, gives the mean record size; the reservation is that mean times the record count, plus
/// an eighth and `slackBytes`. Only the pages the encoding writes are ever touched, so the unused tail costs address
/// space, not memory or page faults. When the records do not fit (a skewed list the sample missed), the partly
/// written buffer is dropped and the payload encoded exactly — correct whatever the list, slower only then.
extension BinaryCodec {
    /// Lists up to this many records are measured exactly: the sample would read as much.
    static let sampleRecords = 1024
    /// Added to every reservation, so a small name's 16-byte store near the end never forces the fallback.
    static let slackBytes = 4096

    /// The body bytes to reserve for `records` in one pass; nil when measuring them all is as cheap, or the estimate
    /// overflows.
    static func estimatedBodyBytes(of records: [Record]) -> Int? {
        let count = records.count
        guard count > sampleRecords else { return nil }
        let stride = count / sampleRecords
        let sampled = records.withUnsafeBufferPointer { buffer in
            var bytes = 0
            var index = 0
            for _ in 0..<sampleRecords {
                bytes &+= BinaryLayout.recordFixedBytes &+ buffer[index].name.utf8.count
                    &+ buffer[index].tags.count &* BinaryLayout.tagBytes
                index &+= stride
            }
            return bytes
        }
        // mean × count × 9/8, in an order that cannot lose the remainder's bytes.
        let (scaled, overflow) = sampled.multipliedReportingOverflow(by: count)
        guard !overflow else { return nil }
        let estimate = scaled / sampleRecords
        let (padded, paddingOverflow) = estimate.addingReportingOverflow(estimate / 8 &+ slackBytes)
        return paddingOverflow ? nil : padded
    }

    /// The encoding of `records` written in one pass into `bodyCapacity` reserved body bytes; nil when they did not fit.
    static func encodeInOnePass(_ records: [Record], bodyCapacity: Int) throws -> [UInt8]? {
        let (capacity, overflow) = bodyCapacity.addingReportingOverflow(BinaryLayout.headerBytes)
        guard !overflow else { return nil }
        var fitted = false
        let encoded = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            HugePages.adviseFresh(base, count: capacity)
            let raw = UnsafeMutableRawPointer(base)
            guard let written = try write(records, to: raw + BinaryLayout.headerBytes, capacity: bodyCapacity) else {
                return
            }
            BinaryLayout.writeHeader(into: raw, shape: .records, elements: records.count, bodyLength: written)
            initialized = BinaryLayout.headerBytes + written
            fitted = true
        }
        return fitted ? encoded : nil
    }
}
