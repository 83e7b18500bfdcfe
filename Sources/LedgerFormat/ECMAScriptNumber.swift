/// ECMAScript `Number::toString(x)` (ECMA-262 §6.1.6.1.20), the number form RFC 8785 requires.
public enum ECMAScriptNumber {
    /// Formats a finite double. -0 formats as "0". NaN and infinities are not JSON and trap.
    public static func format(_ value: Double) -> String {
        precondition(value.isFinite, "NaN and Infinity have no JSON form")
        if value == 0 { return "0" }
        // Integers below 2^53 are by far the most common numbers in the ledger: skip the
        // shortest-digits search for them.
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        let (digits, exponent) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        return sign + layout(digits: digits, n: exponent)
    }

    /// The shortest decimal digits `s` (no leading or trailing zeros) and the exponent `n` such
    /// that value = 0.s × 10^n and the digits round-trip, closest to the value among the
    /// shortest. Swift's `description` computes exactly these digits (SwiftDtoa, shortest and
    /// closest); this reads them back out of its text.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], n: Int) {
        let text = Array(value.description.utf8)
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var index = 0
        while index < text.count {
            let c = text[index]
            if c == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(index + 1)...], as: UTF8.self))!
                break
            } else {
                digits.append(c)
            }
            index += 1
        }
        var n = (pointPosition ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            n -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, n)
    }

    /// The layout steps of Number::toString, given digits s (k of them) and exponent n.
    static func layout(digits: [UInt8], n: Int) -> String {
        let k = digits.count
        var out: [UInt8] = []
        if k <= n && n <= 21 {
            out = digits + [UInt8](repeating: UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out = Array(digits[0..<n]) + [UInt8(ascii: ".")] + Array(digits[n...])
        } else if -6 < n && n <= 0 {
            out = Array("0.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: -n) + digits
        } else {
            let e = n - 1
            out = [digits[0]]
            if k > 1 { out += [UInt8(ascii: ".")] + Array(digits[1...]) }
            out += Array("e\(e < 0 ? "-" : "+")\(abs(e))".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
