import ApprovalLedger

/// The `"signed"` member of a write's body: the caller's own signature over the command
/// statement (docs/FORMAT.md §Signed commands), which the server records in the event's
/// origin, so a verifier sees that the caller, not the server, asked for it.
enum SignedCommand {
    /// The member for `command` on `stream`, signed with `key` now with a fresh nonce: the
    /// statement's name and arguments are the domain's (`ApprovalCommand.statement`), exactly
    /// what the server rebuilds from the body and the ledger reads back from the events.
    static func member(ledgerID: String, stream: String, command: ApprovalCommand, key: Ed25519PrivateKey) throws -> JSONValue {
        guard let statement = command.statement else {
            throw LedgerError(.invalidEvent, "this command is not one a caller signs")
        }
        let nonce = RemoteLedger.nonce(), time = SystemClock.now()
        let hash = CommandStatement.hash(
            ledgerID: ledgerID, stream: stream, command: statement.command, arguments: statement.arguments,
            keyID: key.publicKey.keyID, nonce: nonce, time: time)
        let signature = try key.signature(for: hash.bytes)
        return ["nonce": .string(nonce), "time": .string(time.description), "signature": .string(Hex.encode(signature))]
    }

    /// The body of a write: the command's arguments (as its statement names them), `extra`
    /// members, and `signed`.
    static func body(ledgerID: String, stream: String, command: ApprovalCommand, key: Ed25519PrivateKey, extra: JSONObject = JSONObject()) throws -> JSONValue {
        var body = command.statement?.arguments ?? JSONObject()
        for (name, value) in extra { body[name] = value }
        body["signed"] = try member(ledgerID: ledgerID, stream: stream, command: command, key: key)
        return .object(body)
    }
}
