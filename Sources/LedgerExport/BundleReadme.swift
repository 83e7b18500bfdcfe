public import LedgerCrypto
public import LedgerFormat

/// The `README.md` of an evidence bundle: what the auditor holds and how to check it
/// without trusting whoever exported it.
public struct BundleReadme: Sendable {
    public let plan: ExportPlan
    public let summary: ExportSummary
    public let checkpoints: [AnyCheckpoint]
    public let headHash: SHA256Digest

    public var text: String {
        let scope = plan.scope
        let period = switch (scope.since, scope.until) {
        case (let since?, let until?): "from \(since) (inclusive) to \(until) (exclusive), UTC"
        case (let since?, nil): "from \(since) (inclusive) to the end of the export, UTC"
        case (nil, let until?): "from the genesis to \(until) (exclusive), UTC"
        case (nil, nil): "the whole ledger"
        }
        let requests = scope.requestIDs.isEmpty
            ? "\(plan.requests.count) (every request with an event in the period)"
            : "\(plan.requests.count): " + plan.requests.sorted().joined(separator: ", ")
        var redaction = "none"
        if scope.redaction.allPayloads {
            redaction = "every payload except those of system events (`$ledger`, `$keys`, `$policy`) withheld"
        } else if !scope.redaction.fields.isEmpty {
            redaction = "payloads with a member named " + scope.redaction.fields.sorted().map { "`\($0)`" }.joined(separator: ", ") + " withheld"
        }
        var lines = """
            # Evidence bundle of approval ledger `\(plan.ledgerID)`

            This directory is an extract of an approval ledger: every event from the genesis (seq 1)
            to seq \(summary.end), with its exact signed bytes, hash and Ed25519 signature, and the
            signed checkpoint(s) anchoring its last event. You can check it offline, with the tool
            that wrote it or with any SHA-256, Ed25519 and JSON implementation, without trusting
            whoever exported it.

            | | |
            | --- | --- |
            | Ledger id | `\(plan.ledgerID)` |
            | Period | \(period) |
            | Requests in scope | \(requests) |
            | Events | seq 1 … \(summary.end): \(summary.events) events, \(plan.eventsInPeriod) of them in the period |
            | Payloads | \(summary.disclosedPayloads) disclosed, \(summary.withheldPayloads) withheld by this export, \(summary.absentPayloads) already erased from the ledger |
            | Redaction | \(redaction) |
            | Last event | seq \(summary.end), hash `\(headHash.hex)` |

            Checkpoints (each a signed statement "the ledger held `size` events, the last with hash `headHash`"):

            | File | Size | Signed at | Key |
            | --- | --- | --- | --- |

            """
        for checkpoint in checkpoints {
            switch checkpoint {
            case .chain(let chain):
                lines += "| `\(BundleExport.fileName(checkpoint))` | \(chain.size) | \(chain.time) | `\(chain.keyID)` |\n"
            case .tree(let tree):
                lines += "| `\(BundleExport.fileName(checkpoint))` | \(tree.size) | (tree root \(tree.root.hex.prefix(16))…) | note by `\(tree.origin)` |\n"
            }
        }
        lines += """

            ## Files

            - `events.jsonl`: one event per line, `{"envelope", "hash", "payload", "seq", "signature"}`
              in RFC 8785 canonical form (approval-ledger docs/FORMAT.md §JSON Lines). Payloads are
              disclosed for the requests in scope (their whole history up to the period's end), for
              other events in the period, and for every key and policy event; elsewhere the
              payload is `null` but its SHA-256 is still signed in the envelope.
            - `checkpoints/*.checkpoint`: checkpoint files (docs/FORMAT.md §Checkpoints).
            - `manifest.json`: the ledger id, the last seq and its hash, and the SHA-256 and length
              of every other file (docs/FORMAT.md §Evidence bundles).
            - `README.md`: this file.

            ## Verify it

            With the `ledger` tool (exit status 0 verified, 1 not verified):

                ledger verify --bundle <this directory>

            With the independent reference verifier (Python 3 standard library and the
            `cryptography` package), `Tools/verify_bundle.py` in the approval-ledger sources:

                python3 -m pip install cryptography
                python3 verify_bundle.py <this directory>

            Or write your own from docs/FORMAT.md §Evidence bundles: check the manifest and every
            file's SHA-256; recompute each event hash as SHA-256("approval-ledger/event/v1\\n" ‖
            envelope bytes) and its link to the previous one; check each signature under the key
            the ledger's own key events had registered at that seq; check each disclosed payload
            against its `payloadHash`; check that the checkpoints are signed and name the hash of
            the event at their size, and that one of them covers the last event.

            Then compare the checkpoints with any you hold from elsewhere (a published one, or one
            from an earlier audit): the same `headHash` at the same `size` ties this bundle to it.
            `ledger verify --bundle <dir> --anchor <your.checkpoint>` and
            `verify_bundle.py <dir> --anchor <your.checkpoint>` check that for you. A checkpoint
            of more events than this bundle holds cannot be checked against it (the event it
            names is not here): both verifiers warn `anchor-beyond-bundle`; check that one
            against the ledger, or ask for a bundle that reaches it.

            ## What a successful verification proves

            - Every event from the genesis to seq \(summary.end) is exactly as its signer signed
              it, in order, with none removed or inserted, each signed by a key the ledger had
              registered (and not revoked) for that identity and capability.
            - Every disclosed payload is the one its event committed to; every withheld one
              existed and is bound to its event by its SHA-256.
            - The checkpoints were signed by keys of this ledger and match these events.

            It does not prove what withheld payloads said, what happened after seq \(summary.end),
            or that a signing key was not misused by whoever held it. This README and the
            manifest are not signed: the period and counts above are the exporter's description;
            the signed events and checkpoints are the evidence.

            """
        return lines
    }
}
