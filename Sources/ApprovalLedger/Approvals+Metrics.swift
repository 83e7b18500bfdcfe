extension Approvals {
    /// The approval SLIs for `query`, computed from the projection tables (docs/METRICS.md).
    ///
    /// With `verifyChain`, first runs a full `Verifier().verify` pass (as long as `ledger
    /// verify` takes) and counts a request whose events are not all before the first error
    /// against audit completeness (M10); otherwise M10 leaves the chain out and says so.
    public func metrics(_ query: MetricsQuery, verifyChain: Bool = false) async throws -> ApprovalMetrics {
        let ledger = try file(for: "ledger metrics")
        var query = query
        if verifyChain { query.chain = MetricsQuery.Chain(try Verifier().verify(ledger)) }
        return try await ledger.metrics(for: query)
    }
}
