-- Webhook delivery state of `ledger serve --webhooks` (docs/WEBHOOKS.md), one row per
-- subscription name. Outside the signed event log, like the tokens and the projections: it
-- records how far each receiver has been served, not anything that happened to an approval,
-- so it is neither hashed nor verified. Losing it (a restored backup) can only make the
-- server deliver again events a receiver already had (they keep their webhook-id, so the
-- receiver dedupes), or skip past events the file's `from:` says to start after.
CREATE TABLE webhook_deliveries (
    name              TEXT PRIMARY KEY,    -- the subscription's name in the --webhooks file
    cursor            INTEGER NOT NULL,    -- every event up to this seq is handled (delivered, or not matching)
    delivered         INTEGER NOT NULL,    -- events delivered with a 2xx, ever
    failures          INTEGER NOT NULL,    -- consecutive failed attempts of the event after the cursor
    failing_since     TEXT,                -- time of the first of those failures
    next_attempt_at   TEXT,                -- no attempt before this time (the backoff)
    last_attempt_at   TEXT,
    last_status       INTEGER,             -- HTTP status of the last attempt, NULL when none came back
    last_error        TEXT,                -- why the last attempt failed, NULL after a success
    disabled_at       TEXT                 -- set when failures disabled it; NULL while active
) STRICT;
