internal import LedgerFormat

/// Escaping for text placed in HTML (and SVG) content and attribute values.
public enum HTML {
    /// `text` with `& < > " '` replaced by entities, and every character `DisplayText` calls
    /// unsafe (controls, bidi overrides and isolates, invisible characters) written visibly as
    /// `\u{202e}`, so a reason cannot reorder or hide the report's text around it; tabs and line
    /// feeds stay, as whitespace. Plain ASCII, nearly all of a report, is handled byte by byte:
    /// a report of a large period escapes hundreds of megabytes.
    public static func escape(_ text: String) -> String {
        var plainASCII = true
        var needsEntities = false
        for byte in text.utf8 {
            switch byte {
            case 0x26, 0x3C, 0x3E, 0x22, 0x27: needsEntities = true
            case 0x09, 0x0A, 0x20..<0x7F: continue
            default: plainASCII = false
            }
        }
        guard plainASCII else { return escapeScalars(text) }
        guard needsEntities else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 { append(byte, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The slow path, for text with non-ASCII or control characters.
    private static func escapeScalars(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 32)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if byte == 0x09 || byte == 0x0A || !DisplayText.isUnsafe(scalar) {
                    append(byte, to: &bytes)
                    continue
                }
            } else if !DisplayText.isUnsafe(scalar) {
                bytes += String(scalar).utf8
                continue
            }
            bytes += DisplayText.escape(scalar).utf8
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case 0x26: bytes += "&amp;".utf8
        case 0x3C: bytes += "&lt;".utf8
        case 0x3E: bytes += "&gt;".utf8
        case 0x22: bytes += "&quot;".utf8
        case 0x27: bytes += "&#39;".utf8
        default: bytes.append(byte)
        }
    }
}
