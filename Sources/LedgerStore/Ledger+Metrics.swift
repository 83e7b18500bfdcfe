internal import GRDB
public import LedgerDomain
internal import LedgerFormat

extension Ledger {
    /// The approval SLIs for `query`, computed from the projection tables in one snapshot as
    /// their rows are read (`MetricsTally`): memory follows what the figures keep, not the
    /// number of rows. Gives what `ApprovalMetrics(facts: metricsFacts(for: query), query:)`
    /// gives.
    /// - Throws: `LedgerError.unsupportedVersion` for a ledger that predates the projections.
    public func metrics(for query: MetricsQuery) async throws -> ApprovalMetrics {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Self.requireProjectionTables(db, path: self.path)
                var tally = MetricsTally(query: query)
                try Self.readMetricsRows(db, query, into: &tally)
                return tally.metrics
            }
        }
    }

    /// The projection rows `ApprovalMetrics` needs for `query`, read in one snapshot.
    ///
    /// Rows are pre-filtered in SQL where that is exact (the environment, an action without
    /// glob characters, nothing after `query.now`); `ApprovalMetrics` applies the query in
    /// full, so the figures never depend on this narrowing. Without an environment or action
    /// filter, votes, attempts and executions come without their request id, which only
    /// selection by request needs.
    public func metricsFacts(for query: MetricsQuery) async throws -> MetricsFacts {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Self.requireProjectionTables(db, path: self.path)
                return try Self.facts(db, query)
            }
        }
    }

    static func facts(_ db: Database, _ query: MetricsQuery, withRequestIDs: Bool = false) throws -> MetricsFacts {
        var facts = MetricsFacts()
        try readMetricsRows(db, query, withRequestIDs: withRequestIDs, into: &facts)
        return facts
    }

    /// - Parameter withRequestIDs: read the request id of every vote, attempt and execution
    ///   even without a filter (to select records by request afterwards).
    static func readMetricsRows(_ db: Database, _ query: MetricsQuery, withRequestIDs: Bool = false, into sink: inout some MetricsRowSink) throws {
        let now = query.now.millisecondsSinceEpoch
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let environment = query.environment {
            conditions.append("t.environment = ?")
            arguments += [environment]
        }
        if let action = query.action, !action.contains("*"), !action.contains("?") {
            conditions.append("t.action = ?")
            arguments += [action]
        }
        let narrowed = !conditions.isEmpty
        let requestFilter = (conditions + ["t.opened_ms <= ?"]).joined(separator: " AND ")
        let requests = try Row.fetchCursor(db, sql: """
            SELECT request_id, environment, action, opened_ms, deadline_ms, resolved_ms, outcome, decided_by, escalations,
                   first_escalated_ms, first_executed_ms, first_failure_ms, rolled_back_ms, recovered_ms,
                   review_deadline_ms, review_closed_ms, missing_fields, last_seq
            FROM request_timings t WHERE \(requestFilter)
            """, arguments: arguments + [now])
        while let row = try requests.next() {
            let missing: String = row[16]
            sink.add(RequestTimings(
                requestID: row[0], environment: row[1], action: row[2], openedMs: row[3], deadlineMs: row[4], resolvedMs: row[5],
                outcome: (row[6] as String?).flatMap(RequestState.Status.init(rawValue:)),
                decidedBy: (row[7] as String?).flatMap(RequestTimings.DecidedBy.init(rawValue:)), escalations: row[8],
                firstEscalatedMs: row[9], firstExecutedMs: row[10], firstFailureMs: row[11], rolledBackMs: row[12], recoveredMs: row[13],
                reviewDeadlineMs: row[14], reviewClosedMs: row[15],
                missingFields: missing.isEmpty ? [] : missing.split(separator: ",").map(String.init), lastSeq: row[17]))
        }

        // M1 by channel: the origin of each request's last vote, the one that decided it
        // (later votes are refused, and recorded as attempts). The projections keep no
        // origin, so it is read from the envelope, for requests people decided only.
        let join = narrowed ? " AND " + conditions.joined(separator: " AND ") : ""
        let channels = try Row.fetchCursor(db, sql: """
            SELECT d.request_id, json_extract(CAST(e.envelope AS TEXT), '$.origin.via'), json_extract(CAST(e.envelope AS TEXT), '$.origin.keyId')
            FROM (SELECT v.request_id, MAX(v.seq) AS seq FROM votes v JOIN request_timings t ON t.request_id = v.request_id
                  WHERE t.decided_by = 'people' AND t.opened_ms <= ?\(join) GROUP BY v.request_id) d
            JOIN events e ON e.seq = d.seq
            """, arguments: [now] + arguments)
        while let row = try channels.next() {
            let via: String? = row[1]
            let keyID: String? = row[2]
            let channel = via.map { VoteChannel.of(.relayed(via: $0)) } ?? (keyID == nil ? VoteChannel.ownKey : VoteChannel.signedCommand)
            sink.add(decidingChannel: channel, of: row[0])
        }

        // A record's request id only matters to select it by its request's environment or
        // action (or by request): without a filter it is not read (each is a string to allocate).
        let selecting = withRequestIDs || query.environment != nil || query.action != nil
        func records(_ columns: String, _ table: String) throws -> RowCursor {
            let join = narrowed ? " JOIN request_timings t ON t.request_id = r.request_id" : ""
            let filter = (narrowed ? conditions : []) + ["r.time_ms <= ?"]
            let from = "FROM \(table) r\(join) WHERE \(filter.joined(separator: " AND "))"
            let arguments = (narrowed ? arguments : StatementArguments()) + [now]
            let requestID = selecting ? "r.request_id" : "''"
            return try Row.fetchCursor(db, sql: "SELECT r.seq, \(requestID), \(columns) " + from, arguments: arguments)
        }
        let votes = try records("r.voter, r.decision, r.time_ms", "votes")
        while let row = try votes.next() {
            sink.add(VoteRecord(seq: row[0], requestID: row[1], voter: row[2], approve: (row[3] as String) == "approve", timeMs: row[4]))
        }
        let attempts = try records("r.kind, r.actor, r.code, r.time_ms", "attempts")
        while let row = try attempts.next() {
            sink.add(AttemptRecord(
                seq: row[0], requestID: row[1], kind: AttemptRecord.Kind(rawValue: row[2]) ?? .vote, actor: row[3], code: row[4], timeMs: row[5]))
        }
        let executions = try records("r.approved, r.outcome, r.time_ms", "executions")
        while let row = try executions.next() {
            sink.add(ExecutionRecord(
                seq: row[0], requestID: row[1], approved: (row[2] as Int64) != 0, succeeded: (row[3] as String) == "succeeded", timeMs: row[4]))
        }
    }
}
