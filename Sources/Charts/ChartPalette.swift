/// Colours for series, stages and categories from the Okabe–Ito palette, which stays distinguishable under the
/// common forms of colour blindness (Okabe & Ito, "Color Universal Design", 2002).
public enum ChartPalette {
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let bluishGreen = "#009E73"
    public static let reddishPurple = "#CC79A7"
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let yellow = "#F0E442"
    public static let black = "#000000"
    /// A neutral grey for "no clear winner" or "other".
    public static let neutral = "#BBBBBB"

    /// The palette in the order charts assign it: neighbours contrast strongly, and yellow (weak on white) comes last.
    public static let okabeIto = [blue, vermillion, bluishGreen, reddishPurple, orange, skyBlue, black, yellow]

    /// The default colour of the `index`-th series or segment; the palette repeats after eight.
    public static func color(at index: Int) -> String {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }
}
