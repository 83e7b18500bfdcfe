-- The Slack gateway of `ledger serve` (docs/CHAT.md): which Slack message shows each request,
-- and how far into the log the gateway has read. Outside the signed event log, like the
-- tokens: it is only where a message lives, so a restarted server updates the message it
-- posted instead of posting again, and resumes reading after the last event it rendered.
-- Losing it loses no evidence; the votes themselves are events.
CREATE TABLE slack_messages (
    request_id       TEXT PRIMARY KEY,
    channel          TEXT NOT NULL,             -- the Slack channel id (C…) the message is in
    ts               TEXT NOT NULL,             -- the message's ts, Slack's id for it
    rendered_version INTEGER NOT NULL,          -- the request's stream version the message shows
    review_reminded  INTEGER NOT NULL DEFAULT 0 -- 1 once an overdue break-glass review was reminded
) STRICT;

-- One row: the next seq the gateway reads.
CREATE TABLE slack_cursor (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq INTEGER NOT NULL
) STRICT;
