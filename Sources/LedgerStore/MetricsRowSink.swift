internal import LedgerDomain

/// Where `Ledger.readMetricsRows` puts the projection rows it reads: every request first,
/// then votes, attempts and executions (`MetricsTally` needs the requests first).
protocol MetricsRowSink {
    mutating func add(_ request: RequestTimings)
    mutating func add(decidingChannel channel: String, of requestID: String)
    mutating func add(_ execution: ExecutionRecord)
    mutating func add(_ attempt: AttemptRecord)
    mutating func add(_ vote: VoteRecord)
}

/// Keeps every row, for callers that select or chart them afterwards.
extension MetricsFacts: MetricsRowSink {
    mutating func add(_ request: RequestTimings) { requests.append(request) }
    mutating func add(decidingChannel channel: String, of requestID: String) { decidingChannels[requestID] = channel }
    mutating func add(_ execution: ExecutionRecord) { executions.append(execution) }
    mutating func add(_ attempt: AttemptRecord) { attempts.append(attempt) }
    mutating func add(_ vote: VoteRecord) { votes.append(vote) }
}

/// Counts each row as it comes and keeps none.
extension MetricsTally: MetricsRowSink {}
