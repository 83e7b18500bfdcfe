-- Recorded redactions (docs/FORMAT.md §Redaction): one row per `payload.redacted` event, written
-- by the appender in the same transaction as that event, like the `keys` projection. The
-- verifier never reads it; it exists so that SQLite itself refuses to delete a payload that no
-- redaction event names. The hash chain, not this trigger, is the guarantee: someone who can
-- edit the file can drop a trigger, and `ledger verify` then reports the unrecorded deletion.
CREATE TABLE redactions (
    target_seq INTEGER PRIMARY KEY,            -- the event whose payload was erased
    seq        INTEGER NOT NULL UNIQUE         -- the payload.redacted event that erased it
) STRICT;

CREATE TRIGGER redactions_are_immutable_update BEFORE UPDATE ON redactions
BEGIN SELECT RAISE(ABORT, 'ledger redactions are immutable: UPDATE refused'); END;
CREATE TRIGGER redactions_are_immutable_delete BEFORE DELETE ON redactions
BEGIN SELECT RAISE(ABORT, 'ledger redactions are immutable: DELETE refused'); END;

CREATE TRIGGER payloads_delete_needs_redaction BEFORE DELETE ON payloads
WHEN NOT EXISTS (SELECT 1 FROM redactions WHERE target_seq = OLD.seq)
BEGIN SELECT RAISE(ABORT, 'a payload is erased only by a recorded redaction: use `ledger redact`'); END;
