/// Estimated text widths for layout. SVG cannot measure text before it is drawn, so charts reserve space from the
/// advance widths of DejaVu Sans — wider than Helvetica, Arial, Segoe UI and San Francisco, and the usual fallback
/// on Linux — so the estimate errs on the side of room to spare.
enum TextMetrics {
    /// The approximate width of `text` drawn at `size` points; bold text runs about a tenth wider.
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var thousandths = 0
        for scalar in text.unicodeScalars {
            thousandths += advance(scalar)
        }
        return Double(thousandths) / 1000 * size * (bold ? boldFactor : 1)
    }

    /// `text` shortened with a trailing ellipsis so it fits in `maxWidth`; unchanged if it fits, empty if not even
    /// one character and the ellipsis do.
    static func truncate(_ text: String, size: Double, bold: Bool = false, maxWidth: Double) -> String {
        guard width(text, size: size, bold: bold) > maxWidth else { return text }
        let scale = size * (bold ? boldFactor : 1) / 1000
        var kept = ""
        var used = Double(advance("…")) * scale
        for character in text {
            let next = Double(character.unicodeScalars.reduce(0) { $0 + advance($1) }) * scale
            if used + next > maxWidth { break }
            kept.append(character)
            used += next
        }
        return kept.isEmpty ? "" : kept + "…"
    }

    private static let boldFactor = 1.12

    /// Advance width in thousandths of an em.
    private static func advance(_ scalar: Unicode.Scalar) -> Int {
        let value = Int(scalar.value)
        if value >= 32 && value < 127 { return asciiAdvances[value - 32] }
        switch scalar {
        case "µ", "–": return 640
        case "×": return 840
        case "…", "—": return 1000
        default: return value < 0x2E80 ? 700 : 1000  // wide for CJK and beyond
        }
    }

    /// DejaVu Sans advance widths for " " through "~", in thousandths of an em.
    private static let asciiAdvances = [
        317, 400, 459, 837, 636, 950, 779, 274, 390, 390, 500, 837, 317, 360, 317, 336,
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 336, 336, 837, 837, 837, 530,
        1000, 684, 686, 698, 770, 631, 575, 774, 751, 294, 294, 655, 557, 862, 748, 787,
        603, 787, 694, 634, 610, 731, 684, 988, 685, 610, 685, 390, 336, 390, 837, 500,
        500, 612, 634, 549, 634, 615, 352, 634, 633, 277, 277, 579, 277, 974, 633, 611,
        634, 634, 411, 520, 392, 633, 591, 817, 591, 591, 524, 636, 336, 636, 837,
    ]
}
