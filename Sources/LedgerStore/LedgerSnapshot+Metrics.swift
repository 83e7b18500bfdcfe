public import LedgerDomain

extension LedgerSnapshot {
    /// The projection rows `ApprovalMetrics` needs for `query`, read as
    /// `Ledger.metricsFacts(for:)` reads them for `ledger metrics`, but from the scan's
    /// snapshot, so they describe the same events as the rows being scanned.
    /// - Parameter requests: keep only the rows of these requests; nil for every request.
    /// - Throws: `LedgerError.unsupportedVersion` for a ledger that predates the projections.
    public func metricsFacts(for query: MetricsQuery, requests: Set<String>? = nil) throws -> MetricsFacts {
        try Ledger.requireProjectionTables(db, path: path)
        var facts = try Ledger.facts(db, query, withRequestIDs: requests != nil)
        if let requests {
            facts.requests.removeAll { !requests.contains($0.requestID) }
            facts.votes.removeAll { !requests.contains($0.requestID) }
            facts.attempts.removeAll { !requests.contains($0.requestID) }
            facts.executions.removeAll { !requests.contains($0.requestID) }
        }
        return facts
    }
}
