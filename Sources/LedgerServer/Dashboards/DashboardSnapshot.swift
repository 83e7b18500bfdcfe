import ApprovalLedger

/// Everything one dashboard page or one `/metrics` scrape shows, read at one instant: the
/// SLIs, the dashboard figures, the group queues, votes by channel.
struct DashboardSnapshot: Sendable {
    let now: Timestamp
    let metrics: ApprovalMetrics
    let figures: DashboardFigures
    /// The pending requests' rows, by id (summary, resource, requester, rule).
    let pendingRows: [String: RequestRow]
    let queues: [GroupQueue]
    /// What each pending request still needs, by id.
    let needs: [String: ApprovalNeeds]
    let voteChannels: [String: Int]

    static func read(_ environment: ServerEnvironment, now: Timestamp = SystemClock.now()) async throws -> DashboardSnapshot {
        let query = MetricsQuery(now: now)
        let facts = try await environment.ledger.metricsFacts(for: query)
        let figures = DashboardFigures(facts: facts, now: now)
        var rows: [String: RequestRow] = [:]
        for row in try await environment.approvals.list(status: [.pending]) { rows[row.requestID] = row }
        var needs: [(requestID: String, needs: ApprovalNeeds)] = []
        for pending in figures.pending {
            if let need = try await environment.approvals.stillNeeded(pending.requestID) { needs.append((pending.requestID, need)) }
        }
        return DashboardSnapshot(
            now: now, metrics: ApprovalMetrics(facts: facts, query: query), figures: figures, pendingRows: rows,
            queues: GroupQueue.queues(needs), needs: Dictionary(needs.map { ($0.requestID, $0.needs) }, uniquingKeysWith: { first, _ in first }), voteChannels: try await environment.voteChannels.counts(environment.ledger))
    }
}
