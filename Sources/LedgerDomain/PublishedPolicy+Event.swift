public import LedgerFormat

extension PublishedPolicy {
    /// Reads the payload of the `policy.published` event at `seq`, refusing content that does
    /// not hash to the hash the event states: requests record that hash, so a policy whose
    /// content was swapped must not judge them.
    public init(publishedAt seq: Int64, payload: JSONValue) throws(FormatError) {
        let fields = try FieldReader(payload, what: "policy.published payload (seq \(seq))")
        let hash = try fields.string("hash")
        let content = try fields.require("content")
        let policy: Policy
        do { policy = try Policy(json: content) } catch {
            throw FormatError(.invalidField, "the policy published at seq \(seq) is invalid: \(error)")
        }
        guard policy.contentHash.hex == hash else {
            throw FormatError(.invalidField, "the policy published at seq \(seq) does not hash to the hash it states (\(hash.prefix(16))…): its content was changed")
        }
        self.init(policy: policy, version: seq, hash: hash)
    }
}

/// The policies published so far in a walk over the ledger, by version.
public struct PolicyHistory: Sendable {
    private var versions: [Int64: PublishedPolicy] = [:]
    /// The latest policy published: the one new requests are judged under.
    public private(set) var current: PublishedPolicy?

    public init() {}

    public mutating func record(_ policy: PublishedPolicy) {
        versions[policy.version] = policy
        if policy.version > current?.version ?? 0 { current = policy }
    }

    public func version(_ seq: Int64) -> PublishedPolicy? {
        versions[seq]
    }

    public var count: Int { versions.count }
}
