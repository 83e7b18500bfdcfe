import ApprovalLedger

/// A fresh ledger for the approval workflow: a one-rule policy (one SRE approves a deploy), a
/// requester and an approver.
struct ApprovalsLedger {
    let approvals: Approvals
    let requester: Signer
    let approver: Signer

    static let policy = """
        version: 1
        name: bench
        groups: {sre: [sre-oncall]}
        rules:
          - name: deploy
            match: {environment: "*"}
            require: {groups: {sre: 1}}
            ttl: 2h
        """

    static func create(in directory: String, name: String) async throws -> ApprovalsLedger {
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await Ledger.create(at: "\(directory)/\(name).ledger", root: root)
        let requester = Signer(identity: "deploy-bot", key: try Ed25519PrivateKey())
        let approver = Signer(identity: "sre-oncall", key: try Ed25519PrivateKey())
        try await ledger.registerKey(requester.key.publicKey, identity: requester.identity, capabilities: [.request], signer: root)
        try await ledger.registerKey(approver.key.publicKey, identity: approver.identity, capabilities: [.approve], signer: root)
        let approvals = Approvals(ledger: ledger)
        try await approvals.publish(try Policy(yaml: policy), signer: root)
        return ApprovalsLedger(approvals: approvals, requester: requester, approver: approver)
    }
}
