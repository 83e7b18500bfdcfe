public import LedgerCrypto
public import LedgerFormat

extension ApprovalCommand {
    /// The name and arguments a caller signs for this command (docs/FORMAT.md §Signed
    /// commands): exactly what the command's recorded events let a verifier read back
    /// (`RecordedCommand`), so the signature can be checked against the ledger. Nil for `tick`,
    /// which only a clock performs.
    public var statement: (command: String, arguments: JSONObject)? {
        var args = JSONObject()
        func set(_ name: String, _ value: String?) { if let value { args[name] = .string(value) } }
        switch self {
        case .open(let request):
            Self.write(request, into: &args)
            return ("open", args)
        case .bypass(let request, let reason):
            Self.write(request, into: &args)
            set("reason", reason)
            return ("bypass", args)
        case .vote(let vote):
            set("decision", vote.approve ? "approve" : "deny")
            set("reason", vote.reason)
            if let version = vote.requestVersion { args["requestVersion"] = .integer(version) }
            return ("vote", args)
        case .comment(let text):
            set("text", text)
            return ("comment", args)
        case .cancel(let reason):
            set("reason", reason)
            return ("cancel", args)
        case .tick:
            return nil
        case .execute(let succeeded, let changeDigest, let detail):
            set("outcome", succeeded ? "succeeded" : "failed")
            set("changeDigest", changeDigest)
            set("detail", detail)
            return ("execute", args)
        case .rollback(let reason):
            set("reason", reason)
            return ("rollback", args)
        case .recover(let detail):
            set("detail", detail)
            return ("recover", args)
        case .closeReview(let accepted, let reason):
            set("outcome", accepted ? "accepted" : "rejected")
            set("reason", reason)
            return ("review", args)
        }
    }

    /// The hash a caller's `signature` must cover when this command runs on `stream`.
    public func statementHash(of signature: CommandSignature, ledgerID: String, stream: String) -> SHA256Digest? {
        statement.map { CommandStatement.hash(of: signature, ledgerID: ledgerID, stream: stream, command: $0.command, arguments: $0.arguments) }
    }

    private static func write(_ request: OpenRequest, into args: inout JSONObject) {
        args["action"] = .string(request.action)
        args["resource"] = .string(request.resource)
        args["environment"] = .string(request.environment)
        args["summary"] = .string(request.summary)
        args["links"] = .array(request.links.map(JSONValue.string))
        var inputs = JSONObject()
        for (key, value) in request.riskInputs { inputs[key] = .string(value) }
        args["riskInputs"] = .object(inputs)
        if let digest = request.changeDigest { args["changeDigest"] = .string(digest) }
        if let release = request.release { args["release"] = .string(release) }
    }
}
