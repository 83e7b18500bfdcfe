import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append signed events: one from flags, or many as JSON Lines on stdin.",
            discussion: """
                With --type/--stream/--payload, appends one event. With --jsonl, reads one event \
                per line from stdin, each {"type", "stream", "payload", optional "idempotencyKey", \
                "correlationId", "expectedVersion"}; each line is its own durable transaction, or \
                all lines one transaction with --batch.

                Examples:
                  ledger append --type deploy.note --stream svc-payments --payload '{"text":"v42 out"}'
                  ledger append --type deploy.note --stream svc-payments --payload '{}' --idempotency-key run-981
                  printf '%s\\n' '{"type":"x.y","stream":"s","payload":{}}' | ledger append --jsonl --batch
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Event type, e.g. deploy.note.") var type: String?
        @Option(help: "Stream the event belongs to.") var stream: String?
        @Option(help: "The payload, a JSON object.") var payload: String?
        @Option(help: ArgumentHelp("Require the stream at this version: a number, or 'none' for a new stream.", valueName: "version"))
        var expectedVersion: String?
        @Option(help: "A retry with the same key returns the original event and writes nothing.") var idempotencyKey: String?
        @Option(help: "Correlation id (release, pipeline run) recorded with the event.") var correlationId: String?
        @Flag(help: "Read events as JSON Lines from stdin.") var jsonl = false
        @Flag(help: "With --jsonl, append every line in one transaction.") var batch = false
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let drafts = try jsonl ? readDrafts() : [try flagDraft()]
                let ledger = try await global.openLedger()
                let signer = try await global.signer(for: ledger)
                if batch {
                    for event in try await ledger.append(drafts, signer: signer) { report(event) }
                } else {
                    for draft in drafts { report(try await ledger.append(draft, signer: signer)) }
                }
            }
        }

        private func report(_ event: RecordedEvent) {
            printEvent(event, format: format, summary: "appended \(event.envelope.type) to \(event.envelope.stream)@\(event.envelope.streamVersion)")
        }

        private func flagDraft() throws -> EventDraft {
            guard let type, let stream else { throw ValidationError("give --type and --stream (or --jsonl)") }
            let value = try JSONParser.parse(payload ?? "{}")
            return EventDraft(
                type: type, stream: stream, payload: value, expectedVersion: try parseExpected(expectedVersion),
                idempotencyKey: idempotencyKey, correlationID: correlationId)
        }

        private func readDrafts() throws -> [EventDraft] {
            var drafts: [EventDraft] = []
            var number = 0
            while let line = readLine(strippingNewline: true) {
                number += 1
                if line.isEmpty { continue }
                do {
                    let fields = try FieldReader(try JSONParser.parse(line), what: "line \(number)")
                    try fields.rejectUnknown(allowed: ["type", "stream", "payload", "idempotencyKey", "correlationId", "expectedVersion"])
                    let expected: String? = switch fields.object["expectedVersion"] {
                    case .none: nil
                    case .some(let value): value.stringValue ?? value.integerValue.map(String.init)
                    }
                    drafts.append(EventDraft(
                        type: try fields.string("type"), stream: try fields.string("stream"), payload: try fields.require("payload"),
                        expectedVersion: try parseExpected(expected), idempotencyKey: try fields.optionalString("idempotencyKey"),
                        correlationID: try fields.optionalString("correlationId")))
                } catch let error as JSONParseError {
                    throw ValidationError("stdin line \(number): \(error)")
                }
            }
            return drafts
        }

        private func parseExpected(_ text: String?) throws -> ExpectedVersion {
            switch text {
            case nil: return .any
            case "none"?: return .noStream
            case let text?:
                guard let version = Int64(text), version >= 1 else {
                    throw ValidationError("expected version must be a positive number or 'none', not '\(text)'")
                }
                return .exactly(version)
            }
        }
    }
}
