import Foundation
internal import LedgerCrypto
internal import RawStructuredFieldValues

/// `Content-Digest` (RFC 9530) with `sha-256`: the field that binds a signed request to its body.
public enum ContentDigest {
    /// The field value for `body`: `sha-256=:<base64>:`.
    public static func sha256(_ body: [UInt8]) -> String {
        "sha-256=:" + Data(SHA256.hash(body).bytes).base64EncodedString() + ":"
    }

    /// Checks that the field value `field` holds the SHA-256 of `body`.
    ///
    /// Other algorithms in the dictionary are ignored (RFC 9530 §2 lets a recipient pick the
    /// ones it supports), but at least `sha-256` must be there.
    /// - Throws: `HTTPSignatureError` `.malformedDigest` (not a dictionary of byte sequences),
    ///   `.unsupportedDigestAlgorithm` (no `sha-256` member), `.digestMismatch`.
    public static func verify(_ field: String, body: [UInt8]) throws {
        var parser = StructuredFieldValueParser(Array(field.utf8))
        let members: OrderedMap<String, ItemOrInnerList>
        do {
            members = try parser.parseDictionaryFieldValue()
        } catch {
            throw HTTPSignatureError(.malformedDigest, "Content-Digest is not a structured-field dictionary: \(error)")
        }
        guard let member = members["sha-256"] else {
            throw HTTPSignatureError(.unsupportedDigestAlgorithm, "Content-Digest has no sha-256 member, the only algorithm accepted")
        }
        guard case .item(let item) = member, case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
            let bytes = Data(base64Encoded: base64), let claimed = SHA256Digest(bytes: Array(bytes))
        else {
            throw HTTPSignatureError(.malformedDigest, "Content-Digest's sha-256 member is not a 32-byte byte sequence")
        }
        guard SHA256.hash(body).constantTimeEquals(claimed) else {
            throw HTTPSignatureError(.digestMismatch, "Content-Digest does not match the body: the body changed after it was signed")
        }
    }
}
