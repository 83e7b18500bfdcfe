internal import LedgerCrypto
public import LedgerFormat
public import LedgerStore
public import LedgerDomain

/// What a period of the ledger holds, folded for the CSV and HTML reports: the requests in
/// scope with their histories, the keys and the policy versions up to the period's end.
public struct PeriodRecord: Sendable {
    /// A key's registration and, if it came, its revocation.
    public struct KeyLife: Sendable {
        public let registration: KeyRegistration
        public let registeredSeq: Int64
        public let registeredAt: Timestamp
        public internal(set) var revokedSeq: Int64?
        public internal(set) var revokedAt: Timestamp?
        public internal(set) var revocationReason: String?

        /// True when the key could sign something in the period: registered before its end
        /// and not revoked before its start.
        public func inForce(during plan: ExportPlan) -> Bool {
            guard registeredSeq <= plan.periodEnd else { return false }
            guard let revokedAt, let since = plan.scope.since else { return true }
            return revokedAt >= since
        }
    }

    /// A published policy version.
    public struct PolicyVersion: Sendable {
        /// The seq of its `policy.published` event, which requests name as their version.
        public let version: Int64
        public let publishedAt: Timestamp
        public let publishedBy: String
        public let name: String
        public let hash: String
        /// The rule names, in order.
        public let rules: [String]
        public let content: JSONValue?
    }

    public let plan: ExportPlan
    /// Requests in scope, in the order they were opened.
    public internal(set) var requests: [RequestRecord] = []
    public internal(set) var keys: [KeyLife] = []
    public internal(set) var policies: [PolicyVersion] = []
    /// The time of the first and of the last event in the period.
    public internal(set) var firstTime: Timestamp?
    public internal(set) var lastTime: Timestamp?
    /// The projection rows `ledger metrics` computes its SLIs from, up to the period's end:
    /// of every request, or of the requests in scope when the scope names some. Empty unless
    /// read with `keepHistory`.
    public internal(set) var metricsFacts = MetricsFacts()

    /// Reads events 1 … `plan.periodEnd` once.
    /// - Parameter keepHistory: keep every request's events, and read `metricsFacts` from the
    ///   same snapshot (what the HTML report shows beyond the CSV).
    /// - Throws: `ExportError.notExportable` for an event that cannot be exported;
    ///   `LedgerError.unsupportedVersion`, with `keepHistory`, for a ledger without the
    ///   metrics projections.
    public static func read(
        ledger: Ledger, plan: ExportPlan, keepHistory: Bool, progress: ((Int64) -> Void)? = nil
    ) throws -> PeriodRecord {
        var plan = plan
        plan.end = plan.periodEnd
        var record = PeriodRecord(plan: plan)
        var index: [String: Int] = [:]
        var keyIndex: [KeyID: Int] = [:]
        func readFacts(_ snapshot: LedgerSnapshot) throws {
            guard keepHistory else { return }
            // Nothing after the period's end counts; `ApprovalMetrics` applies the rest of the query.
            let query = MetricsQuery(now: plan.scope.until ?? Timestamp(millisecondsSinceEpoch: Timestamp.range.upperBound))
            record.metricsFacts = try snapshot.metricsFacts(for: query, requests: plan.scope.requestIDs.isEmpty ? nil : plan.requests)
        }
        try ExportedEvent.forEach(in: ledger, plan: plan, progress: progress, start: readFacts) { exported in
            let envelope = exported.event.envelope
            if plan.scope.contains(envelope.time) {
                record.firstTime = min(record.firstTime ?? envelope.time, envelope.time)
                record.lastTime = max(record.lastTime ?? envelope.time, envelope.time)
            }
            if plan.requests.contains(envelope.stream) {
                if envelope.streamVersion == 1 {
                    index[envelope.stream] = record.requests.count
                    record.requests.append(RequestRecord(opening: exported))
                }
                if let position = index[envelope.stream] {
                    record.requests[position].apply(exported, keepHistory: keepHistory)
                }
                return
            }
            guard envelope.stream.hasPrefix("$"), let payload = try? exported.event.payload() else { return }
            switch envelope.type {
            case KeyEvents.genesisType:
                if let genesis = try? Genesis(payload) {
                    keyIndex[genesis.rootKey.keyID] = record.keys.count
                    record.keys.append(KeyLife(registration: genesis.rootKey, registeredSeq: envelope.seq, registeredAt: envelope.time))
                }
            case KeyEvents.registeredType:
                if let registration = try? KeyRegistration(payload, what: "key.registered") {
                    keyIndex[registration.keyID] = record.keys.count
                    record.keys.append(KeyLife(registration: registration, registeredSeq: envelope.seq, registeredAt: envelope.time))
                }
            case KeyEvents.revokedType:
                if let revocation = try? KeyRevocation(payload, what: "key.revoked"), let position = keyIndex[revocation.keyID] {
                    record.keys[position].revokedSeq = envelope.seq
                    record.keys[position].revokedAt = envelope.time
                    record.keys[position].revocationReason = revocation.reason
                }
            case ApprovalEvents.policyPublished:
                let rules = payload["content"]?["rules"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                record.policies.append(PolicyVersion(
                    version: envelope.seq, publishedAt: envelope.time, publishedBy: envelope.actor,
                    name: payload["name"]?.stringValue ?? "", hash: payload["hash"]?.stringValue ?? "", rules: rules,
                    content: payload["content"]))
            default:
                break
            }
        }
        return record
    }

    /// The policy versions in force during the period: the last one published before it
    /// started, and every one published during it.
    public var policiesInForce: [PolicyVersion] {
        guard let since = plan.scope.since else { return policies }
        let before = policies.last { $0.publishedAt < since }
        return policies.filter { $0.publishedAt >= since || $0.version == before?.version }
    }
}
