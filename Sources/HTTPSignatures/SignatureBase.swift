internal import RawStructuredFieldValues

/// The bytes a message signature signs (RFC 9421 §2.5): one line per covered component, then
/// the `@signature-params` line, joined by LF with no final LF.
public enum SignatureBase {
    /// The signature base of `message` for `parameters`.
    /// - Throws: `HTTPSignatureError` `.unsupportedComponent`, `.missingComponent`, or
    ///   `.invalidComponentValue` for a value with a line break or a non-ASCII byte.
    public static func bytes(for message: MessageComponents, parameters: SignatureParameters) throws -> [UInt8] {
        var base: [UInt8] = []
        for component in parameters.coveredComponents {
            let value = try message.value(of: component)
            // A value spanning lines would let a signer smuggle in a line of its choosing.
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }) else {
                throw HTTPSignatureError(
                    .invalidComponentValue, "the value of '\(component)' has a control character or a non-ASCII byte")
            }
            base += try identifier(component)
            base += Array(": ".utf8) + Array(value.utf8) + [0x0A]
        }
        base += try identifier("@signature-params")
        base += Array(": ".utf8) + Array(try parameters.serialized().utf8)
        return base
    }

    /// The component identifier as a structured-field string: `"@method"`, `"content-type"`.
    private static func identifier(_ name: String) throws -> [UInt8] {
        var serializer = StructuredFieldValueSerializer()
        do {
            return try serializer.writeItemFieldValue(Item(bareItem: RFC9651BareItem.string(name), parameters: OrderedMap()))
        } catch {
            throw HTTPSignatureError(.invalidComponentValue, "'\(name)' cannot be a component name")
        }
    }
}
