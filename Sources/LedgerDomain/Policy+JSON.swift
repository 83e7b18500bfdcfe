public import LedgerCrypto
public import LedgerFormat

extension Policy {
    /// The normalized policy as JSON, every default written out: the content a
    /// `policy.published` event carries. Reading it back gives an equal policy.
    public var jsonValue: JSONValue {
        var top = JSONObject()
        top["version"] = .integer(Policy.schemaVersion)
        top["name"] = .string(name)
        var groupObject = JSONObject()
        for (group, members) in groups { groupObject[group] = .array(members.map(JSONValue.string)) }
        top["groups"] = .object(groupObject)
        top["risk"] = risk.jsonValue
        top["rules"] = .array(rules.map(\.jsonValue))
        return .object(top)
    }

    /// RFC 8785 bytes of `jsonValue`.
    public var canonicalContent: [UInt8] { CanonicalJSON.encode(jsonValue) }

    /// SHA-256 of the canonical content: the policy's identity.
    public var contentHash: SHA256Digest { SHA256.hash(canonicalContent) }

    /// Reads a normalized policy (as published in the ledger).
    public init(json: JSONValue) throws(PolicyError) {
        try self.init(source: PolicySource(json: json))
    }
}

extension RiskModel {
    var jsonValue: JSONValue {
        var factorObject = JSONObject()
        for factor in factors {
            var object = JSONObject()
            object["weight"] = .number(factor.weight)
            object["default"] = .number(factor.defaultValue)
            switch factor.mapping {
            case .table(let table):
                var values = JSONObject()
                for (key, value) in table { values[key] = .number(value) }
                object["values"] = .object(values)
            case .scale(let max):
                object["max"] = .number(max)
            case .offHours(let start, let end, let weekdaysOnly):
                object["business_hours"] = .string("\(start)-\(end)")
                object["weekdays_only"] = .bool(weekdaysOnly)
            }
            factorObject[factor.name] = .object(object)
        }
        var levelObject = JSONObject()
        for level in levels { levelObject[level.name] = .integer(Int64(level.from)) }
        return ["factors": .object(factorObject), "levels": .object(levelObject)]
    }
}

extension PolicyRule {
    var jsonValue: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["match"] = [
            "action": .array(match.actions.map { .string($0.pattern) }),
            "environment": .array(match.environments.map { .string($0.pattern) }),
            "resource": .array(match.resources.map { .string($0.pattern) }),
            "risk": ["min": .integer(Int64(match.riskMin)), "max": .integer(Int64(match.riskMax))],
        ]
        var groups = JSONObject()
        for (group, count) in requiredByGroup { groups[group] = .integer(Int64(count)) }
        object["require"] = ["groups": .object(groups), "total": .integer(Int64(requiredTotal))]
        object["distinct_approvers"] = .bool(distinctApprovers)
        object["allow_self_approval"] = .bool(allowSelfApproval)
        // Written only when set, so policies published before the rule existed keep their hash.
        if ownKeyVotes { object["own_key_votes"] = true }
        if !context.isEmpty { object["context"] = ["links": .integer(Int64(context.links))] }
        object["reason_required"] = ["approve": .bool(reasonRequiredOnApprove), "deny": .bool(reasonRequiredOnDeny)]
        object["deny_veto"] = .integer(Int64(denyVeto))
        object["ttl"] = .string(DurationText.format(ttl))
        object["escalation"] = .array(escalation.map { step in
            [
                "after": .string(DurationText.format(step.after)),
                "notify": .array(step.notify.map(JSONValue.string)),
                "add_groups": .array(step.addGroups.map(JSONValue.string)),
            ]
        })
        object["on_timeout"] = .string(onTimeout.rawValue)
        if let autoApproveBelow { object["auto_approve_below"] = .integer(Int64(autoApproveBelow)) }
        if let autoDenyAbove { object["auto_deny_above"] = .integer(Int64(autoDenyAbove)) }
        object["grant"] = ["ttl": .string(DurationText.format(grantTTL)), "one_shot": .bool(oneShot)]
        if let breakGlass {
            object["break_glass"] = [
                "review_within": .string(DurationText.format(breakGlass.reviewWithin)),
                "reviewers": .array(breakGlass.reviewers.map(JSONValue.string)),
            ]
        }
        return .object(object)
    }
}
