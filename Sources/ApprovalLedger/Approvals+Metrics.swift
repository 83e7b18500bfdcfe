extension Approvals {
    /// The approval SLIs for `query`, computed from the projection tables (docs/METRICS.md).
    ///
    /// With `verifyChain`, first runs a full `Verifier().verify` pass (as long as `ledger
    /// verify` takes) and counts a request whose events are not all before the first error
    /// against audit completeness (M10); otherwise M10 leaves the chain out and says so.
    public func metrics(_ query: MetricsQuery, verifyChain: Bool = false) async throws -> ApprovalMetrics {
        var query = query
        if verifyChain { query.chain = Self.chain(try Verifier().verify(ledger)) }
        return ApprovalMetrics(facts: try await ledger.metricsFacts(for: query), query: query)
    }

    /// What a verification report says about the chain: an error about the ledger as a whole
    /// (no seq) taints every request; otherwise everything from the first error on.
    static func chain(_ report: VerificationReport) -> MetricsQuery.Chain {
        let errors = report.findings.filter { $0.severity == .error }
        guard !errors.isEmpty else { return .valid }
        if errors.contains(where: { $0.seq == nil }) { return .invalid(fromSeq: 1) }
        return .invalid(fromSeq: errors.compactMap(\.seq).min() ?? 1)
    }
}
