-- Bearer tokens for `ledger serve` (docs/SERVER.md §Tokens), for callers that cannot sign
-- (a CI job, a service in another language). Outside the signed event log, like the
-- projections: a token only lets the server's key relay for its identity, and every event
-- the server appends for it says so (`origin.via = "token:<name>"`), so the log alone still
-- proves who spoke. The secret itself is never stored: only its SHA-256, so a copy of the
-- file (a backup, a bundle) gives no one a working token.
CREATE TABLE tokens (
    name          TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL UNIQUE,   -- lowercase hex SHA-256 of the whole secret (lgr_…)
    identity      TEXT NOT NULL,          -- the ledger identity the token acts as
    capabilities  TEXT NOT NULL,          -- comma-separated, sorted: request, approve, execute, append
    created_at    TEXT NOT NULL,          -- UTC times as the events write them
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
) STRICT;
