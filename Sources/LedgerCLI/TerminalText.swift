/// Makes untrusted text safe to show on a terminal.
///
/// Reasons, summaries, details and error messages quoting input are data written by whoever
/// appended them. Shown raw, a control character could move the cursor, clear the screen or
/// set the window title (ESC, CSI, OSC, and their C1 forms U+0080–U+009F, which some terminals
/// obey), a line feed could forge a line of output ("verify: VERIFIED"), and a bidi override
/// (U+202E) or isolate could make "approve" read as something else. Every character a
/// terminal does not simply draw is written instead as `\u{XXXX}`: Unicode general
/// categories Cc (C0, DEL, C1), Cf (bidi embeddings, overrides, isolates and marks,
/// zero-width and invisible characters, the BOM, tag characters), Zl and Zp (U+2028,
/// U+2029). Printable non-ASCII text such as "café" or "日本" is kept as it is.
enum TerminalText {
    /// `text` as one field: every unsafe character escaped, line feeds and tabs included,
    /// and cut to `limit` characters (marked with `…`).
    static func field(_ text: String, limit: Int = 300) -> String {
        escaped(text, keepingLineFeeds: false, limit: limit)
    }

    /// Whole lines of output composed by the tool: unsafe characters escaped, except the line
    /// feeds that separate its own lines. The last line of defence for every byte `Output`
    /// writes; fields of untrusted text go through `field` first so they cannot add lines.
    static func lines(_ text: String) -> String {
        escaped(text, keepingLineFeeds: true, limit: .max)
    }

    /// True when `scalar` would not simply be drawn by a terminal.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    private static func escaped(_ text: String, keepingLineFeeds: Bool, limit: Int) -> String {
        // The common case, plain printable text, is returned untouched.
        if text.unicodeScalars.count <= limit,
           !text.unicodeScalars.contains(where: { isUnsafe($0) && !(keepingLineFeeds && $0 == "\n") })
        {
            return text
        }
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out.append("…")
                break
            }
            count += 1
            if isUnsafe(scalar) && !(keepingLineFeeds && scalar == "\n") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
