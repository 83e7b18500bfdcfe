public import LedgerFormat

/// The members of a request event's payload that the fold (`RequestState.apply`) and the
/// projections read, typed; every other member is ignored.
///
/// Read the same way from a parsed payload or straight from its stored bytes: a rebuild reads
/// them from the bytes of every event without building a `JSONValue` tree (a third of its
/// projecting time went to building and searching trees). A member that is missing, or of
/// another JSON type than the one read, is nil, as `JSONValue`'s typed accessors give it.
public struct RequestPayload: Sendable, Hashable {
    /// `policy`: the policy a request was judged under.
    public struct Policy: Sendable, Hashable {
        public var version: Int64?
        public var rule: String?
        public var hash: String?
    }

    /// `risk`: the computed score and level.
    public struct Risk: Sendable, Hashable {
        public var score: Int64?
        public var level: String?
    }

    /// `grant`: what a `request.granted` allows.
    public struct Grant: Sendable, Hashable {
        public var id: String?
        public var expiresAt: Timestamp?
        public var changeDigest: String?
        public var oneShot: Bool?
    }

    public var requestId: String?
    public var action: String?
    public var resource: String?
    public var environment: String?
    public var summary: String?
    public var links: [String]?
    public var changeDigest: String?
    public var release: String?
    public var deadline: Timestamp?
    public var policy = Policy()
    public var risk = Risk()
    public var riskExplanation: String?
    public var decision: String?
    public var reason: String?
    public var code: String?
    public var explanation: String?
    public var automatic: Bool?
    public var grant = Grant()
    public var grantId: String?
    public var addGroups: [String]?
    public var reviewDeadline: Timestamp?
    public var outcome: String?
    public var detail: String?

    /// Nothing: the members of an empty object.
    public init() {}

    /// The members of a parsed payload; a payload that is not an object has none.
    ///
    /// Mirrors `init(bytes:)` case for case; the tests hold the two to the same result.
    public init(_ payload: JSONValue) {
        guard case .object(let object) = payload else { return }
        for member in object {
            guard let index = Member.names.index(of: member.key) else { continue }
            let value = member.value
            switch Member.all[index] {
            case .requestId: requestId = value.stringValue
            case .action: action = value.stringValue
            case .resource: resource = value.stringValue
            case .environment: environment = value.stringValue
            case .summary: summary = value.stringValue
            case .links: links = value.arrayValue?.compactMap(\.stringValue)
            case .changeDigest: changeDigest = value.stringValue
            case .release: release = value.stringValue
            case .deadline: deadline = value.stringValue.flatMap(Timestamp.init)
            case .policy:
                for member in value.objectValue ?? JSONObject() {
                    guard let index = PolicyMember.names.index(of: member.key) else { continue }
                    switch PolicyMember.all[index] {
                    case .version: policy.version = member.value.integerValue
                    case .rule: policy.rule = member.value.stringValue
                    case .hash: policy.hash = member.value.stringValue
                    }
                }
            case .risk:
                for member in value.objectValue ?? JSONObject() {
                    guard let index = RiskMember.names.index(of: member.key) else { continue }
                    switch RiskMember.all[index] {
                    case .score: risk.score = member.value.integerValue
                    case .level: risk.level = member.value.stringValue
                    }
                }
            case .riskExplanation: riskExplanation = value.stringValue
            case .decision: decision = value.stringValue
            case .reason: reason = value.stringValue
            case .code: code = value.stringValue
            case .explanation: explanation = value.stringValue
            case .automatic: automatic = value.boolValue
            case .grant:
                for member in value.objectValue ?? JSONObject() {
                    guard let index = GrantMember.names.index(of: member.key) else { continue }
                    switch GrantMember.all[index] {
                    case .id: grant.id = member.value.stringValue
                    case .expiresAt: grant.expiresAt = member.value.stringValue.flatMap(Timestamp.init)
                    case .changeDigest: grant.changeDigest = member.value.stringValue
                    case .oneShot: grant.oneShot = member.value.boolValue
                    }
                }
            case .grantId: grantId = value.stringValue
            case .addGroups: addGroups = value.arrayValue?.compactMap(\.stringValue)
            case .reviewDeadline: reviewDeadline = value.stringValue.flatMap(Timestamp.init)
            case .outcome: outcome = value.stringValue
            case .detail: detail = value.stringValue
            }
        }
    }

