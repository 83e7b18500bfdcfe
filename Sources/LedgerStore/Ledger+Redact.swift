internal import GRDB
public import LedgerFormat

extension Ledger {
    /// Erases the payload of the event at `seq`, recording who erased it, why and under which
    /// legal basis: a `payload.redacted` event in `$redactions` and the payload row's deletion,
    /// in one transaction (docs/FORMAT.md §Redaction). The event's envelope, hash and signature
    /// still verify; `ledger verify` reports the erasure as `payload-redacted`, information.
    ///
    /// `signer` needs the `redact` capability (or `admin`). A payload the rules are re-derived
    /// from (`RequiredPayloads`: genesis, keys, policies, the approval workflow, redactions)
    /// is never erased. A payload already absent without a record gets its record now, so
    /// that a deletion made by hand is answered for.
    ///
    /// - Throws: `LedgerError` `.notFound` (no event at `seq`), `.invalidEvent` (a required
    ///   payload, or an empty or over-long reason or basis), `.alreadyExists` (already
    ///   redacted), the key errors of `append` (`.keyNotAllowed` without `redact`), and the
    ///   storage errors. Nothing is written when it throws.
    @discardableResult
    public func redact(seq: Int64, reason: String, basis: String, signer: Signer) async throws -> RecordedEvent {
        if let problem = Redaction.textProblem(reason: reason, basis: basis) {
            throw LedgerError(.invalidEvent, "cannot redact: \(problem)", seq: seq)
        }
        return try await writes.perform { batch in
            let db = batch.db
            guard let target = try Row.fetchOne(db, sql: StoredEvent.selection + " AND e.seq = ?", arguments: [seq]).map(StoredEvent.init(row:)),
                  let envelope = try? EventEnvelope(canonicalBytes: target.envelopeBytes)
            else {
                throw LedgerError(.notFound, "there is no event at seq \(seq) in this ledger", seq: seq)
            }
            guard !RequiredPayloads.isRequired(eventType: envelope.type) else {
                throw LedgerError(
                    .invalidEvent,
                    "the payload of event \(seq) (\(envelope.type)) cannot be redacted: the rules are re-derived from it (keys, policies, the approval workflow and redactions keep theirs; docs/FORMAT.md §Redaction)",
                    seq: seq)
            }
            if let earlier = try Int64.fetchOne(db, sql: "SELECT seq FROM redactions WHERE target_seq = ?", arguments: [seq]) {
                throw LedgerError(.alreadyExists, "the payload of event \(seq) was already redacted, by the event at seq \(earlier)", seq: earlier)
            }
            let record = Redaction(seq: seq, eventHash: DomainSeparation.eventHash(envelopeBytes: target.envelopeBytes), reason: reason, basis: basis)
            batch.appender.now = nil
            let event = try batch.appender.append(
                [EventDraft(type: Redaction.type, stream: Redaction.stream, payload: record.jsonValue)], signer: signer, allowWorkflowTypes: true)[0]
            try db.execute(sql: "INSERT INTO redactions (target_seq, seq) VALUES (?, ?)", arguments: [seq, event.envelope.seq])
            try db.execute(sql: "DELETE FROM payloads WHERE seq = ?", arguments: [seq])
            return (event, event.envelopeBytes.count + (event.payloadBytes?.count ?? 0))
        }
    }
}
