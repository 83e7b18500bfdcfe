-- The event log. `envelope` holds the exact canonical bytes that were hashed; every other column
-- of `events` is an indexed copy that `ledger verify` cross-checks against those bytes.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,       -- global, gapless, from 1
    -- Not UNIQUE: nothing looks events up by hash, the chain already makes hashes distinct,
    -- and an index on random 32-byte keys would rewrite scattered pages on every commit
    -- (it tripled the cost of a batch append).
    hash            BLOB    NOT NULL,          -- 32-byte SHA-256 event hash
    prev_hash       BLOB    NOT NULL,          -- hash of seq - 1 (32 zero bytes for genesis)
    stream          TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    key_id          TEXT    NOT NULL,
    time            TEXT    NOT NULL,
    idempotency_key TEXT    UNIQUE,
    correlation_id  TEXT,
    envelope        BLOB    NOT NULL,
    signature       BLOB    NOT NULL,          -- 64-byte Ed25519 signature over `hash`
    UNIQUE (stream, stream_version)
) STRICT;

CREATE INDEX events_by_type ON events (type);
CREATE INDEX events_by_correlation ON events (correlation_id) WHERE correlation_id IS NOT NULL;

-- Payloads live apart from the immutable envelopes so one can later be erased by a redaction
-- event while the envelope, which commits to the payload's hash, still verifies.
CREATE TABLE payloads (
    seq   INTEGER PRIMARY KEY REFERENCES events (seq),
    bytes BLOB    NOT NULL                    -- canonical JSON (RFC 8785) payload
) STRICT;

-- Defence in depth: the hash chain is the real guarantee.
CREATE TRIGGER events_are_immutable_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'ledger events are immutable: UPDATE refused'); END;
CREATE TRIGGER events_are_immutable_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'ledger events are immutable: DELETE refused'); END;
CREATE TRIGGER payloads_are_immutable_update BEFORE UPDATE ON payloads
BEGIN SELECT RAISE(ABORT, 'ledger payloads are immutable: UPDATE refused'); END;

-- Facts about this ledger, copied from the genesis event for cheap checks on open.
CREATE TABLE ledger_info (
    singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
    ledger_id      TEXT    NOT NULL,
    format_version INTEGER NOT NULL
) STRICT;

-- Projection of key events: the key timeline the appender consults. The verifier never trusts
-- it and rebuilds its own from the events.
CREATE TABLE keys (
    key_id         TEXT    PRIMARY KEY,
    identity       TEXT    NOT NULL,
    public_key     BLOB    NOT NULL,
    capabilities   TEXT    NOT NULL,          -- JSON array of strings
    registered_seq INTEGER NOT NULL,
    revoked_seq    INTEGER
) STRICT;
CREATE INDEX keys_by_identity ON keys (identity);
