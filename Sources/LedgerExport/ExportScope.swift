public import LedgerFormat

/// The part of a ledger an export covers: a period, optionally some requests, and what to
/// withhold.
///
/// An event is *in the period* when `since <= time < until` (either bound may be open). A
/// request is *in scope* when one of its events is in the period and, if `requestIDs` is not
/// empty, its id is listed. See `ExportPlan` for what this means for each event.
public struct ExportScope: Sendable, Hashable {
    /// Inclusive start of the period; nil for "from the genesis".
    public var since: Timestamp?
    /// Exclusive end of the period; nil for "up to the head".
    public var until: Timestamp?
    /// Only these requests (stream names); empty for all.
    public var requestIDs: Set<String>
    public var redaction: PayloadRedaction

    public init(since: Timestamp? = nil, until: Timestamp? = nil, requestIDs: Set<String> = [], redaction: PayloadRedaction = .none) {
        self.since = since
        self.until = until
        self.requestIDs = requestIDs
        self.redaction = redaction
    }

    /// True when `time` falls in the period.
    public func contains(_ time: Timestamp) -> Bool {
        if let since, time < since { return false }
        if let until, time >= until { return false }
        return true
    }

    /// Parses a period bound: a date `YYYY-MM-DD` (midnight UTC), a time without milliseconds
    /// `YYYY-MM-DDTHH:MM:SSZ`, or the ledger's own form `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func parseBound(_ text: String) -> Timestamp? {
        switch text.utf8.count {
        case 10: Timestamp(text + "T00:00:00.000Z")
        case 20 where text.hasSuffix("Z"): Timestamp(text.dropLast() + ".000Z")
        default: Timestamp(text)
        }
    }
}
