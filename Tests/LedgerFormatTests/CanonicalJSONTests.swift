import Foundation
import LedgerCrypto
import LedgerFormat
import TestSupport
import Testing

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    @Test("cyberphone/json-canonicalization inputs canonicalize byte for byte",
          arguments: ["arrays", "french", "structures", "unicode", "values", "weird"])
    func jcsVectors(name: String) throws {
        let input = Array(try TestPaths.vector("jcs/input/\(name).json"))
        let expected = Array(try TestPaths.vector("jcs/output/\(name).json"))
        let outhex = String(decoding: try TestPaths.vector("jcs/outhex/\(name).txt"), as: UTF8.self)
        #expect(Hex.decode(outhex.filter { !$0.isWhitespace }) == expected)
        let canonical = try CanonicalJSON.canonicalize(input)
        #expect(canonical == expected, "\(String(decoding: canonical, as: UTF8.self))")
        // Canonical form is a fixed point.
        #expect(try CanonicalJSON.canonicalize(canonical) == canonical)
    }

    @Test("All 10,000 ES6 number lines format as Number::toString")
    func es6Numbers() throws {
        let text = String(decoding: try TestPaths.vector("jcs/numbers/es6testfile_10k.txt"), as: UTF8.self)
        var lines = 0
        var failures: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ",", maxSplits: 1)
            let value = Double(bitPattern: UInt64(parts[0], radix: 16)!)
            let formatted = ECMAScriptNumber.format(value)
            if formatted != parts[1] { failures.append("\(parts[0]): got \(formatted), want \(parts[1])") }
            lines += 1
        }
        #expect(lines == 10_000)
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test("Number edge cases", arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (0.000001, "0.000001"), (1e-7, "1e-7"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (9007199254740992, "9007199254740992"), (123.456, "123.456"), (0.1 + 0.2, "0.30000000000000004"),
    ])
    func numberEdges(value: Double, expected: String) {
        #expect(ECMAScriptNumber.format(value) == expected)
    }

    @Test func keysSortByUTF16CodeUnitsAndAreNeverNormalized() throws {
        // "é" precomposed and decomposed are different keys to JSON, though Swift's String == says equal.
        let text = "{\"e\\u0301\":1,\"\\u00e9\":2}"
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.count == 2)
        #expect(String(decoding: CanonicalJSON.encode(value), as: UTF8.self) == "{\"e\u{301}\":1,\"\u{e9}\":2}")
        // U+1F602 (surrogate pair D83D DE02) sorts before U+FB33 by UTF-16, after it by code point.
        let mixed: JSONValue = ["\u{FB33}": 1, "\u{1F602}": 2]
        #expect(String(decoding: CanonicalJSON.encode(mixed), as: UTF8.self) == "{\"\u{1F602}\":2,\"\u{FB33}\":1}")
        // Shared prefixes, ASCII against non-ASCII, and the same after a common prefix.
        let keys = ["b", "a\u{FB33}", "ab", "a", "a\u{1F602}", "A", "aa\u{e9}", "aa"]
        var object = JSONObject()
        for (index, key) in keys.enumerated() { object[key] = .integer(Int64(index)) }
        #expect(object.keys == keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        #expect(object.keys == ["A", "a", "aa", "aa\u{e9}", "ab", "a\u{1F602}", "a\u{FB33}", "b"])
    }

    @Test func stringEscapingIsMinimal() {
        let value: JSONValue = .string("a\"b\\c\u{08}\u{0C}\n\r\t\u{01}\u{1F}\u{7F}/</script>\u{2028}")
        #expect(String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
            == "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7F}/</script>\u{2028}\"")
    }
}
