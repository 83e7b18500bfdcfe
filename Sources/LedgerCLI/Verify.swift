import ApprovalLedger
import ArgumentParser
import LedgerPostgres
import Foundation

extension LedgerTool {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the ledger complete, untouched and correctly signed.",
            discussion: """
                One streaming pass checks: every row of the file accounted for (the ledger is the \
                rows numbered 1, 2, 3…); seq gapless from 1; every hash recomputed from the stored \
                bytes and linked to the one before; indexed columns equal the signed bytes; payloads \
                match their commitments, and none the rules depend on is missing; times follow seq \
                order and none lies beyond this clock plus 5 minutes; every signature (on all cores) \
                valid under a key registered, not revoked and allowed to speak for its actor and \
                type (expiries and escalations need a clock key); each --anchor checkpoint matched and \
                not ahead of the ledger; every request replayed under the policy version it recorded, \
                so each vote, refusal, grant, denial, expiry, escalation, bypass and execution must be \
                what the rules produce; no request pending past its deadline and no break-glass review \
                left open. In the same pass each request's projection rows are held to its replay, \
                and a row of no request is found. \
                Memory stays bounded however long the ledger. Finding codes: docs/VERIFY.md.

                --since-checkpoint FILE first proves that everything before the checkpoint is what it \
                committed to (every earlier envelope rehashed and linked to its head hash, columns and \
                payloads held to them; no signature checked), then verifies only the events after it \
                (the projection check is skipped): about a seventh of a full verify per earlier event \
                for the prefix, plus what the new events cost.

                With --bundle, verifies an evidence bundle (`ledger export --format bundle`) offline \
                instead of a ledger file: its manifest and every file's SHA-256, the syntax of its \
                events, that a checkpoint in it covers its last event, and then the same checks on \
                its events, with its checkpoints (and any --anchor you hold) as anchors.

                Exit status: 0 verified; 1 findings (errors, or warnings with --strict); 2 could not run.

                Examples:
                  ledger verify
                  ledger verify --anchor ops-2026-11-01.checkpoint --format json
                  ledger verify --since-checkpoint ops-2026-11-01.checkpoint --strict
                  ledger verify --bundle audit-2026-11 --anchor ops-2026-12-01.checkpoint
                  ledger verify --bundle audit --anchor new.cp --consistency-proof p.json
                  ledger verify --anchor ops.cp --witness-key "$W1" --witnesses 1
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("anchor"), help: ArgumentHelp("A checkpoint file to hold the ledger to (repeatable).", valueName: "file"))
        var anchors: [String] = []
        @Option(name: .customLong("since-checkpoint"), help: ArgumentHelp("Verify only the events after this trusted checkpoint (after checking the ledger still holds its head).", valueName: "file"))
        var sinceCheckpoint: String?
        @Option(help: ArgumentHelp("Judge deadlines (completeness) at this time instead of now (with --bundle: instead of its last event's time), e.g. 2026-11-21T12:00:00.000Z.", valueName: "time"))
        var now: String?
        @Option(help: ArgumentHelp("Verify this evidence bundle directory instead of a ledger file.", valueName: "dir"))
        var bundle: String?
        @Option(name: .customLong("consistency-proof"), help: ArgumentHelp("With --bundle: a consistency proof (`ledger prove consistency … --format json`) from the bundle's checkpoint note to a newer --anchor note (repeatable).", valueName: "file"))
        var consistencyProofs: [String] = []
        @Option(name: .customLong("witness-key"), help: ArgumentHelp("A witness's cosigner key (NAME+HASH+BASE64, `ledger witness key` prints it) whose cosignatures count (repeatable).", valueName: "key"))
        var witnessKeys: [String] = []
        @Option(help: ArgumentHelp("Require every checkpoint note given to carry valid cosignatures of N of the --witness-key witnesses.", valueName: "n"))
        var witnesses = 0
        @Flag(help: "Treat warnings as failures.") var strict = false
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            var verified = false
            try await CommandRunner.run {
                let checkpoints = try anchors.map(Self.readCheckpoint)
                let trusted = try sinceCheckpoint.map(Self.readCheckpoint)
                let chainAnchors = checkpoints.compactMap { if case .chain(let checkpoint) = $0 { checkpoint } else { nil } }
                let treeAnchors = checkpoints.compactMap { if case .tree(let checkpoint) = $0 { checkpoint } else { nil } }
                let judgedAt = try now.map(TimeArgument.parse)
                if let bundle {
                    verified = try await verify(bundle: bundle, anchors: chainAnchors, treeAnchors: treeAnchors, now: judgedAt)
                    return
                }
                // Both backends' reads are judged by one verifier; a PostgreSQL ledger is read in
                // one transaction, as a file is in one read.
                func judge(_ source: any EventSource, size: Int64) throws -> VerificationReport {
                    let progress = ProgressLine(label: "verifying", total: size - (trusted?.size ?? 0))
                    var verifier = Verifier(anchors: chainAnchors, now: judgedAt)
                    verifier.treeAnchors = treeAnchors
                    verifier.witnessKeys = try witnessKeys.map { text in
                        do throws(FormatError) { return try CosignerKey(text) } catch { throw ValidationError("--witness-key '\(text)': \(error.message)") }
                    }
                    verifier.requiredWitnesses = witnesses
                    if let progress {
                        verifier.progress = { count in progress.update(count) }
                    }
                    let report = try verifier.verify(source, since: trusted)
                    progress?.finish()
                    return report
                }
                let report: VerificationReport
                if let location = try global.postgresLocation() {
                    let database = try await PostgresLedger.open(location)
                    do {
                        report = try await database.withSnapshot { snapshot in try judge(snapshot, size: snapshot.lastSeq) }
                    } catch {
                        await database.close()
                        throw error
                    }
                    await database.close()
                } else {
                    let ledger = try await global.openLedger(readOnly: true)
                    // Not `head()`: verify must run on a ledger whose head is corrupt, or empty.
                    report = try judge(ledger, size: try await ledger.lastSeq())
                }
                switch format {
                case .json: Output.json(report.jsonValue(strict: strict))
                case .text: VerifyText.print(report, strict: strict)
                }
                verified = report.isVerified(strict: strict)
            }
            if !verified { throw ExitCode(1) }
        }

        func validate() throws {
            if witnesses > witnessKeys.count {
                throw ValidationError("--witnesses \(witnesses) needs at least that many --witness-key keys")
            }
            if bundle == nil, !consistencyProofs.isEmpty {
                throw ValidationError("--consistency-proof joins a bundle to a newer checkpoint: use it with --bundle")
            }
            if bundle != nil, sinceCheckpoint != nil {
                throw ValidationError("--since-checkpoint applies to a ledger file; a bundle is verified whole (give checkpoints you hold with --anchor)")
            }
        }

        private func verify(bundle: String, anchors: [Checkpoint], treeAnchors: [TreeCheckpoint], now: Timestamp?) async throws -> Bool {
            let progress = ProgressLine(label: "reading")
            var verifier = BundleVerifier(extraAnchors: anchors, now: now)
            verifier.extraTreeAnchors = treeAnchors
            verifier.consistencyProofs = try consistencyProofs.map(Self.readProof)
            if let progress {
                verifier.progress = { phase, count in progress.update(count, label: phase) }
            }
            let report = try await verifier.verify(bundleAt: bundle)
            progress?.finish()
            switch format {
            case .json: Output.json(report.jsonValue(strict: strict))
            case .text: VerifyText.print(report, strict: strict)
            }
            return report.isVerified(strict: strict)
        }

        /// Reads a proof file; one that is not a valid proof document stops the command (exit 2).
        static func readProof(_ path: String) throws -> ProofDocument {
            let bytes = try InputFile.read(path, what: "proof file", limit: 1 << 20)
            do { return try ProofDocument(try JSONParser.parse(bytes)) } catch let error as FormatError {
                throw FormatError(error.code, "proof file '\(path)': \(error.message)")
            } catch {
                throw FormatError(.invalidJSON, "proof file '\(path)' is not JSON: \(error)")
            }
        }

        /// Reads an anchor. A file that is not a valid checkpoint stops the command (exit 2)
        /// with the reader's own code (`bad-signature`, `unknown-field`, …): it is not an anchor.
        static func readCheckpoint(_ path: String) throws -> AnyCheckpoint {
            // The reader refuses more than 64 KiB anyway; reading is bounded a little above it.
            let bytes = try InputFile.read(path, what: "checkpoint file", limit: 64 * 1024 + 1)
            do {
                return try AnyCheckpoint(fileBytes: bytes)
            } catch {
                throw FormatError(error.code, "checkpoint file '\(path)' is not a valid anchor: \(error.message)")
            }
        }
    }
}

/// The human form of a verification report.
enum VerifyText {
    static func print(_ report: VerificationReport, strict: Bool) {
        let verified = report.isVerified(strict: strict)
        Output.line(verified ? "VERIFIED" : "NOT VERIFIED")
        body(report)
    }

    /// A bundle's report: its own lines, then the verification of its events as for a
    /// ledger, with the bundle's findings first.
    static func print(_ report: BundleReport, strict: Bool) {
        Output.line(report.isVerified(strict: strict) ? "VERIFIED" : "NOT VERIFIED")
        let manifest = report.manifest == nil ? "manifest invalid" : "manifest ok"
        let all = report.checkpoints.map(\.size) + report.treeCheckpoints.map(\.size)
        let sizes = all.sorted().map(String.init).joined(separator: ", ")
        Output.line("  bundle      \(TerminalText.field(report.path)) (\(manifest), \(report.files) files, \(report.lines) lines)")
        Output.line("  checkpoints \(all.count) in the bundle\(sizes.isEmpty ? "" : " (size \(sizes))")\(report.extraAnchors > 0 ? ", \(report.extraAnchors) given" : "")")
        Output.line("  payloads    \(report.absentPayloads) absent (withheld by the export or erased), the rest checked against their hashes")
        let findings = report.findings.map { finding in
            "  ERROR   \(finding.code.rawValue.padded(22)) \(TerminalText.field(finding.subject ?? "bundle", limit: 80).padded(11)) \(TerminalText.field(finding.message, limit: 500))"
        }
        if let verification = report.verification {
            body(verification, extraChecks: BundleReport.checks, extraFindings: findings)
        } else {
            Output.line("  events      not verified: the bundle has no readable events.jsonl")
            findings.forEach { Output.line($0) }
        }
    }

    private static func body(_ report: VerificationReport, extraChecks: [String] = [], extraFindings: [String] = []) {
        Output.line("  ledger      \(TerminalText.field(report.ledgerID ?? "unknown"))")
        Output.line("  events      \(report.events)\(report.firstSeq > 1 ? " (seq \(report.firstSeq) onward, after a trusted checkpoint)" : "")")
        let withheld = report.requestsWithheld == 0 ? "" : "; \(report.requestsWithheld) withheld by the bundle, not replayed past that"
        Output.line("  requests    \(report.requests) (\(report.eventsReplayed) events replayed under \(report.policyVersions) policy version\(report.policyVersions == 1 ? "" : "s")\(withheld))")
        if let first = report.firstTime, let last = report.lastTime { Output.line("  time span   \(first) → \(last)") }
        Output.line("  head hash   \(report.headHash ?? "none")")
        Output.line("  keys        \(report.keysSeen) seen, \(report.signaturesChecked) signatures checked")
        if report.anchorsChecked > 0 { Output.line("  anchors     \(report.anchorsChecked) checked") }
        Output.line("  checks      \((extraChecks + report.checks).joined(separator: ", "))")
        Output.line("  findings    \(report.count(.error) + extraFindings.count) errors, \(report.count(.warning)) warnings, \(report.count(.info)) notes")
        extraFindings.forEach { Output.line($0) }
        for finding in report.findings {
            let seq = finding.seq.map { "seq \($0)" } ?? "ledger"
            let request = finding.requestID.map { "[\(Identifier.printable($0))] " } ?? ""
            Output.line("  \(finding.severity.rawValue.uppercased().padded(7)) \(finding.code.rawValue.padded(22)) \(seq.padded(11)) \(request)\(TerminalText.field(finding.message, limit: 500))")
        }
        if report.findingsOmitted > 0 { Output.line("  … and \(report.findingsOmitted) more errors or warnings not shown") }
        if report.notesOmitted > 0 { Output.line("  … and \(report.notesOmitted) more notes not shown") }
    }
}
