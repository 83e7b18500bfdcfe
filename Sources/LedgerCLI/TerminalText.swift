import ApprovalLedger

/// Makes untrusted text safe to show on a terminal: every character `DisplayText` calls unsafe
/// (controls, bidi and other format characters, line and paragraph separators) is written as
/// `\u{XXXX}` instead. Printable non-ASCII text such as "café" or "日本" is kept as it is.
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

    private static func escaped(_ text: String, keepingLineFeeds: Bool, limit: Int) -> String {
        // The common case, plain printable text, is returned untouched.
        if text.unicodeScalars.count <= limit,
           !text.unicodeScalars.contains(where: { DisplayText.isUnsafe($0) && !(keepingLineFeeds && $0 == "\n") })
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
            if DisplayText.isUnsafe(scalar) && !(keepingLineFeeds && scalar == "\n") {
                out.append(contentsOf: DisplayText.escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
