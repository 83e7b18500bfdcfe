import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a period for auditors: JSON Lines, CSV, an HTML report, or an evidence bundle.",
            discussion: """
                Formats (docs/EXPORT.md):
                  jsonl   every event from seq 1 to the period's end with its exact bytes, hash and \
                signature (docs/FORMAT.md §JSON Lines); verifies on its own.
                  csv     one row per request in scope, RFC 4180, columns in docs/EXPORT.md.
                  html    one self-contained file: verification result, SLI charts, every request \
                with its signed history, findings, keys and policy versions in force.
                  bundle  a directory an auditor verifies offline (`ledger verify --bundle`, \
                Tools/verify_bundle.py): events.jsonl, the checkpoints anchoring its end, a \
                manifest of SHA-256 hashes and a README.

                Scope: events with --since <= time < --until (UTC; a date means its midnight). A \
                request is in scope when one of its events is in the period (and, with --request, \
                when it is named); its whole history up to the period's end is disclosed. Exports \
                start at seq 1 so that they verify from the genesis: payloads outside the scope \
                are withheld (null), while key and policy events are always disclosed.

                Selective disclosure: --redact-payloads withholds every payload but those of key \
                and policy events; --redact-field NAME withholds every payload with a member NAME \
                (a payload is committed to as a whole, so it is withheld whole). Hashes and \
                signatures still verify; each withheld payload is counted as payload-withheld.

                A bundle must end at a checkpoint: with --key (or LEDGER_KEY), a fresh one is \
                signed at the end; --anchor adds checkpoints you keep elsewhere (the bundle then \
                extends to the latest of them).

                Examples:
                  ledger export --since 2026-11-01 --until 2026-12-01 \\
                      --format bundle --out audit-2026-11
                  ledger export --since 2026-11-01 --until 2026-12-01 \\
                      --format html --out audit-2026-11.html
                  ledger export --format csv --out requests.csv \\
                      --request req-417c15be9d --request req-4ca110a8f1
                  ledger export --format jsonl --out - --redact-field reason \\
                      | gzip > events.jsonl.gz
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case jsonl, csv, html, bundle
        }

        @OptionGroup var global: GlobalOptions
        @Option(help: "What to write: jsonl, csv, html or bundle.") var format: Format
        @Option(help: ArgumentHelp("Where to write it (never overwritten); `-` for stdout (not for bundle).", valueName: "path"))
        var out: String
        @Option(help: ArgumentHelp("Start of the period, inclusive: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.mmm]Z (UTC).", valueName: "time"))
        var since: String?
        @Option(help: ArgumentHelp("End of the period, exclusive (same forms as --since).", valueName: "time"))
        var until: String?
        @Option(name: .customLong("request"), parsing: .upToNextOption, help: ArgumentHelp("Only these requests (repeatable).", valueName: "id"))
        var requests: [String] = []
        @Flag(help: "Withhold every payload except those of key and policy events.") var redactPayloads = false
        @Option(name: .customLong("redact-field"), help: ArgumentHelp("Withhold every payload with this top-level member (repeatable).", valueName: "name"))
        var redactFields: [String] = []
        @Option(name: .customLong("anchor"), help: ArgumentHelp("A checkpoint file to include in a bundle, or to hold the ledger to in html (repeatable).", valueName: "file"))
        var anchors: [String] = []
        @Option(help: "How to print the summary of what was written: text or json.") var summaryFormat: OutputFormat = .text

        func validate() throws {
            if format == .bundle, out == "-" { throw ValidationError("a bundle is a directory: give --out a path, not -") }
            if let since, ExportScope.parseBound(since) == nil { throw ValidationError("--since '\(since)' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.mmm]Z") }
            if let until, ExportScope.parseBound(until) == nil { throw ValidationError("--until '\(until)' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.mmm]Z") }
        }

        func run() async throws {
            try await CommandRunner.run {
                let started = ContinuousClock.now
                let given = try anchors.map(Verify.readCheckpoint)
                let checkpoints = given.compactMap { if case .chain(let checkpoint) = $0 { checkpoint } else { nil } }
                let treeCheckpoints = given.compactMap { if case .tree(let checkpoint) = $0 { checkpoint } else { nil } }
                let ledger = try await global.openLedger(readOnly: true)
                let scope = ExportScope(
                    since: since.flatMap(ExportScope.parseBound), until: until.flatMap(ExportScope.parseBound),
                    requestIDs: Set(requests), redaction: PayloadRedaction(allPayloads: redactPayloads, fields: Set(redactFields)))
                var plan = try ExportPlan.make(ledger: ledger, scope: scope)
                let progress = ProgressLine(label: "exporting")
                var summary: ExportSummary
                switch format {
                case .jsonl:
                    let output = try OutputFile(path: out)
                    summary = try JSONLinesExport.write(ledger: ledger, plan: plan, to: output) { progress?.update($0, of: plan.end) }
                    try output.finish()
                case .csv:
                    let period = try PeriodRecord.read(ledger: ledger, plan: plan, keepHistory: false) { progress?.update($0, of: plan.periodEnd) }
                    summary = try write(RequestCSV.text(period), format: "csv", plan: plan, requests: period.requests.count)
                case .html:
                    var verifier = Verifier(anchors: checkpoints)
                    verifier.treeAnchors = treeCheckpoints
                    if let progress { verifier.progress = { progress.update($0, label: "verifying") } }
                    let verification = try verifier.verify(ledger)
                    progress?.update(0, of: plan.periodEnd, label: "exporting")
                    let period = try PeriodRecord.read(ledger: ledger, plan: plan, keepHistory: true) { progress?.update($0, of: plan.periodEnd) }
                    let report = HTMLReport(
                        period: period, verification: verification, generatedAt: SystemClock.now(),
                        generator: "ledger \(ApprovalLedgerVersion.string)")
                    let output = try OutputFile(path: out)
                    try report.write { try output.write($0) }
                    summary = try finish(output, format: "html", plan: plan, requests: period.requests.count)
                case .bundle:
                    let key = try exporterKey()
                    let bundled = try await BundleAnchoring.checkpoints(
                        for: &plan, ledger: ledger, anchors: checkpoints, treeAnchors: treeCheckpoints, key: key, now: SystemClock.now())
                    summary = try BundleExport.write(
                        ledger: ledger, plan: plan, checkpoints: bundled, selectsRequests: !requests.isEmpty, to: out
                    ) { progress?.update($0, of: plan.end) }
                }
                progress?.finish()
                print(summary, seconds: (ContinuousClock.now - started) / .seconds(1))
            }
        }

        /// The key that signs a bundle's fresh checkpoint: --key or LEDGER_KEY when given.
        private func exporterKey() throws -> Ed25519PrivateKey? {
            let path = global.keyPath ?? ProcessInfo.processInfo.environment["LEDGER_KEY"]
            guard let path, !path.isEmpty else { return nil }
            return try KeyFile.readPrivateKey(atPath: path)
        }

        private func write(_ text: String, format: String, plan: ExportPlan, requests: Int) throws -> ExportSummary {
            let output = try OutputFile(path: out)
            try output.write(text)
            return try finish(output, format: format, plan: plan, requests: requests)
        }

        private func finish(_ output: OutputFile, format: String, plan: ExportPlan, requests: Int) throws -> ExportSummary {
            try output.finish()
            var summary = ExportSummary(format: format, path: out)
            summary.end = plan.periodEnd
            summary.eventsInPeriod = plan.eventsInPeriod
            summary.requests = requests
            summary.bytes = output.count
            return summary
        }

        private func print(_ summary: ExportSummary, seconds: Double) {
            // With --out -, stdout is the export itself: the summary goes to stderr.
            let emit: (String) -> Void = out == "-" ? { Output.error($0) } : { Output.line($0) }
            switch summaryFormat {
            case .json:
                guard case .object(var object) = summary.jsonValue else { return }
                object["seconds"] = .number((seconds * 1000).rounded() / 1000)
                emit(String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self))
            case .text:
                var line = "exported \(summary.format) to \(summary.path): "
                if summary.format == "jsonl" || summary.format == "bundle" {
                    line += "events 1…\(summary.end), \(summary.disclosedPayloads) payloads disclosed, \(summary.withheldPayloads) withheld"
                } else {
                    line += "\(summary.requests) requests, events 1…\(summary.end)"
                }
                line += "; \(summary.eventsInPeriod) events in the period"
                if !summary.checkpoints.isEmpty { line += "; anchored by checkpoints of size \(summary.checkpoints.map(String.init).joined(separator: ", "))" }
                line += String(format: "; %d bytes in %.2fs", summary.bytes, seconds)
                emit(line)
            }
        }
    }
}
