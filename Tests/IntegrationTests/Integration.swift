import Testing

/// Every suite of this target is nested in this one (`extension Integration { @Suite struct … }`), so the whole
/// target runs one test at a time: these tests start real processes and threads, and on a 2-core machine two of them
/// side by side would crowd each other out. Pure-logic suites live in the per-layer targets and still run in
/// parallel.
@Suite(.serialized)
enum Integration {}
