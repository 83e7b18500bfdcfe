internal import RawStructuredFieldValues

/// What a signature covers and says about itself: one member of `Signature-Input`.
///
/// Its serialization is the `@signature-params` line of the signature base, so the parameters
/// keep the order they were given or received in (RFC 9421 §2.3).
public struct SignatureParameters: Sendable, Hashable {
    /// The covered components, in order: derived ones start with `@`, fields are lowercase names.
    public var coveredComponents: [String]
    /// The metadata parameters (`created`, `expires`, `nonce`, `alg`, `keyid`, `tag`), in order.
    public private(set) var parameters: [Parameter]

    /// One signature metadata parameter (RFC 9421 §2.3).
    public enum Parameter: Sendable, Hashable {
        /// `created`: when the signature was made, in seconds since the Unix epoch.
        case created(Int64)
        /// `expires`: when it stops being valid, in seconds since the Unix epoch.
        case expires(Int64)
        /// `nonce`: a value the signer never uses twice, for replay protection.
        case nonce(String)
        /// `alg`: the algorithm, `ed25519` here.
        case algorithm(String)
        /// `keyid`: names the key, `ed25519:<hex>` for a ledger key.
        case keyID(String)
        /// `tag`: the application the signature is for.
        case tag(String)

        var name: String {
            switch self {
            case .created: "created"
            case .expires: "expires"
            case .nonce: "nonce"
            case .algorithm: "alg"
            case .keyID: "keyid"
            case .tag: "tag"
            }
        }
    }

    /// Parameters covering `coveredComponents`, with the metadata in the given order.
    public init(coveredComponents: [String], parameters: [Parameter]) {
        self.coveredComponents = coveredComponents
        self.parameters = parameters
    }

    /// `created`, when present.
    public var created: Int64? {
        for case .created(let value) in parameters { return value }
        return nil
    }
    /// `expires`, when present.
    public var expires: Int64? {
        for case .expires(let value) in parameters { return value }
        return nil
    }
    /// `nonce`, when present.
    public var nonce: String? {
        for case .nonce(let value) in parameters { return value }
        return nil
    }
    /// `alg`, when present.
    public var algorithm: String? {
        for case .algorithm(let value) in parameters { return value }
        return nil
    }
    /// `keyid`, when present.
    public var keyID: String? {
        for case .keyID(let value) in parameters { return value }
        return nil
    }
    /// `tag`, when present.
    public var tag: String? {
        for case .tag(let value) in parameters { return value }
        return nil
    }

    /// The serialized inner list, e.g. `("@method" "@target-uri");created=1618884473;keyid="k"`:
    /// the value of the `@signature-params` line and of this signature's `Signature-Input` member.
    /// - Throws: `.invalidComponentValue` when a component name or string parameter cannot be a
    ///   structured-field string (non-ASCII or control characters).
    public func serialized() throws -> String {
        var serializer = StructuredFieldValueSerializer()
        do {
            let bytes = try serializer.writeListFieldValue([.innerList(innerList)])
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw HTTPSignatureError(.invalidComponentValue, "the signature parameters cannot be serialized: \(error)")
        }
    }

    var innerList: InnerList {
        var items = BareInnerList()
        for component in coveredComponents { items.append(Item(bareItem: RFC9651BareItem.string(component), parameters: OrderedMap())) }
        var metadata = OrderedMap<String, RFC9651BareItem>()
        for parameter in parameters {
            switch parameter {
            case .created(let value), .expires(let value): metadata[parameter.name] = .integer(value)
            case .nonce(let value), .algorithm(let value), .keyID(let value), .tag(let value):
                metadata[parameter.name] = .string(value)
            }
        }
        return InnerList(bareInnerList: items, parameters: metadata)
    }

    /// Reads one `Signature-Input` member.
    /// - Throws: `.malformedSignature` for a member that is not an inner list of strings with
    ///   known, well-typed, unrepeated parameters; `.unsupportedComponent` for a component that
    ///   carries parameters (`;sf`, `;key`, `;req`, …) or is named twice.
    init(label: String, member: ItemOrInnerList) throws {
        guard case .innerList(let list) = member else {
            throw HTTPSignatureError(.malformedSignature, "Signature-Input member '\(label)' is not an inner list")
        }
        var components: [String] = []
        for item in list.bareInnerList {
            guard case .string(let name) = item.rfc9651BareItem else {
                throw HTTPSignatureError(.malformedSignature, "Signature-Input member '\(label)' covers a component that is not a string")
            }
            guard item.rfc9651Parameters.count == 0 else {
                throw HTTPSignatureError(.unsupportedComponent, "component parameters (on '\(name)') are not supported")
            }
            guard !components.contains(name) else {
                throw HTTPSignatureError(.unsupportedComponent, "the component '\(name)' is covered twice")
            }
            guard name == name.lowercased(), name != "@signature-params" else {
                throw HTTPSignatureError(.unsupportedComponent, "'\(name)' cannot be a covered component")
            }
            components.append(name)
        }
        var parameters: [Parameter] = []
        for (name, value) in list.rfc9651Parameters {
            let parameter: Parameter
            switch (name, value) {
            case ("created", .integer(let seconds)): parameter = .created(seconds)
            case ("expires", .integer(let seconds)): parameter = .expires(seconds)
            case ("nonce", .string(let text)): parameter = .nonce(text)
            case ("alg", .string(let text)): parameter = .algorithm(text)
            case ("keyid", .string(let text)): parameter = .keyID(text)
            case ("tag", .string(let text)): parameter = .tag(text)
            default:
                throw HTTPSignatureError(
                    .malformedSignature, "Signature-Input member '\(label)' has an unknown or mistyped parameter '\(name)'")
            }
            parameters.append(parameter)
        }
        self.init(coveredComponents: components, parameters: parameters)
    }
}
