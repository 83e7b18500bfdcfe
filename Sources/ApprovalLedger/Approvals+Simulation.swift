import Foundation

extension Approvals {
    /// What `draft` would have decided for the requests `query` selects (opened in its window,
    /// in its environment, doing its action), compared with what the ledger recorded. Reads
    /// only: nothing is appended, so it runs on a ledger opened read-only.
    public func simulate(_ draft: Policy, query: MetricsQuery) async throws -> PolicySimulation {
        PolicySimulation.run(try await recordedRequests(query), draft: draft, query: query)
    }

    /// How `policy` (the one in force when nil) would judge `request` opened at `time`.
    /// - Throws: `LedgerError.notFound` when no policy is given and none was published;
    ///   `Refusal` `invalid-request` for a request that could not be opened.
    public func explain(_ request: OpenRequest, policy draft: Policy? = nil, at time: Timestamp) async throws -> PolicyExplanation {
        let policy: PublishedPolicy
        if let draft {
            policy = PublishedPolicy(policy: draft, version: 0, hash: draft.contentHash.hex)
        } else if let current = try await currentPolicy() {
            policy = current
        } else {
            throw LedgerError(.notFound, "no policy has been published in this ledger; pass --policy FILE or run `ledger policy publish FILE`")
        }
        return try PolicyExplanation.explain(request, policy: policy, at: time)
    }

    /// The requests opened in `query`'s window that it selects, each event with the authority
    /// of the key that speaks for its actor (a signed command's caller; otherwise the key that
    /// appended it), all read from one snapshot.
    func recordedRequests(_ query: MetricsQuery) async throws -> [RecordedRequest] {
        let ledger = try file(for: "policy simulation")
        let keys = Dictionary(try await ledger.keys().map { ($0.keyID, $0) }, uniquingKeysWith: { first, _ in first })
        var order: [String] = []
        var streams: [String: [RecordedRequest.Step]] = [:]
        try ledger.scan { rows, _ in
            for row in rows where !row.stream.hasPrefix("$") {
                guard streams[row.stream] != nil || (row.streamVersion == 1 && row.type == ApprovalEvents.opened) else { continue }
                let envelope = try EventEnvelope(canonicalBytes: row.envelopeBytes)
                let payload = row.payloadBytes.flatMap { try? JSONParser.parse($0) } ?? .object(JSONObject())
                var event = RequestEvent(
                    seq: envelope.seq, streamVersion: envelope.streamVersion, time: envelope.time, actor: envelope.actor, type: envelope.type,
                    payload: payload)
                var speaker = keys[envelope.keyID]
                switch envelope.origin {
                case .relayed(let via, _)?:
                    event.relayedVia = via
                    event.relayIdentity = speaker?.identity
                case .signed(let command)?:
                    event.relayIdentity = speaker?.identity
                    speaker = keys[command.keyID]
                case nil:
                    break
                }
                if envelope.streamVersion == 1 {
                    guard query.inWindow(envelope.time.millisecondsSinceEpoch),
                          let environment = event.members.environment, let action = event.members.action,
                          query.selects(environment: environment, action: action)
                    else { continue }
                    order.append(row.stream)
                }
                streams[row.stream, default: []].append(RecordedRequest.Step(
                    event: event, authority: SignerAuthority(capabilities: speaker?.capabilities ?? [])))
            }
        }
        return order.compactMap { streams[$0].map(RecordedRequest.init(steps:)) }
    }
}
