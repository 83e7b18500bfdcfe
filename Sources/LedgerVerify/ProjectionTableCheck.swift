internal import LedgerDomain
internal import LedgerFormat
internal import LedgerStore

/// The projection tables held to the walk's own replay, request by request, as the walk goes:
/// each request's projection, once its last event is walked, against the rows the tables hold
/// for it (one indexed read), then the tables' row count against the rows compared, so a row
/// of no request is seen too. No second pass over the events and no scratch database; memory
/// is the requests in flight, which the walk holds anyway.
struct ProjectionTableCheck {
    /// Requests whose rows differ, listed one finding each up to this many.
    static let listed = 100

    private var comparedRows = 0
    private var differing: [(requestID: String, tables: [String])] = []
    private var differingCount = 0

    /// Holds the tables to `projections` that are final: their stream has no later event in
    /// the snapshot (a request released early comes back with its later events).
    mutating func compare(_ projections: [RequestProjection], tables: any ProjectionTables) throws {
        for projection in projections {
            guard try tables.lastSeq(stream: projection.state.id) == projection.lastSeq else { continue }
            let comparison = try tables.compareProjection(projection)
            comparedRows += comparison.storedRows
            guard !comparison.differingTables.isEmpty else { continue }
            differingCount += 1
            if differing.count < Self.listed { differing.append((projection.state.id, comparison.differingTables)) }
        }
    }

    /// The findings, once every request has been compared: rows that differ, rows of no
    /// request, and the digest `ledger rebuild` recorded held to the events it covered.
    func finish(tables: any ProjectionTables, head: Int64) throws -> [Finding] {
        var findings = differing.sorted { $0.requestID < $1.requestID }.map { request in
            Finding(.projectionMismatch, seq: nil, requestID: request.requestID, "the projection rows of request '\(Identifier.printable(request.requestID))' (\(request.tables.joined(separator: ", "))) differ from a replay of its events: a row was edited, or an append bypassed the library; `ledger rebuild` restores them")
        }
        if differingCount > differing.count {
            findings.append(Finding(.projectionMismatch, seq: nil, "the projection rows of \(differingCount - differing.count) more requests differ from a replay of their events"))
        }
        let stray = try tables.projectionRowCount() - comparedRows
        if stray != 0 {
            findings.append(Finding(.projectionMismatch, seq: nil, "the projection tables hold \(stray) rows that belong to no request of the log: they were written into the file by hand; `ledger rebuild` removes them"))
        }
        if let finding = try recordedDigestFinding(tables: tables, head: head, tablesMatch: findings.isEmpty) {
            findings.append(finding)
        }
        return findings
    }

    /// The digest `ledger rebuild` recorded, held to a replay of the events it covers. When it
    /// covers the head and the tables equal the replay, that replay's digest is the tables'
    /// own: one ordered read of them. Otherwise (events appended since the rebuild, or tables
    /// that differ) the events it covers are replayed again, into a scratch database.
    private func recordedDigestFinding(tables: any ProjectionTables, head: Int64, tablesMatch: Bool) throws -> Finding? {
        guard let recorded = try tables.recordedProjectionDigest() else { return nil }
        let matches: Bool
        if recorded.throughSeq > head {
            matches = false
        } else if recorded.version != ProjectionDigest.currentVersion {
            return nil
        } else if recorded.throughSeq == head, tablesMatch {
            matches = recorded.matches(try tables.projectionTablesDigest())
        } else {
            matches = recorded.matches(try tables.replayedProjectionDigest(through: recorded.throughSeq))
        }
        if matches { return nil }
        return Finding(.projectionDigestMismatch, seq: recorded.throughSeq, "the projection digest recorded by `ledger rebuild` for events 1…\(recorded.throughSeq) does not match a replay of those events: the events or the record were changed since")
    }
}
