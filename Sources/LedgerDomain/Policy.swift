/// An approval policy: who may approve what, how many must, and what happens when nobody
/// does. Written as YAML (docs/POLICY.md), published into the ledger as canonical JSON, and
/// recorded by version in every request it governs, so every decision can be replayed.
public struct Policy: Sendable, Hashable {
    /// The policy-file schema this build reads.
    public static let schemaVersion: Int64 = 1

    public var name: String
    /// Named groups of identities.
    public var groups: [String: [String]]
    public var risk: RiskModel
    /// In order: the first rule that matches a request governs it.
    public var rules: [PolicyRule]

    /// The first rule matching the request, or nil (a request no rule matches is refused).
    public func rule(action: String, environment: String, resource: String, riskScore: Int) -> PolicyRule? {
        rules.first { $0.match.matches(action: action, environment: environment, resource: resource, riskScore: riskScore) }
    }

    /// The rule named `name`.
    public func rule(named name: String) -> PolicyRule? {
        rules.first { $0.name == name }
    }

    /// The members of `group` (empty for an unknown group).
    public func members(of group: String) -> Set<String> {
        Set(groups[group] ?? [])
    }
}

/// One rule of a policy.
public struct PolicyRule: Sendable, Hashable {
    public var name: String
    public var match: RuleMatch
    /// Approvals required per group, all of them (AND across groups).
    public var requiredByGroup: [String: Int]
    /// Approvals required in total (at least the sum of the per-group counts).
    public var requiredTotal: Int
    /// When true (the default) one identity's approvals count once; a second vote is refused.
    public var distinctApprovers: Bool
    /// When false (the default) the requester may not approve their own request.
    public var allowSelfApproval: Bool
    public var reasonRequiredOnApprove: Bool
    public var reasonRequiredOnDeny: Bool
    /// Eligible deny votes that reject the request (default 1).
    public var denyVeto: Int
    /// How long a request stays open, in milliseconds.
    public var ttl: Int64
    public var escalation: [EscalationStep]
    public var onTimeout: TimeoutAction
    /// Requests scoring below this are granted at once (nil: never).
    public var autoApproveBelow: Int?
    /// Requests scoring above this are denied at once (nil: never).
    public var autoDenyAbove: Int?
    /// How long a grant lasts once given, in milliseconds.
    public var grantTTL: Int64
    /// When true (the default) a grant allows one execution.
    public var oneShot: Bool
    public var breakGlass: BreakGlassRule?
    /// When true, only votes signed by the voter's own key count: a vote a relay carries for a
    /// caller without a key (a bearer token, a chat button) is refused (`own-key-required`).
    public var ownKeyVotes: Bool = false
    /// Context a request must carry to be opened under this rule, break-glass bypasses
    /// included: at least this many links (a diff, a runbook, a dashboard), so that nobody
    /// is asked to approve what they cannot see. (Every request has a summary already.)
    public var context = RequiredContext()

    /// The groups whose members may vote: required groups, plus groups escalation adds.
    public func eligibleGroups(addedByEscalation added: [String]) -> [String] {
        Array(Set(requiredByGroup.keys).union(added)).sorted()
    }
}

/// What a request must carry to be opened under a rule.
public struct RequiredContext: Sendable, Hashable {
    /// The fewest links a request may carry.
    public var links = 0

    public init(links: Int = 0) {
        self.links = links
    }

    public var isEmpty: Bool { links == 0 }

    /// Why `request` lacks the context, or nil when it has it.
    public func problem(_ request: OpenRequest, rule: String) -> String? {
        guard request.links.count < links else { return nil }
        return "rule \(rule) asks every request for at least \(links) link\(links == 1 ? "" : "s") (this one has \(request.links.count)): link the diff, the runbook or the dashboard, so approvers can judge it"
    }
}

/// What a rule matches on; each list holds globs, any of which may match.
public struct RuleMatch: Sendable, Hashable {
    public var actions: [Glob]
    public var environments: [Glob]
    public var resources: [Glob]
    public var riskMin: Int
    public var riskMax: Int

    public func matches(action: String, environment: String, resource: String, riskScore: Int) -> Bool {
        actions.contains { $0.matches(action) } && environments.contains { $0.matches(environment) }
            && resources.contains { $0.matches(resource) } && (riskMin...riskMax).contains(riskScore)
    }
}

/// After `after` milliseconds pending, notify groups and let more groups approve.
public struct EscalationStep: Sendable, Hashable {
    public var after: Int64
    public var notify: [String]
    /// Members of these groups become eligible, and count toward every required group.
    public var addGroups: [String]
}

/// What `ledger tick` does to a request still pending at its deadline.
public enum TimeoutAction: String, Sendable, Hashable, CaseIterable {
    case expire
    case deny
}

/// Emergency actions without approval, reviewed afterwards.
public struct BreakGlassRule: Sendable, Hashable {
    /// The post-hoc review must be closed within this many milliseconds.
    public var reviewWithin: Int64
    /// Groups whose members may close the review.
    public var reviewers: [String]
}
