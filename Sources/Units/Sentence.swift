/// Sentences embedded in other sentences.
///
/// Every error renders as one sentence ending in a period; a sentence that quotes another one ("could not save the
/// result (…); …") must drop that period first, or the user reads ".;" and "..".
public enum Sentence {
    /// `text` without its trailing period(s) and whitespace, ready to sit before a ";", ")" or ".".
    /// An ellipsis ("…") is kept: it is part of the text, not the sentence's end.
    public static func clause(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last == "." || last.isWhitespace {
            // "..." written as three periods is an ellipsis too; keep it.
            if result.hasSuffix("...") { break }
            result = result.dropLast()
        }
        return String(result)
    }

    /// The text of `error` as a clause (its `description` without the closing period).
    public static func clause(_ error: any Error) -> String {
        clause("\(error)")
    }
}
