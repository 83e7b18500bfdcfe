-- What appends keep beside the events in the same transaction, as in SQLite's 0001 (keys),
-- 0002–0003 (request projections) and 0005 (Merkle tree): the same tables and columns, with
-- integers as bigint. Every row here is derived from the events; `ledger verify` trusts none.
CREATE TABLE keys (
    key_id         text   PRIMARY KEY,
    identity       text   NOT NULL,
    public_key     bytea  NOT NULL,
    capabilities   text   NOT NULL,           -- JSON array of strings
    registered_seq bigint NOT NULL,
    revoked_seq    bigint
);

CREATE INDEX keys_by_identity ON keys (identity);

CREATE TABLE requests (
    request_id        text   PRIMARY KEY,
    status            text   NOT NULL,
    action            text   NOT NULL,
    resource          text   NOT NULL,
    environment       text   NOT NULL,
    requester         text   NOT NULL,
    summary           text   NOT NULL,
    risk_score        bigint NOT NULL,
    risk_level        text   NOT NULL,
    rule              text   NOT NULL,
    policy_version    bigint NOT NULL,
    opened_seq        bigint NOT NULL,
    opened_at         text   NOT NULL,
    deadline          text   NOT NULL,
    decided_at        text,
    last_seq          bigint NOT NULL,
    version           bigint NOT NULL,
    approvers         text   NOT NULL,        -- JSON array of identities
    rejected_attempts bigint NOT NULL,
    escalations       bigint NOT NULL,
    executions        bigint NOT NULL,
    last_outcome      text,
    rolled_back_at    text,
    recovered_at      text,
    grant_expires_at  text,
    review_deadline   text,
    review_closed_at  text
);

CREATE INDEX requests_by_status ON requests (status, opened_seq);

CREATE TABLE request_timings (
    request_id         text   PRIMARY KEY,
    environment        text   NOT NULL,
    action             text   NOT NULL,
    opened_ms          bigint NOT NULL,
    deadline_ms        bigint NOT NULL,
    resolved_ms        bigint,
    outcome            text,
    decided_by         text,
    escalations        bigint NOT NULL,
    first_escalated_ms bigint,
    first_executed_ms  bigint,
    first_failure_ms   bigint,
    rolled_back_ms     bigint,
    recovered_ms       bigint,
    review_deadline_ms bigint,
    review_closed_ms   bigint,
    missing_fields     text   NOT NULL,
    last_seq           bigint NOT NULL
);

CREATE TABLE votes (
    seq        bigint PRIMARY KEY,
    request_id text   NOT NULL,
    voter      text   NOT NULL,
    decision   text   NOT NULL,
    time_ms    bigint NOT NULL
);

CREATE INDEX votes_by_request ON votes (request_id);

CREATE TABLE attempts (
    seq        bigint PRIMARY KEY,
    request_id text   NOT NULL,
    kind       text   NOT NULL,
    actor      text   NOT NULL,
    code       text   NOT NULL,
    time_ms    bigint NOT NULL
);

CREATE INDEX attempts_by_request ON attempts (request_id);

CREATE TABLE executions (
    seq        bigint PRIMARY KEY,
    request_id text   NOT NULL,
    approved   bigint NOT NULL,
    outcome    text   NOT NULL,
    time_ms    bigint NOT NULL
);

CREATE INDEX executions_by_request ON executions (request_id);

-- Perfect-subtree hashes, numbered as SQLite numbers them (0005_merkle.sql), written by the
-- append that completes each node; never changed.
CREATE TABLE merkle_nodes (
    pos  bigint PRIMARY KEY,
    hash bytea  NOT NULL
);

CREATE TRIGGER merkle_nodes_are_immutable BEFORE UPDATE OR DELETE ON merkle_nodes
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER merkle_nodes_are_not_truncated BEFORE TRUNCATE ON merkle_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
