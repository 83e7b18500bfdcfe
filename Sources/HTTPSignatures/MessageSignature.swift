public import LedgerCrypto
internal import RawStructuredFieldValues
import Foundation

/// One signature a message carries: its label, its `Signature-Input` member and its bytes.
///
/// Parsing says nothing about validity: call `isValid(for:publicKey:)`, and check the
/// parameters (`created`, `nonce`, `keyid`, covered components) against the receiver's policy.
public struct MessageSignature: Sendable, Hashable {
    /// The dictionary key shared by `Signature-Input` and `Signature` (not itself signed).
    public let label: String
    /// What the signature covers and its metadata.
    public let parameters: SignatureParameters
    /// The raw signature bytes (64 for Ed25519).
    public let signature: [UInt8]

    /// The algorithm this implementation signs and verifies with.
    public static let algorithm = "ed25519"

    /// Every signature in `message`'s `Signature-Input` and `Signature` fields.
    /// - Throws: `.malformedSignature` when either field is absent or malformed, or when their
    ///   labels differ; `.unsupportedComponent` for components this code does not derive.
    public static func all(in message: MessageComponents) throws -> [MessageSignature] {
        let inputs = message.values(of: "signature-input"), signatures = message.values(of: "signature")
        guard !inputs.isEmpty, !signatures.isEmpty else {
            throw HTTPSignatureError(
                .malformedSignature, "the request has no HTTP message signature (Signature-Input and Signature fields)")
        }
        // RFC 8941 §3.2: a dictionary split over several field lines is read as their join.
        return try parse(signatureInput: inputs.joined(separator: ", "), signature: signatures.joined(separator: ", "))
    }

    /// Reads `Signature-Input` and `Signature` field values into their signatures, in order.
    /// - Throws: as `all(in:)`.
    public static func parse(signatureInput: String, signature: String) throws -> [MessageSignature] {
        let inputMembers = try dictionary(signatureInput, field: "Signature-Input")
        let signatureMembers = try dictionary(signature, field: "Signature")
        guard Set(inputMembers.map(\.0)) == Set(signatureMembers.map(\.0)), inputMembers.count == signatureMembers.count else {
            throw HTTPSignatureError(.malformedSignature, "Signature-Input and Signature name different labels")
        }
        var result: [MessageSignature] = []
        for (label, member) in inputMembers {
            let parameters = try SignatureParameters(label: label, member: member)
            guard case .item(let item)? = signatureMembers.first(where: { $0.0 == label })?.1,
                case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
                let bytes = Data(base64Encoded: base64)
            else {
                throw HTTPSignatureError(.malformedSignature, "Signature member '\(label)' is not a byte sequence")
            }
            result.append(MessageSignature(label: label, parameters: parameters, signature: Array(bytes)))
        }
        return result
    }

    /// True when the signature verifies with `publicKey` over `message`'s signature base.
    /// - Throws: `.unsupportedAlgorithm` when `alg` names another algorithm, and the signature
    ///   base's errors (a covered field the message lacks, …).
    public func isValid(for message: MessageComponents, publicKey: Ed25519PublicKey) throws -> Bool {
        if let algorithm = parameters.algorithm, algorithm != Self.algorithm {
            throw HTTPSignatureError(.unsupportedAlgorithm, "the signature's alg is '\(algorithm)', only 'ed25519' is accepted")
        }
        return publicKey.isValidSignature(signature, for: try SignatureBase.bytes(for: message, parameters: parameters))
    }

    /// Signs `message` with `key` under `label`: the `Signature-Input` and `Signature` values.
    /// - Throws: the signature base's errors, and `CryptoError` if OpenSSL fails.
    public static func sign(
        _ message: MessageComponents, parameters: SignatureParameters, label: String = "sig1", key: Ed25519PrivateKey
    ) throws -> SignatureFields {
        let signature = try key.signature(for: try SignatureBase.bytes(for: message, parameters: parameters))
        var serializer = StructuredFieldValueSerializer()
        do {
            let input = try serializer.writeDictionaryFieldValue([label: .innerList(parameters.innerList)])
            let value = try serializer.writeDictionaryFieldValue([
                label: .item(Item(bareItem: RFC9651BareItem.undecodedByteSequence(Data(signature).base64EncodedString()), parameters: OrderedMap()))
            ])
            return SignatureFields(signatureInput: String(decoding: input, as: UTF8.self), signature: String(decoding: value, as: UTF8.self))
        } catch {
            throw HTTPSignatureError(.malformedSignature, "'\(label)' cannot be a signature label")
        }
    }

    private static func dictionary(_ value: String, field: String) throws -> [(String, ItemOrInnerList)] {
        var parser = StructuredFieldValueParser(Array(value.utf8))
        do {
            return Array(try parser.parseDictionaryFieldValue())
        } catch {
            throw HTTPSignatureError(.malformedSignature, "\(field) is not a structured-field dictionary: \(error)")
        }
    }
}

/// The two fields a signed message carries.
public struct SignatureFields: Sendable, Hashable {
    /// The `Signature-Input` value, e.g. `sig1=("@method" "@target-uri");created=…;keyid="…"`.
    public let signatureInput: String
    /// The `Signature` value, e.g. `sig1=:<base64>:`.
    public let signature: String

    /// Both, as header fields to add to the request.
    public var fields: [(name: String, value: String)] {
        [("Signature-Input", signatureInput), ("Signature", signature)]
    }
}
