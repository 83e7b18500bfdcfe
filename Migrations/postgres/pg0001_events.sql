-- The event log in PostgreSQL: the same rows as SQLite's 0001_events.sql, column for column.
-- `envelope` holds the exact canonical bytes that were hashed; every other column of `events`
-- is an indexed copy that `ledger verify` cross-checks against those bytes. Statements are
-- separated by a `;` at the end of a line (the runner sends them one at a time).
CREATE TABLE events (
    seq             bigint PRIMARY KEY,        -- global, gapless, from 1
    hash            bytea  NOT NULL,           -- 32-byte SHA-256 event hash
    prev_hash       bytea  NOT NULL,           -- hash of seq - 1 (32 zero bytes for genesis)
    stream          text   NOT NULL,
    stream_version  bigint NOT NULL,
    type            text   NOT NULL,
    actor           text   NOT NULL,
    key_id          text   NOT NULL,
    time            text   NOT NULL,
    idempotency_key text   UNIQUE,
    correlation_id  text,
    envelope        bytea  NOT NULL,
    signature       bytea  NOT NULL,           -- 64-byte Ed25519 signature over `hash`
    UNIQUE (stream, stream_version)
);

CREATE INDEX events_by_type ON events (type);

CREATE INDEX events_by_correlation ON events (correlation_id) WHERE correlation_id IS NOT NULL;

-- Apart from the envelopes, so that a redaction can erase one while the envelope, which
-- commits to the payload's hash, still verifies.
CREATE TABLE payloads (
    seq   bigint PRIMARY KEY REFERENCES events (seq),
    bytes bytea  NOT NULL                      -- canonical JSON (RFC 8785) payload
);

-- Facts about this ledger, copied from the genesis event for cheap checks on open.
CREATE TABLE ledger_info (
    singleton      integer PRIMARY KEY CHECK (singleton = 1),
    ledger_id      text    NOT NULL,
    format_version integer NOT NULL
);

-- Defence in depth, as in SQLite: the hash chain is the real guarantee, and a database owner
-- who drops these triggers is caught by `ledger verify`, not by them.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger % are immutable: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER events_are_not_truncated BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- A payload may be deleted (a redaction erases it), never changed.
CREATE TRIGGER payloads_are_immutable BEFORE UPDATE ON payloads
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER payloads_are_not_truncated BEFORE TRUNCATE ON payloads
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
