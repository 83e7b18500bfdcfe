public import LedgerFormat

extension RequestState {
    /// The request as JSON, for `--format json` and for services.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["requestId"] = .string(id)
        object["status"] = .string(status.rawValue)
        object["action"] = .string(action)
        object["resource"] = .string(resource)
        object["environment"] = .string(environment)
        object["summary"] = .string(summary)
        object["links"] = .array(links.map(JSONValue.string))
        object["changeDigest"] = changeDigest.map(JSONValue.string) ?? .null
        object["release"] = release.map(JSONValue.string) ?? .null
        object["requester"] = .string(requester)
        object["risk"] = ["score": .integer(Int64(riskScore)), "level": .string(riskLevel), "explanation": .string(riskExplanation)]
        object["policy"] = ["version": .integer(policyVersion), "hash": .string(policyHash), "rule": .string(ruleName)]
        object["openedAt"] = .string(openedAt.description)
        object["deadline"] = .string(deadline.description)
        object["version"] = .integer(version)
        object["contentVersion"] = .integer(contentVersion)
        object["votes"] = .array(votes.map { vote in
            ["voter": .string(vote.voter), "decision": .string(vote.approve ? "approve" : "deny"), "reason": .string(vote.reason), "seq": .integer(vote.seq), "time": .string(vote.time.description)]
        })
        object["rejectedAttempts"] = .array(rejectedAttempts.map(JSONValue.string))
        object["escalations"] = .integer(Int64(escalationsApplied))
        object["addedGroups"] = .array(addedGroups.map(JSONValue.string))
        object["decidedAt"] = decidedAt.map { .string($0.description) } ?? .null
        object["decision"] = decisionExplanation.map(JSONValue.string) ?? .null
        object["automatic"] = .bool(automatic)
        if let grant {
            var g = JSONObject()
            g["id"] = .string(grant.id)
            g["expiresAt"] = .string(grant.expiresAt.description)
            g["oneShot"] = .bool(grant.oneShot)
            g["changeDigest"] = grant.changeDigest.map(JSONValue.string) ?? .null
            object["grant"] = .object(g)
        } else {
            object["grant"] = .null
        }
        object["executions"] = .array(executions.map { execution in
            var e = JSONObject()
            e["outcome"] = .string(execution.succeeded ? "succeeded" : "failed")
            e["time"] = .string(execution.time.description)
            e["detail"] = execution.detail.map(JSONValue.string) ?? .null
            return .object(e)
        })
        object["refusedExecutions"] = .array(refusedExecutions.map(JSONValue.string))
        object["rolledBackAt"] = rolledBackAt.map { .string($0.description) } ?? .null
        object["recoveredAt"] = recoveredAt.map { .string($0.description) } ?? .null
        if let review {
            var r = JSONObject()
            r["reason"] = .string(review.reason)
            r["deadline"] = .string(review.deadline.description)
            r["closedAt"] = review.closedAt.map { .string($0.description) } ?? .null
            r["outcome"] = review.outcome.map(JSONValue.string) ?? .null
            object["review"] = .object(r)
        } else {
            object["review"] = .null
        }
        return .object(object)
    }
}
