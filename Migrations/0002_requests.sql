-- Projection of approval requests: the current state of each request, rebuilt from its
-- stream's events and updated in the same transaction as every append to it.
CREATE TABLE requests (
    request_id        TEXT    PRIMARY KEY,
    status            TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    resource          TEXT    NOT NULL,
    environment       TEXT    NOT NULL,
    requester         TEXT    NOT NULL,
    summary           TEXT    NOT NULL,
    risk_score        INTEGER NOT NULL,
    risk_level        TEXT    NOT NULL,
    rule              TEXT    NOT NULL,
    policy_version    INTEGER NOT NULL,
    opened_seq        INTEGER NOT NULL,
    opened_at         TEXT    NOT NULL,
    deadline          TEXT    NOT NULL,
    decided_at        TEXT,
    last_seq          INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    approvers         TEXT    NOT NULL,   -- JSON array of identities
    rejected_attempts INTEGER NOT NULL,
    escalations       INTEGER NOT NULL,
    executions        INTEGER NOT NULL,
    last_outcome      TEXT,               -- succeeded | failed
    rolled_back_at    TEXT,
    recovered_at      TEXT,
    grant_expires_at  TEXT,
    review_deadline   TEXT,
    review_closed_at  TEXT
) STRICT;

CREATE INDEX requests_by_status ON requests (status, opened_seq);
