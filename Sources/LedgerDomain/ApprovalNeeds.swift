public import LedgerFormat

/// What a pending request still needs before its rule grants it: per required group the
/// approvals that count for it, in all the approvals counted, who may still vote, and by when.
/// `request wait` prints it when it stops without a decision.
public struct ApprovalNeeds: Sendable, Hashable {
    /// One required group of the rule.
    public struct Group: Sendable, Hashable {
        /// The group's name in the policy.
        public var name: String
        /// Approvals the rule requires from it.
        public var required: Int
        /// The approvers counted for this group (one approval counts for one group only).
        public var approvedBy: [String]
        /// Approvals it still lacks.
        public var missing: Int { max(0, required - approvedBy.count) }
    }

    /// The rule that governs the request.
    public var rule: String
    /// Its required groups, by name.
    public var groups: [Group]
    /// Approvals the rule requires in all.
    public var requiredTotal: Int
    /// Approvals that count so far.
    public var approvals: Int
    /// Approvals still lacking in all.
    public var missingTotal: Int { max(0, requiredTotal - approvals) }
    /// The groups whose members may vote, escalations included.
    public var eligibleGroups: [String]
    /// When the request expires (or is denied, as its rule says) undecided.
    public var deadline: Timestamp

    /// What `state` still needs under `policy`, the version it records; nil when that policy
    /// has no rule of the request's name.
    public static func of(_ state: RequestState, policy: Policy) -> ApprovalNeeds? {
        guard let rule = policy.rule(named: state.ruleName) else { return nil }
        let context = Decider.Context(state: state, rule: rule, policy: policy, actor: "", now: state.openedAt)
        let approvals = context.approvals(state)
        let assignment = ApproverMatching(required: rule.requiredByGroup, total: rule.requiredTotal).filled(by: approvals).assignment
        return ApprovalNeeds(
            rule: rule.name,
            groups: rule.requiredByGroup.sorted { $0.key < $1.key }.map { Group(name: $0.key, required: $0.value, approvedBy: assignment[$0.key] ?? []) },
            requiredTotal: rule.requiredTotal, approvals: approvals.count,
            eligibleGroups: rule.eligibleGroups(addedByEscalation: state.addedGroups), deadline: state.deadline)
    }

    /// One line: "rule prod-db-migration needs dba 0/1, sre 1/1, 1 of 2 approvals in all; eligible: dba, sre".
    public var summary: String {
        let parts = groups.map { "\($0.name) \($0.approvedBy.count)/\($0.required)" } + ["\(approvals) of \(requiredTotal) approvals in all"]
        return "rule \(rule) needs " + parts.joined(separator: ", ") + (eligibleGroups.isEmpty ? "" : "; eligible: " + eligibleGroups.joined(separator: ", "))
    }

    /// As `request wait --format json` prints it under `stillNeeded`.
    public var jsonValue: JSONValue {
        [
            "rule": .string(rule),
            "groups": .array(groups.map { group in
                [
                    "group": .string(group.name), "required": .integer(Int64(group.required)),
                    "approvedBy": .array(group.approvedBy.map(JSONValue.string)), "missing": .integer(Int64(group.missing)),
                ]
            }),
            "requiredTotal": .integer(Int64(requiredTotal)), "approvals": .integer(Int64(approvals)), "missingTotal": .integer(Int64(missingTotal)),
            "eligibleGroups": .array(eligibleGroups.map(JSONValue.string)), "deadline": .string(deadline.description),
        ]
    }
}
