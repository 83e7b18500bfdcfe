public import LedgerDomain

extension MetricsQuery.Chain {
    /// What a verification report says about the chain, for audit completeness (M10): an
    /// error about the ledger as a whole (no seq) taints every request; otherwise everything
    /// from the first error on.
    public init(_ report: VerificationReport) {
        let errors = report.findings.filter { $0.severity == .error }
        if errors.isEmpty {
            self = .valid
        } else if errors.contains(where: { $0.seq == nil }) {
            self = .invalid(fromSeq: 1)
        } else {
            self = .invalid(fromSeq: errors.compactMap(\.seq).min() ?? 1)
        }
    }
}
