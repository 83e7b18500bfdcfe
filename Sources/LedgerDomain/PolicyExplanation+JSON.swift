public import LedgerFormat

extension PolicyExplanation {
    /// As `ledger policy explain --format json` prints it and `POST /v1/policy/explain` answers.
    public var jsonValue: JSONValue {
        var policyObject = JSONObject.members(["name": .string(policy.policy.name), "hash": .string(policy.hash)])
        if policy.version > 0 { policyObject["version"] = .integer(policy.version) }
        var inputs = JSONObject()
        for (key, value) in request.riskInputs.sorted(by: { $0.key < $1.key }) { inputs[key] = .string(value) }
        var riskObject = risk.jsonValue.objectValue ?? JSONObject()
        riskObject["explanation"] = .string(risk.explanation)
        var object = JSONObject.members([
            "policy": .object(policyObject),
            "request": [
                "action": .string(request.action), "environment": .string(request.environment), "resource": .string(request.resource),
                "riskInputs": .object(inputs), "time": .string(time.description),
            ],
            "risk": .object(riskObject),
            "rules": .array(checks.map { check in
                ["rule": .string(check.rule), "matches": .bool(check.matches), "reasons": .array(check.reasons.map(JSONValue.string))]
            }),
            "outcome": .string(outcome),
        ])
        if let rule {
            object["rule"] = .string(rule.name)
            object["requires"] = Self.requirements(rule, policy: policy.policy)
        }
        return .object(object)
    }

    /// Everything a rule asks of a request once it matches.
    static func requirements(_ rule: PolicyRule, policy: Policy) -> JSONValue {
        var object = JSONObject.members([
            "groups": .array(rule.requiredByGroup.sorted { $0.key < $1.key }.map { group, count in
                ["group": .string(group), "required": .integer(Int64(count)), "members": .array(policy.members(of: group).sorted().map(JSONValue.string))]
            }),
            "total": .integer(Int64(rule.requiredTotal)),
            "distinctApprovers": .bool(rule.distinctApprovers),
            "allowSelfApproval": .bool(rule.allowSelfApproval),
            "ownKeyVotes": .bool(rule.ownKeyVotes),
            "reasonRequired": ["approve": .bool(rule.reasonRequiredOnApprove), "deny": .bool(rule.reasonRequiredOnDeny)],
            "denyVeto": .integer(Int64(rule.denyVeto)),
            "ttl": .string(DurationText.format(rule.ttl)),
            "onTimeout": .string(rule.onTimeout.rawValue),
            "escalation": .array(rule.escalation.map { step in
                [
                    "after": .string(DurationText.format(step.after)), "notify": .array(step.notify.map(JSONValue.string)),
                    "addGroups": .array(step.addGroups.map(JSONValue.string)),
                ]
            }),
            "grant": ["ttl": .string(DurationText.format(rule.grantTTL)), "oneShot": .bool(rule.oneShot)],
        ])
        if let below = rule.autoApproveBelow { object["autoApproveBelow"] = .integer(Int64(below)) }
        if let above = rule.autoDenyAbove { object["autoDenyAbove"] = .integer(Int64(above)) }
        if let glass = rule.breakGlass {
            object["breakGlass"] = ["reviewWithin": .string(DurationText.format(glass.reviewWithin)), "reviewers": .array(glass.reviewers.map(JSONValue.string))]
        }
        return .object(object)
    }
}
