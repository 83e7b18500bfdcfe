/// A JSON value as the ledger format sees it (RFC 8259, I-JSON numbers).
///
/// Numbers are IEEE-754 doubles, as RFC 8785 requires. Object keys are compared by their exact
/// UTF-8 bytes (never by Unicode canonical equivalence) and kept sorted by UTF-16 code units,
/// the order the canonical form writes them in.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key`, when this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The number as an `Int64` when it is an integer within ±(2^53 − 1), the I-JSON range.
    public var integerValue: Int64? {
        guard case .number(let value) = self, value == value.rounded(.towardZero),
              abs(value) <= JSONValue.maxSafeInteger else { return nil }
        return Int64(value)
    }

    /// The Boolean, when this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// 2^53 − 1, the largest integer I-JSON (RFC 7493 §2.2) allows: beyond it, distinct
    /// integers collapse into the same double.
    public static let maxSafeInteger: Double = 9_007_199_254_740_991
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue {
    /// A number from an integer (callers keep it within ±2^53).
    public static func integer(_ value: Int64) -> JSONValue { .number(Double(value)) }
}

extension JSONValue: Hashable {
    /// Exact equality: strings compare by their UTF-8 bytes, as JSON does, never by Unicode
    /// canonical equivalence as Swift's `String ==` would.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value):
            hasher.combine(value.utf8.count)
            for byte in value.utf8 { hasher.combine(byte) }
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }
}
