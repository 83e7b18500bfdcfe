/// The rule for showing untrusted text to people, wherever it is shown (the terminal, the HTML
/// report): which characters a display acts on or hides instead of drawing, and how they are
/// written instead.
///
/// Reasons, summaries and details are data written by whoever appended them, kept exactly as
/// written. Shown raw, a control character can move a terminal's cursor or clear its screen
/// (ESC, CSI, OSC, and their C1 forms U+0080–U+009F, which some terminals obey), a bidi
/// override (U+202E) or isolate makes "deny" read as something else in a terminal or a
/// browser, and invisible characters make two different texts look the same. Those are the
/// Unicode general categories Cc (C0, DEL, C1), Cf (bidi embeddings, overrides, isolates and
/// marks, zero-width characters, the BOM, tag characters), Zl and Zp (U+2028, U+2029).
public enum DisplayText {
    /// True when a display would not simply draw `scalar`.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// The visible form of an unsafe scalar: `\u{202e}`.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{\(String(scalar.value, radix: 16))}"
    }
}
