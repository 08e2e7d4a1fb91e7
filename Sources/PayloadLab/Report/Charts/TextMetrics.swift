/// Estimated text widths for layout. SVG has no way to measure text before it is drawn, so charts reserve space
/// from per-character widths close to common sans-serif fonts (slightly generous, so labels do not collide).
enum TextMetrics {
    /// The approximate width of `text` drawn at `size` points.
    static func width(_ text: String, size: Double) -> Double {
        var ems = 0.0
        for character in text {
            ems += emWidth(character)
        }
        return ems * size
    }

    /// `text` shortened with a trailing ellipsis so it fits in `maxWidth`, or unchanged if it already fits.
    static func truncate(_ text: String, size: Double, maxWidth: Double) -> String {
        guard width(text, size: size) > maxWidth else { return text }
        var kept = ""
        var used = width("…", size: size)
        for character in text {
            let next = emWidth(character) * size
            if used + next > maxWidth { break }
            kept.append(character)
            used += next
        }
        return kept.isEmpty ? "" : kept + "…"
    }

    private static func emWidth(_ character: Character) -> Double {
        switch character {
        case "i", "j", "l", "I", "'", "|", ".", ",", ":", ";", "!": 0.30
        case " ", "f", "t", "r", "(", ")", "[", "]", "-", "/": 0.38
        case "m", "w", "M", "W", "%", "@": 0.90
        case "0"..."9", "×", "µ": 0.60
        case "A"..."Z": 0.70
        default: 0.58
        }
    }
}
