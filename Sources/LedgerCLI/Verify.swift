import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the ledger complete, untouched and correctly signed.",
            discussion: """
                One streaming pass checks: seq gapless from 1; every hash recomputed from the stored \
                bytes and linked to the one before; indexed columns equal the signed bytes; payloads \
                match their commitments; every signature valid under a key registered (and not \
                revoked) before that event and allowed to speak for its actor; each --anchor \
                checkpoint matched and not ahead of the ledger. Finding codes: docs/VERIFY.md.

                Exit status: 0 verified; 1 findings (errors, or warnings with --strict); 2 could not run.

                Examples:
                  ledger verify
                  ledger verify --anchor ops-2026-11-01.checkpoint --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("anchor"), help: ArgumentHelp("A checkpoint file to hold the ledger to (repeatable).", valueName: "file"))
        var anchors: [String] = []
        @Option(name: .customLong("since-checkpoint"), help: ArgumentHelp("Verify only the events after this trusted checkpoint (after checking the ledger still holds its head).", valueName: "file"))
        var sinceCheckpoint: String?
        @Option(help: ArgumentHelp("Judge deadlines (completeness) at this time instead of now, e.g. 2026-11-21T12:00:00.000Z.", valueName: "time"))
        var now: String?
        @Flag(help: "Treat warnings as failures.") var strict = false
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            var verified = false
            try await CommandRunner.run {
                let checkpoints = try anchors.map(Self.readCheckpoint)
                let trusted = try sinceCheckpoint.map(Self.readCheckpoint)
                let judgedAt = try now.map(TimeArgument.parse)
                let ledger = try await global.openLedger(readOnly: true)
                let head = try await ledger.head()
                let progress = ProgressLine(label: "verifying", total: head.size - (trusted?.size ?? 0))
                var verifier = Verifier(anchors: checkpoints, now: judgedAt)
                if let progress {
                    verifier.progress = { count in progress.update(count) }
                }
                let report = try verifier.verify(ledger, sinceCheckpoint: trusted)
                progress?.finish()
                switch format {
                case .json: Output.json(report.jsonValue(strict: strict))
                case .text: VerifyText.print(report, strict: strict)
                }
                verified = report.isVerified(strict: strict)
            }
            if !verified { throw ExitCode(1) }
        }

        static func readCheckpoint(_ path: String) throws -> Checkpoint {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LedgerError(.notFound, "cannot read checkpoint file '\(path)'")
            }
            do {
                return try Checkpoint(fileBytes: [UInt8](data))
            } catch {
                throw LedgerError(.invalidEvent, "checkpoint file '\(path)' is invalid: \(error.message)")
            }
        }
    }
}

/// The human form of a verification report.
enum VerifyText {
    static func print(_ report: VerificationReport, strict: Bool) {
        let verified = report.isVerified(strict: strict)
        Output.line(verified ? "VERIFIED" : "NOT VERIFIED")
        Output.line("  ledger      \(report.ledgerID ?? "unknown")")
        Output.line("  events      \(report.events)\(report.firstSeq > 1 ? " (seq \(report.firstSeq) onward, after a trusted checkpoint)" : "")")
        Output.line("  requests    \(report.requests) (\(report.eventsReplayed) events replayed under \(report.policyVersions) policy version\(report.policyVersions == 1 ? "" : "s"))")
        if let first = report.firstTime, let last = report.lastTime { Output.line("  time span   \(first) → \(last)") }
        Output.line("  head hash   \(report.headHash ?? "none")")
        Output.line("  keys        \(report.keysSeen) seen, \(report.signaturesChecked) signatures checked")
        if report.anchorsChecked > 0 { Output.line("  anchors     \(report.anchorsChecked) checked") }
        Output.line("  checks      \(report.checks.joined(separator: ", "))")
        Output.line("  findings    \(report.count(.error)) errors, \(report.count(.warning)) warnings, \(report.count(.info)) notes")
        for finding in report.findings {
            let seq = finding.seq.map { "seq \($0)" } ?? "ledger"
            let request = finding.requestID.map { "[\(Identifier.printable($0))] " } ?? ""
            Output.line("  \(finding.severity.rawValue.uppercased().padded(7)) \(finding.code.rawValue.padded(22)) \(seq.padded(11)) \(request)\(finding.message)")
        }
        if report.findingsOmitted > 0 { Output.line("  … and \(report.findingsOmitted) more findings not shown") }
    }
}

/// A one-line progress bar on stderr, only when stderr is a terminal.
final class ProgressLine: Sendable {
    private let label: String
    private let total: Int64

    init?(label: String, total: Int64) {
        guard Output.stderrIsTerminal else { return nil }
        self.label = label
        self.total = max(total, 1)
    }

    func update(_ count: Int64) {
        let width = 30
        let filled = Int(min(count, total) * Int64(width) / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(count)/\(total) events".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
