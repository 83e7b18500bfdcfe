-- Projections behind `ledger metrics` (docs/METRICS.md). Like `requests`, every row derives
-- from one request stream's events alone, is rewritten in the same transaction as each append
-- to that stream, and is dropped and replayed by `ledger rebuild`. Times are milliseconds
-- since the Unix epoch (UTC), so SQL and the metrics can subtract them.

-- When each step of a request happened and how it ended. Keyed by request id alone (WITHOUT
-- ROWID): one b-tree to write on a rebuild, rows already in the digest's order.
CREATE TABLE request_timings (
    request_id         TEXT    PRIMARY KEY,
    environment        TEXT    NOT NULL,   -- copies of the request's, so metrics need no join
    action             TEXT    NOT NULL,
    opened_ms          INTEGER NOT NULL,
    deadline_ms        INTEGER NOT NULL,
    resolved_ms        INTEGER,            -- when it stopped being pending; NULL while pending
    outcome            TEXT,               -- granted | denied | expired | cancelled | bypassed
    decided_by         TEXT,               -- people | policy | timeout | requester | break-glass
    escalations        INTEGER NOT NULL,
    first_escalated_ms INTEGER,
    first_executed_ms  INTEGER,
    first_failure_ms   INTEGER,            -- first failed execution or rollback
    rolled_back_ms     INTEGER,
    recovered_ms       INTEGER,
    review_deadline_ms INTEGER,            -- break-glass only
    review_closed_ms   INTEGER,
    missing_fields     TEXT    NOT NULL,   -- audit fields absent, comma-separated; '' when complete
    last_seq           INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- One row per vote.cast event.
CREATE TABLE votes (
    seq        INTEGER PRIMARY KEY,
    request_id TEXT    NOT NULL,
    voter      TEXT    NOT NULL,
    decision   TEXT    NOT NULL,           -- approve | deny
    time_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX votes_by_request ON votes (request_id);

-- One row per refused attempt the ledger recorded: vote.rejected and execution.refused.
CREATE TABLE attempts (
    seq        INTEGER PRIMARY KEY,
    request_id TEXT    NOT NULL,
    kind       TEXT    NOT NULL,           -- vote | execution
    actor      TEXT    NOT NULL,
    code       TEXT    NOT NULL,           -- the refusal code, e.g. self-approval, grant-used
    time_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX attempts_by_request ON attempts (request_id);

-- One row per execution.reported event.
CREATE TABLE executions (
    seq        INTEGER PRIMARY KEY,
    request_id TEXT    NOT NULL,
    approved   INTEGER NOT NULL,           -- 1 under a grant, 0 after a break-glass bypass
    outcome    TEXT    NOT NULL,           -- succeeded | failed
    time_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX executions_by_request ON executions (request_id);

-- The projection digest `ledger rebuild` last recorded (docs/FORMAT.md, Projections), for
-- `ledger verify` to hold a fresh replay of events 1…through_seq to.
CREATE TABLE projection_digest (
    singleton          INTEGER PRIMARY KEY CHECK (singleton = 1),
    projection_version INTEGER NOT NULL,
    through_seq        INTEGER NOT NULL,
    digest             TEXT    NOT NULL,   -- lowercase hex SHA-256
    recorded_at        TEXT    NOT NULL
) STRICT;
