import Testing
@testable import Units

/// A sentence quoted inside another drops its own period, so no message reads ".;" or "..".
struct SentenceTests {
    @Test(arguments: [
        ("Cannot write 'x' (No space left on device); check the free space and try again.", "Cannot write 'x' (No space left on device); check the free space and try again"),
        ("Interrupted.", "Interrupted"),
        ("No period", "No period"),
        ("Two periods.. ", "Two periods"),
        ("An ellipsis…", "An ellipsis…"),
        ("Dots...", "Dots..."),
        ("", ""),
    ])
    func clauseDropsTheClosingPeriod(text: String, clause: String) {
        #expect(Sentence.clause(text) == clause)
    }
}
