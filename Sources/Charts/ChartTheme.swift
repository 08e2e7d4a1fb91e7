import Foundation

/// The look shared by all charts: an opaque light panel with dark text, so a chart reads the same on a light or a
/// dark page (GitHub shows markdown images on either), plus sizes for text and spacing.
enum ChartTheme {
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"

    static let background = "#ffffff"
    static let border = "#d0d7de"
    static let text = "#1f2328"
    static let mutedText = "#57606a"
    static let axis = "#8c959f"
    static let grid = "#e6e9ed"
    static let minorGrid = "#f3f4f6"
    static let emptyCell = "#f6f8fa"

    static let titleSize = 16.0
    static let labelSize = 12.0
    static let tickSize = 11.0
    static let smallSize = 10.0

    /// Space between the panel edge and anything drawn on it.
    static let padding = 16.0
    /// Height reserved for one line of legend.
    static let legendRowHeight = 18.0

    /// Black or white, whichever has the higher WCAG contrast against `fill` (`#rrggbb`); dark text when unknown.
    static func textColor(on fill: String) -> String {
        guard let luminance = relativeLuminance(fill) else { return text }
        let contrastWithWhite = 1.05 / (luminance + 0.05)
        let contrastWithDark = (luminance + 0.05) / 0.05
        return contrastWithWhite > contrastWithDark ? "#ffffff" : "#000000"
    }

    /// WCAG relative luminance of a `#rrggbb` colour, or nil if `color` is not in that form.
    static func relativeLuminance(_ color: String) -> Double? {
        let digits = Array(color.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
        var channels: [Double] = []
        for index in stride(from: 1, to: 7, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            let srgb = Double(high * 16 + low) / 255
            channels.append(srgb <= 0.03928 ? srgb / 12.92 : pow((srgb + 0.055) / 1.055, 2.4))
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }

    private static func hexValue(_ digit: UInt8) -> Int? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(digit - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(digit - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(digit - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
