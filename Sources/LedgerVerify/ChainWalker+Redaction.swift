internal import LedgerCrypto
internal import LedgerFormat
internal import LedgerStore

extension ChainWalker {
    /// True when the event's own key speaks for its actor with the capability its type needs:
    /// only then does the event record anything (the other cases are findings already).
    static func signsOwnEvent(_ envelope: EventEnvelope, _ status: KeyTimeline.Status) -> Bool {
        guard envelope.origin == nil, case .valid(let entry) = status else { return false }
        return entry.registration.identity == envelope.actor && entry.registration.allows(eventType: envelope.type)
    }

    /// A `payload.redacted` event (docs/FORMAT.md §Redaction): it must name an earlier event by
    /// its true hash, one whose payload may be erased, once. A valid record by a key allowed
    /// to redact turns that event's absent payload into `payload-redacted` (information); a
    /// record that is invalid, or made without the capability, answers for nothing, so the
    /// absence stays `payload-missing`.
    mutating func checkRedaction(_ envelope: EventEnvelope, payloadBytes: [UInt8]?, answerable: Bool, earlier: (any EarlierEvents)?) throws {
        let seq = envelope.seq
        // An absent or altered payload is `payload-missing` / `payload-mismatch` already.
        guard let payloadBytes else { return }
        let record: Redaction
        do { record = try Redaction(try JSONParser.parse(payloadBytes)) } catch {
            find(.redactionInvalid, seq, "the redaction record is invalid: \(error)")
            return
        }
        guard record.seq < seq else {
            find(.redactionInvalid, seq, "the redaction names event \(record.seq), which does not come before it: only a recorded payload can be erased")
            return
        }
        guard answerable else { return }
        guard redactedSeqs.insert(record.seq).inserted else {
            find(.redactionInvalid, seq, "the payload of event \(record.seq) was already recorded as redacted by an earlier event")
            return
        }
        guard let target = try earlier?.row(seq: record.seq) else {
            // A request bundle holds only the events it selected; this one is not among them.
            if !isSelection { find(.redactionInvalid, seq, "the redaction names event \(record.seq), which this ledger does not hold") }
            return
        }
        guard DomainSeparation.eventHash(envelopeBytes: target.envelopeBytes) == record.eventHash else {
            find(.redactionInvalid, seq, "the redaction names event \(record.seq) by hash \(record.eventHash.hex.prefix(16))…, which is not that event's hash: it records the erasure of some other event")
            return
        }
        let type = (try? EventEnvelope(canonicalBytes: target.envelopeBytes))?.type ?? target.type
        guard !RequiredPayloads.isRequired(eventType: type) else {
            find(.redactionInvalid, seq, "the redaction names a \(Identifier.printable(type)) event (seq \(record.seq)), whose payload the rules are re-derived from: it may not be erased")
            return
        }
        if target.payloadBytes != nil {
            find(.redactionIncomplete, record.seq, "the redaction at seq \(seq) records this payload as erased, but it is still stored")
        } else {
            absentPayloads.remove(record.seq)
            find(.payloadRedacted, record.seq, "the payload was erased by the redaction at seq \(seq) by '\(envelope.actor)' (basis: \(Identifier.printable(record.basis))); the envelope and signature still verify")
        }
    }
}
