public import LedgerFormat

extension ApprovalMetrics {
    /// The SLIs as JSON, for `ledger metrics --format json` and for services. Durations are
    /// integer milliseconds (the mean may have a fraction), times are RFC 3339 UTC, and a
    /// ratio is `{numerator, denominator, value}` with `value` null when nothing was counted.
    /// docs/METRICS.md lists every member.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        var window = JSONObject()
        window["now"] = .string(query.now.description)
        window["since"] = query.since.map { .string($0.description) } ?? .null
        window["until"] = query.until.map { .string($0.description) } ?? .null
        window["environment"] = query.environment.map(JSONValue.string) ?? .null
        window["action"] = query.action.map(JSONValue.string) ?? .null
        object["window"] = .object(window)

        object["approvalLatency"] = [
            "all": Self.json(approvalLatency),
            "byEnvironmentAndAction": .array(approvalLatencyByGroup.map { group in
                var entry = Self.jsonObject(group.latency)
                entry["environment"] = .string(group.environment)
                entry["action"] = .string(group.action)
                return .object(entry)
            }),
            "byChannel": .array(approvalLatencyByChannel.map { group in
                var entry = Self.jsonObject(group.latency)
                entry["channel"] = .string(group.channel)
                return .object(entry)
            }),
        ]
        var rate = Self.jsonObject(approvalRate)
        rate["byDecider"] = .array(decisionsByDecider.map {
            ["decidedBy": .string($0.decidedBy.rawValue), "granted": .integer(Int64($0.granted)), "denied": .integer(Int64($0.denied))]
        })
        object["approvalRate"] = .object(rate)
        object["stalled"] = [
            "count": .integer(Int64(stalled.count)),
            "requests": .array(stalled.map {
                [
                    "requestId": .string($0.requestID), "environment": .string($0.environment), "action": .string($0.action),
                    "deadline": .string(Timestamp(millisecondsSinceEpoch: $0.deadlineMs).description), "overdueMs": .integer($0.overdueMs),
                ]
            }),
        ]
        object["pendingQueue"] = ["depth": .integer(Int64(pendingDepth)), "oldestAgeMs": oldestPendingAgeMs.map(JSONValue.integer) ?? .null]
        object["escalationRate"] = Self.json(escalationRate)
        object["failuresAfterApproval"] = Self.json(failuresAfterApproval)
        object["rejectedAttempts"] = [
            "total": .integer(Int64(rejectedAttemptsTotal)),
            "byReason": .array(rejectedAttempts.map {
                ["kind": .string($0.kind ?? ""), "reason": .string($0.reason), "count": .integer(Int64($0.count))]
            }),
        ]
        object["rollbacksAfterApproval"] = Self.json(rollbacksAfterApproval)
        object["traffic"] = [
            "opened": .integer(Int64(requestsOpened)),
            "lastHour": .integer(Int64(requestsLastHour)),
            "lastDay": .integer(Int64(requestsLastDay)),
            "perHour": Self.json(requestsPerHour),
            "perDay": Self.json(requestsPerDay),
        ]
        object["timeToRecover"] = [
            "recovered": Self.json(timeToRecover),
            "unrecovered": .integer(Int64(unrecovered)),
            "oldestUnrecoveredAgeMs": oldestUnrecoveredAgeMs.map(JSONValue.integer) ?? .null,
        ]
        var completeness = Self.jsonObject(auditCompleteness)
        completeness["chainChecked"] = .bool(query.chain != .notChecked)
        completeness["incomplete"] = .array(incompleteReasons.map { ["reason": .string($0.reason), "count": .integer(Int64($0.count))] })
        object["auditCompleteness"] = .object(completeness)
        object["approvers"] = .array(approvers.map {
            [
                "approver": .string($0.approver), "approvals": .integer(Int64($0.approvals)), "denials": .integer(Int64($0.denials)),
                "rejectedAttempts": .integer(Int64($0.rejectedAttempts)),
            ]
        })
        return .object(object)
    }

    static func json(_ summary: DurationSummary) -> JSONValue { .object(jsonObject(summary)) }

    static func jsonObject(_ summary: DurationSummary) -> JSONObject {
        var object = JSONObject()
        object["count"] = .integer(Int64(summary.count))
        object["sumMs"] = .integer(summary.sumMs)
        object["meanMs"] = summary.meanMs.map(JSONValue.number) ?? .null
        object["minMs"] = summary.minMs.map(JSONValue.integer) ?? .null
        object["p50Ms"] = summary.p50Ms.map(JSONValue.integer) ?? .null
        object["p90Ms"] = summary.p90Ms.map(JSONValue.integer) ?? .null
        object["p99Ms"] = summary.p99Ms.map(JSONValue.integer) ?? .null
        object["maxMs"] = summary.maxMs.map(JSONValue.integer) ?? .null
        return object
    }

    static func json(_ ratio: Ratio) -> JSONValue { .object(jsonObject(ratio)) }

    static func jsonObject(_ ratio: Ratio) -> JSONObject {
        var object = JSONObject()
        object["numerator"] = .integer(Int64(ratio.numerator))
        object["denominator"] = .integer(Int64(ratio.denominator))
        object["value"] = ratio.value.map(JSONValue.number) ?? .null
        return object
    }

    static func json(_ buckets: [TrafficBucket]) -> JSONValue {
        .array(buckets.map { ["start": .string(Timestamp(millisecondsSinceEpoch: $0.startMs).description), "count": .integer(Int64($0.count))] })
    }
}
