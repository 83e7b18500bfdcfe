public import LedgerCrypto

/// Reads typed fields out of a JSON object, with errors that name the object and the field.
public struct FieldReader: Sendable {
    public let object: JSONObject
    let what: String

    /// Wraps `value`, which must be an object.
    public init(_ value: JSONValue, what: String) throws(FormatError) {
        guard case .object(let object) = value else { throw FormatError(.invalidField, "\(what) must be a JSON object") }
        self.object = object
        self.what = what
    }

    /// Refuses fields outside `allowed`: an unknown field is an attempt to smuggle data past
    /// a reader that would ignore it.
    public func rejectUnknown(allowed: Set<String>) throws(FormatError) {
        for key in object.keys where !allowed.contains(key) {
            throw FormatError(.unknownField, "\(what) has unknown field \"\(Identifier.printable(key))\"")
        }
    }

    public func require(_ name: String) throws(FormatError) -> JSONValue {
        guard let value = object[name] else { throw FormatError(.missingField, "\(what) is missing \"\(name)\"") }
        return value
    }

    func invalid(_ name: String, _ expectation: String) -> FormatError {
        FormatError(.invalidField, "\(what) field \"\(name)\" must be \(expectation)")
    }

    public func string(_ name: String) throws(FormatError) -> String {
        guard let value = try require(name).stringValue else { throw invalid(name, "a string") }
        return value
    }

    public func optionalString(_ name: String) throws(FormatError) -> String? {
        guard object[name] != nil else { return nil }
        return try string(name)
    }

    public func integer(_ name: String, minimum: Int64 = .min) throws(FormatError) -> Int64 {
        guard let value = try require(name).integerValue, value >= minimum else {
            throw invalid(name, minimum == .min ? "an integer" : "an integer ≥ \(minimum)")
        }
        return value
    }

    public func bool(_ name: String) throws(FormatError) -> Bool {
        guard let value = try require(name).boolValue else { throw invalid(name, "true or false") }
        return value
    }

    public func stringArray(_ name: String) throws(FormatError) -> [String] {
        guard let array = try require(name).arrayValue else { throw invalid(name, "an array of strings") }
        var strings: [String] = []
        for element in array {
            guard let string = element.stringValue else { throw invalid(name, "an array of strings") }
            strings.append(string)
        }
        return strings
    }

    /// A dotted/dashed token such as an event type or stream name (see `Identifier`).
    public func token(_ name: String) throws(FormatError) -> String {
        let value = try string(name)
        guard Identifier.isValidToken(value) else { throw invalid(name, Identifier.tokenRule) }
        return value
    }

    /// An identity name (see `Identifier`).
    public func identity(_ name: String) throws(FormatError) -> String {
        let value = try string(name)
        guard Identifier.isValidIdentity(value) else { throw invalid(name, Identifier.identityRule) }
        return value
    }

    /// An optional idempotency key or correlation id (see `Identifier.referenceRule`).
    public func optionalReference(_ name: String) throws(FormatError) -> String? {
        guard let value = try optionalString(name) else { return nil }
        guard Identifier.isValidReference(value) else { throw invalid(name, Identifier.referenceRule) }
        return value
    }

    public func keyID(_ name: String) throws(FormatError) -> KeyID {
        guard let id = KeyID(try string(name)) else { throw invalid(name, "a key id \"ed25519:\" + 32 lowercase hex digits") }
        return id
    }

    public func timestamp(_ name: String) throws(FormatError) -> Timestamp {
        guard let time = Timestamp(try string(name)) else { throw invalid(name, "a UTC time YYYY-MM-DDTHH:MM:SS.mmmZ") }
        return time
    }

    public func digest(_ name: String) throws(FormatError) -> SHA256Digest {
        let text = try string(name)
        guard text.utf8.count == 64, text == text.lowercased(), let digest = SHA256Digest(hex: text) else {
            throw invalid(name, "64 lowercase hex digits")
        }
        return digest
    }

    public func hexBytes(_ name: String, count: Int) throws(FormatError) -> [UInt8] {
        let text = try string(name)
        guard text.utf8.count == count * 2, text == text.lowercased(), let bytes = Hex.decode(text) else {
            throw invalid(name, "\(count * 2) lowercase hex digits")
        }
        return bytes
    }
}
