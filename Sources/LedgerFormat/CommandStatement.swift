public import LedgerCrypto

/// What a caller with its own key signs when a relay appends on its behalf
/// (docs/FORMAT.md §Signed commands): the canonical JSON object
///
///     {"args": {…}, "command": NAME, "keyId": K, "ledgerId": L, "nonce": N, "stream": S, "time": T, "v": 1}
///
/// hashed as `SHA-256("approval-ledger/command/v1" ‖ LF ‖ statement)`. Naming the ledger and
/// the stream keeps a signature from being moved to another ledger or request; the nonce and
/// time keep it from being replayed. The approval commands' names and arguments are defined by
/// the approval domain; the one the format defines itself is `append`.
public enum CommandStatement {
    /// The command name of a raw append of a service's own event.
    public static let appendCommand = "append"

    /// The statement's canonical bytes.
    public static func bytes(
        ledgerID: String, stream: String, command: String, arguments: JSONObject, keyID: KeyID, nonce: String, time: Timestamp
    ) -> [UInt8] {
        var statement = JSONObject()
        statement["args"] = .object(arguments)
        statement["command"] = .string(command)
        statement["keyId"] = .string(keyID.rawValue)
        statement["ledgerId"] = .string(ledgerID)
        statement["nonce"] = .string(nonce)
        statement["stream"] = .string(stream)
        statement["time"] = .string(time.description)
        statement["v"] = .integer(EventEnvelope.formatVersion)
        return CanonicalJSON.encode(.object(statement))
    }

    /// The statement's hash, which the caller signs and the envelope's origin records.
    public static func hash(
        ledgerID: String, stream: String, command: String, arguments: JSONObject, keyID: KeyID, nonce: String, time: Timestamp
    ) -> SHA256Digest {
        DomainSeparation.commandHash(statementBytes: bytes(
            ledgerID: ledgerID, stream: stream, command: command, arguments: arguments, keyID: keyID, nonce: nonce, time: time))
    }

    /// The arguments of `append`: the event's type and the hash of its payload, so the
    /// signature covers the payload without carrying it.
    public static func appendArguments(type: String, payloadHash: SHA256Digest) -> JSONObject {
        var arguments = JSONObject()
        arguments["payloadHash"] = .string(payloadHash.hex)
        arguments["type"] = .string(type)
        return arguments
    }

    /// The hash `signature` must cover for an event of `envelope`'s stream recording `command`
    /// with `arguments`.
    public static func hash(of signature: CommandSignature, ledgerID: String, stream: String, command: String, arguments: JSONObject) -> SHA256Digest {
        hash(ledgerID: ledgerID, stream: stream, command: command, arguments: arguments, keyID: signature.keyID, nonce: signature.nonce, time: signature.time)
    }
}