    /// The members of stored payload bytes, exactly as `init(JSONParser.parse(bytes))` reads
    /// them; bytes that do not parse have none, as a redacted payload has none.
    ///
    /// Canonical bytes, which the ledger stores, are read in one pass that makes only the
    /// values kept (`JSONMemberReader`); anything else is parsed first.
    public init(bytes: [UInt8]) {
        self.init()
        let read = JSONMemberReader.read(bytes, names: Member.names) { (reader) throws(JSONMemberReader.Unreadable) in
            while let index = try reader.nextMember() {
                switch Member.all[index] {
                case .requestId: self.requestId = try reader.string()
                case .action: self.action = try reader.string()
                case .resource: self.resource = try reader.string()
                case .environment: self.environment = try reader.string()
                case .summary: self.summary = try reader.string()
                case .links: self.links = try reader.strings()
                case .changeDigest: self.changeDigest = try reader.string()
                case .release: self.release = try reader.string()
                case .deadline: self.deadline = try reader.timestamp()
                case .policy:
                    _ = try reader.object(names: PolicyMember.names) { (policy) throws(JSONMemberReader.Unreadable) in
                        while let index = try policy.nextMember() {
                            switch PolicyMember.all[index] {
                            case .version: self.policy.version = try policy.integer()
                            case .rule: self.policy.rule = try policy.string()
                            case .hash: self.policy.hash = try policy.string()
                            }
                        }
                    }
                case .risk:
                    _ = try reader.object(names: RiskMember.names) { (risk) throws(JSONMemberReader.Unreadable) in
                        while let index = try risk.nextMember() {
                            switch RiskMember.all[index] {
                            case .score: self.risk.score = try risk.integer()
                            case .level: self.risk.level = try risk.string()
                            }
                        }
                    }
                case .riskExplanation: self.riskExplanation = try reader.string()
                case .decision: self.decision = try reader.string()
                case .reason: self.reason = try reader.string()
                case .code: self.code = try reader.string()
                case .explanation: self.explanation = try reader.string()
                case .automatic: self.automatic = try reader.bool()
                case .grant:
                    _ = try reader.object(names: GrantMember.names) { (grant) throws(JSONMemberReader.Unreadable) in
                        while let index = try grant.nextMember() {
                            switch GrantMember.all[index] {
                            case .id: self.grant.id = try grant.string()
                            case .expiresAt: self.grant.expiresAt = try grant.timestamp()
                            case .changeDigest: self.grant.changeDigest = try grant.string()
                            case .oneShot: self.grant.oneShot = try grant.bool()
                            }
                        }
                    }
                case .grantId: self.grantId = try reader.string()
                case .addGroups: self.addGroups = try reader.strings()
                case .reviewDeadline: self.reviewDeadline = try reader.timestamp()
                case .outcome: self.outcome = try reader.string()
                case .detail: self.detail = try reader.string()
                }
            }
        }
        if !read { self = RequestPayload((try? JSONParser.parse(bytes)) ?? .object(JSONObject())) }
    }

    /// The member names `init(bytes:)` looks for, at the top level and in each nested object.
    private enum Member: String, CaseIterable {
        case requestId, action, resource, environment, summary, links, changeDigest, release, deadline, policy, risk
        case riskExplanation, decision, reason, code, explanation, automatic, grant, grantId, addGroups, reviewDeadline
        case outcome, detail

        static let all = allCases
        static let names = JSONMemberReader.Names(all.map(\.rawValue))
    }

    private enum PolicyMember: String, CaseIterable {
        case version, rule, hash

        static let all = allCases
        static let names = JSONMemberReader.Names(all.map(\.rawValue))
    }

    private enum RiskMember: String, CaseIterable {
        case score, level

        static let all = allCases
        static let names = JSONMemberReader.Names(all.map(\.rawValue))
    }

    private enum GrantMember: String, CaseIterable {
        case id, expiresAt, changeDigest, oneShot

        static let all = allCases
        static let names = JSONMemberReader.Names(all.map(\.rawValue))
    }
}
