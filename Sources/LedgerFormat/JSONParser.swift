/// A strict JSON parser (RFC 8259 / I-JSON, RFC 7493) for untrusted input.
///
/// Refuses, with the byte offset: invalid UTF-8, duplicate object keys, lone surrogate escapes,
/// unescaped control characters, `NaN`/`Infinity` and other non-JSON tokens, numbers that
/// overflow a double, integers beyond ±(2^53 − 1), trailing data, and input beyond the size or
/// depth limits. Never recurses deeper than `Limits.maxDepth`, so hostile nesting cannot
/// exhaust the stack. Complexity: O(n) in the input length.
public struct JSONParser {
    /// Bounds that keep hostile input from costing unbounded memory or stack.
    public struct Limits: Sendable, Hashable {
        /// Largest accepted input, in bytes.
        public var maxBytes: Int
        /// Deepest accepted nesting of arrays and objects.
        public var maxDepth: Int

        public init(maxBytes: Int, maxDepth: Int) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
        }

        /// 16 MiB and 64 levels: far beyond any approval event, far below any danger.
        public static let `default` = Limits(maxBytes: 16 << 20, maxDepth: 64)
    }

    /// Parses exactly one JSON value, surrounded by optional whitespace.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(.tooLarge, at: limits.maxBytes, "input is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            var parser = JSONParser(input: buffer, maxDepth: limits.maxDepth)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else {
                throw JSONParseError(.trailingData, at: parser.index, "unexpected data after the JSON value")
            }
            return value
        }
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String, limits: Limits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    let input: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0

    init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard index < input.count else { throw JSONParseError(.unexpectedEnd, at: index, "unexpected end of input") }
        return input[index]
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte:
            throw unexpected(byte, expecting: "a JSON value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard input.count - index >= count,
              UnsafeBufferPointer(start: literal.utf8Start, count: count).elementsEqual(input[index..<index + count])
        else {
            throw JSONParseError(.invalidLiteral, at: start, "invalid literal; expected '\(literal)'")
        }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else {
            throw JSONParseError(.tooDeep, at: index, "nesting deeper than \(maxDepth) levels")
        }
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            let keyOffset = index
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected(input[index], expecting: "an object key string") }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected(input[index], expecting: "':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard object.insertNew(key, value) else {
                throw JSONParseError(.duplicateKey, at: keyOffset, "duplicate object key \"\(Identifier.printable(key))\"")
            }
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(object)
            case let byte: throw unexpected(byte, expecting: "',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else {
            throw JSONParseError(.tooDeep, at: index, "nesting deeper than \(maxDepth) levels")
        }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            case let byte: throw unexpected(byte, expecting: "',' or ']'")
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        var isInteger = true
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard index < input.count, isDigit(input[index]) else {
            throw JSONParseError(.invalidNumber, at: start, "a number needs digits after '-' (NaN and Infinity are not JSON)")
        }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < input.count, isDigit(input[index]) {
                throw JSONParseError(.invalidNumber, at: start, "numbers must not have leading zeros")
            }
        } else {
            skipDigits()
        }
        if index < input.count, input[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < input.count, isDigit(input[index]) else {
                throw JSONParseError(.invalidNumber, at: index, "a digit must follow the decimal point")
            }
            skipDigits()
        }
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            guard index < input.count, isDigit(input[index]) else {
                throw JSONParseError(.invalidNumber, at: index, "a digit must follow the exponent")
            }
            skipDigits()
        }
        // Up to 15 digits an integer is within ±(2^53 − 1) and exact as a double: summed here,
        // it needs no text to be made and parsed.
        let negative = input[start] == UInt8(ascii: "-")
        if isInteger, index - start - (negative ? 1 : 0) <= 15 {
            var magnitude: Int64 = 0
            for byte in input[(negative ? start + 1 : start)..<index] { magnitude = magnitude * 10 + Int64(byte &- UInt8(ascii: "0")) }
            let value = Double(magnitude)
            return negative ? -value : value
        }
        let text = String(decoding: input[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(.numberOutOfRange, at: start, "number \(text.prefix(40)) does not fit in a double")
        }
        if isInteger, abs(value) > JSONValue.maxSafeInteger {
            throw JSONParseError(
                .numberOutOfRange, at: start, "integer \(text.prefix(40)) is beyond ±(2^53 − 1) and cannot be exact; send it as a string")
        }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while index < input.count, isDigit(input[index]) { index += 1 }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1 // opening quote
        let start = index
        // Fast path: no escapes, so the string is the validated bytes themselves.
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let value = String(decoding: input[start..<index], as: UTF8.self)
                index += 1
                return value
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte) }
            if byte < 0x80 { index += 1 } else { try skipUTF8Sequence() }
        }
        var bytes = Array(input[start..<index])
        while true {
            let byte = try peek()
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &bytes)
            case 0..<0x20:
                throw controlCharacter(byte)
            case 0..<0x80:
                bytes.append(byte)
                index += 1
            default:
                let sequenceStart = index
                try skipUTF8Sequence()
                bytes.append(contentsOf: input[sequenceStart..<index])
            }
        }
    }

    /// Moves past a string, validating it exactly as `parseString` does, without making it.
    mutating func skipString() throws(JSONParseError) {
        index += 1 // opening quote
        while true {
            let byte = try peek()
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                // Escapes are rare: decoding one into a scratch array validates it.
                var scratch: [UInt8] = []
                try parseEscape(into: &scratch)
            case 0..<0x20:
                throw controlCharacter(byte)
            case 0..<0x80:
                index += 1
            default:
                try skipUTF8Sequence()
            }
        }
    }

    private mutating func parseEscape(into bytes: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        let escaped = try peek()
        index += 1
        switch escaped {
        case UInt8(ascii: "\""): bytes.append(0x22)
        case UInt8(ascii: "\\"): bytes.append(0x5C)
        case UInt8(ascii: "/"): bytes.append(0x2F)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(scalar) {
                guard input.count - index >= 6, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, at: start, "high surrogate \\u\(hex4(scalar)) is not followed by a low surrogate")
                }
                index += 2
                let low = try parseHex4(escapeStart: index - 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(.loneSurrogate, at: start, "high surrogate \\u\(hex4(scalar)) is not followed by a low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONParseError(.loneSurrogate, at: start, "low surrogate \\u\(hex4(scalar)) without a high surrogate")
            }
            guard let unicodeScalar = Unicode.Scalar(scalar) else {
                throw JSONParseError(.invalidEscape, at: start, "\\u escape is not a Unicode scalar")
            }
            bytes.append(contentsOf: UTF8.encode(unicodeScalar)!)
        default:
            throw JSONParseError(.invalidEscape, at: start, "invalid escape '\\\(Character(Unicode.Scalar(escaped)))'")
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard input.count - index >= 4 else {
            throw JSONParseError(.invalidEscape, at: escapeStart, "\\u must be followed by four hex digits")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: escapeStart, "\\u must be followed by four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF) and moves past it.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = input[index]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw invalidUTF8()
        }
        guard input.count - index >= length else { throw invalidUTF8() }
        let second = input[index + 1]
        guard second >= lowerBound, second <= upperBound else { throw invalidUTF8() }
        for offset in 2..<max(2, length) where input[index + offset] & 0xC0 != 0x80 {
            throw invalidUTF8()
        }
        index += length
    }

    private func invalidUTF8() -> JSONParseError {
        JSONParseError(.invalidUTF8, at: index, "invalid UTF-8 byte 0x\(hex2(input[index]))")
    }

    private func controlCharacter(_ byte: UInt8) -> JSONParseError {
        JSONParseError(.controlCharacter, at: index, "control character 0x\(hex2(byte)) must be escaped inside a string")
    }

    func unexpected(_ byte: UInt8, expecting: String) -> JSONParseError {
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex2(byte))"
        return JSONParseError(.unexpectedCharacter, at: index, "unexpected \(shown); expected \(expecting)")
    }

    private func hex2(_ byte: UInt8) -> String { String(byte, radix: 16).leftPadded(2) }
    private func hex4(_ value: UInt32) -> String { String(value, radix: 16).leftPadded(4) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
