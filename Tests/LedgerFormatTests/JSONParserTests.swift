import LedgerFormat
import Testing

@Suite("Strict JSON parser")
struct JSONParserTests {
    static let malformed: [(name: String, bytes: [UInt8], code: JSONParseError.Code, offset: Int)] = [
        ("empty", [], .unexpectedEnd, 0),
        ("NaN", Array("NaN".utf8), .unexpectedCharacter, 0),
        ("Infinity", Array("[Infinity]".utf8), .unexpectedCharacter, 1),
        ("-Infinity", Array("-Infinity".utf8), .invalidNumber, 0),
        ("nan literal", Array("[nan]".utf8), .invalidLiteral, 1),
        ("trailing garbage", Array("{} x".utf8), .trailingData, 3),
        ("two values", Array("1 2".utf8), .trailingData, 2),
        ("duplicate key", Array("{\"a\":1,\"a\":2}".utf8), .duplicateKey, 7),
        ("invalid UTF-8 in string", [0x22, 0xC3, 0x28, 0x22], .invalidUTF8, 1),
        ("overlong UTF-8", [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, 1),
        ("UTF-8 surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, 1),
        ("above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, 1),
        ("truncated UTF-8", [0x22, 0xE2, 0x82], .invalidUTF8, 1),
        ("lone high surrogate", Array("\"\\ud800\"".utf8), .loneSurrogate, 1),
        ("lone low surrogate", Array("\"\\udc00x\"".utf8), .loneSurrogate, 1),
        ("high then non-low", Array("\"\\ud800\\u0041\"".utf8), .loneSurrogate, 1),
        ("bad escape", Array("\"\\x\"".utf8), .invalidEscape, 1),
        ("short unicode escape", Array("\"\\u12\"".utf8), .invalidEscape, 1),
        ("raw control char", Array("\"a\nb\"".utf8), .controlCharacter, 2),
        ("leading zero", Array("01".utf8), .invalidNumber, 0),
        ("bare minus", Array("-".utf8), .invalidNumber, 0),
        ("dot without digits", Array("1.".utf8), .invalidNumber, 2),
        ("exponent without digits", Array("1e+".utf8), .invalidNumber, 3),
        ("overflow", Array("1e400".utf8), .numberOutOfRange, 0),
        ("unsafe integer", Array("-9007199254740992".utf8), .numberOutOfRange, 0),
        ("single quotes", Array("{'a':1}".utf8), .unexpectedCharacter, 1),
        ("trailing comma", Array("[1,]".utf8), .unexpectedCharacter, 3),
        ("missing colon", Array("{\"a\" 1}".utf8), .unexpectedCharacter, 5),
        ("unterminated", Array("[1".utf8), .unexpectedEnd, 2),
        ("byte order mark", [0xEF, 0xBB, 0xBF, 0x31], .unexpectedCharacter, 0),
        ("comment", Array("[1 /* x */]".utf8), .unexpectedCharacter, 3),
    ]

    @Test("Malformed input gives a typed error with the byte offset", arguments: malformed.indices)
    func malformedInput(index: Int) {
        let testCase = Self.malformed[index]
        let error = #expect(throws: JSONParseError.self, "\(testCase.name)") { try JSONParser.parse(testCase.bytes) }
        #expect(error?.code == testCase.code, "\(testCase.name): \(String(describing: error))")
        #expect(error?.offset == testCase.offset, "\(testCase.name): \(String(describing: error))")
    }

    @Test("Integers read digit by digit equal the double their text parses to")
    func integerValues() throws {
        var texts = ["0", "-0", "7", "-42", "999999999999999", "-999999999999999", "1000000000000000", "9007199254740991", "-9007199254740991"]
        var value: Int64 = 1
        for _ in 0..<16 {
            texts += [String(value), String(-value), String(value * 3 + 1)]
            value *= 10
        }
        for text in texts {
            guard case .number(let number) = try JSONParser.parse(text) else {
                Issue.record("\(text) is not a number")
                continue
            }
            // Bit for bit: -0 keeps its sign, which `==` would not show.
            #expect(number.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test("10,000-deep nesting is refused at the depth limit, without recursion to the bottom")
    func deepNesting() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 10_000) + [UInt8](repeating: UInt8(ascii: "]"), count: 10_000)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(error?.code == .tooDeep)
        #expect(error?.offset == 64)
        let objects = Array(String(repeating: "{\"a\":", count: 10_000).utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(objects) }
    }

    @Test("A 100 MB string is refused by the size limit before any parsing")
    func hugeString() {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000_000)
        bytes[0] = UInt8(ascii: "\"")
        bytes[bytes.count - 1] = UInt8(ascii: "\"")
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(error?.code == .tooLarge)
        // With the limit raised, the same input parses.
        let value = try? JSONParser.parse(bytes, limits: .init(maxBytes: 200_000_000, maxDepth: 4))
        #expect(value?.stringValue?.utf8.count == 99_999_998)
    }

    @Test func validInputParses() throws {
        let value = try JSONParser.parse(" {\"a\":[1,-2.5e3,true,false,null,\"\\u00e9\\ud83d\\ude02\\n\"],\"b\":{}} ")
        #expect(value["a"] == [1, -2500, true, false, .null, "é😂\n"])
        #expect(value["b"] == .object(JSONObject()))
        #expect(try JSONParser.parse("9007199254740991").integerValue == 9_007_199_254_740_991)
        #expect(try JSONParser.parse("1.5e300") == .number(1.5e300))
    }
}
