-- The RFC 6962 Merkle tree over the events (docs/FORMAT.md §Merkle tree), kept up to date in
-- each append's transaction so that any root or proof is O(log n) reads.
--
-- Only interior nodes are stored: a leaf is SHA-256(0x00 ‖ events.hash), recomputed from the
-- event row. A node is the root of a perfect subtree and is written once, by the append that
-- completes it, so the rows are numbered in the order they are written: the node at level
-- L ≥ 1 and index I is completed by leaf N = (I + 1)·2^L − 1 (0-based) and is row
-- N − popcount(N) + L − 1. Appends therefore only ever add rows at the end of the table, and
-- `ledger verify` reads it in step with the events.
--
-- Derived data, like the projections: verify rebuilds the tree from the events and reports
-- any row that differs (`tree-mismatch`); proofs made from a bad row fail at the reader.
CREATE TABLE merkle_nodes (
    pos  INTEGER PRIMARY KEY,   -- from 0, in the order the appends complete the nodes
    hash BLOB    NOT NULL       -- 32-byte SHA-256
) STRICT;

CREATE TRIGGER merkle_nodes_are_immutable_update BEFORE UPDATE ON merkle_nodes
BEGIN SELECT RAISE(ABORT, 'ledger tree nodes are immutable: UPDATE refused'); END;
CREATE TRIGGER merkle_nodes_are_immutable_delete BEFORE DELETE ON merkle_nodes
BEGIN SELECT RAISE(ABORT, 'ledger tree nodes are immutable: DELETE refused'); END;
