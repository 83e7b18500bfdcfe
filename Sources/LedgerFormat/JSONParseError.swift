/// Why bytes are not acceptable JSON, and the byte offset where the parser stopped.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure.
    public enum Code: String, Sendable, Hashable {
        case tooLarge = "too-large"
        case tooDeep = "too-deep"
        case invalidUTF8 = "invalid-utf8"
        case unexpectedEnd = "unexpected-end"
        case unexpectedCharacter = "unexpected-character"
        case invalidLiteral = "invalid-literal"
        case invalidNumber = "invalid-number"
        case numberOutOfRange = "number-out-of-range"
        case invalidEscape = "invalid-escape"
        case loneSurrogate = "lone-surrogate"
        case controlCharacter = "control-character"
        case duplicateKey = "duplicate-key"
        case trailingData = "trailing-data"
    }

    public let code: Code
    /// Zero-based byte offset into the input.
    public let offset: Int
    public let message: String

    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}
