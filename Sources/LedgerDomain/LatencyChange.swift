internal import LedgerFormat

/// The waiting for a grant that the draft changes.
public enum LatencyChange: Sendable, Hashable {
    /// Granted sooner by this many milliseconds (auto-approved, or fewer votes needed).
    case saved(Int64)
    /// Granted later by this many milliseconds (a later vote was needed).
    case cost(Int64)
    /// Granted as recorded, still pending under the draft: the cost has no bound.
    case unbounded
    /// Still pending as recorded, granted under the draft this long before the instant judged.
    case savedAtLeast(Int64)

    var savedMs: Int64 {
        switch self {
        case .saved(let ms), .savedAtLeast(let ms): ms
        default: 0
        }
    }

    var costMs: Int64 { if case .cost(let ms) = self { ms } else { 0 } }

    /// Compares the recorded grant with the draft's; nil when not both (or neither) grant.
    init?(recorded: RequestState, draft: RequestState?, asOf: Timestamp) {
        let recordedGrant = recorded.status == .granted ? recorded.decidedAt : nil
        let draftGrant = draft?.status == .granted ? draft?.decidedAt : nil
        switch (recordedGrant, draftGrant) {
        case (let was?, let now?):
            let delta = was.millisecondsSinceEpoch - now.millisecondsSinceEpoch
            if delta == 0 { return nil }
            self = delta > 0 ? .saved(delta) : .cost(-delta)
        case (.some, nil) where draft?.status == .pending:
            self = .unbounded
        case (nil, let now?) where recorded.status == .pending:
            self = .savedAtLeast(max(0, asOf.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
        default:
            return nil
        }
    }

    /// "saved 2h", "cost 30m", "cost unbounded (still pending)", "saved at least 1d".
    public var summary: String {
        switch self {
        case .saved(let ms): "saved \(PolicySimulation.duration(ms))"
        case .cost(let ms): "cost \(PolicySimulation.duration(ms))"
        case .unbounded: "cost unbounded (still pending)"
        case .savedAtLeast(let ms): "saved at least \(PolicySimulation.duration(ms)) (still pending as recorded)"
        }
    }
}
