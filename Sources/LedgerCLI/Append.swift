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
                "correlationId", "expectedVersion"}, at most 1 MiB a line.

                Lines are committed as they arrive: each line is its own durable transaction, or \
                every N lines one transaction with --batch-size N, or the whole input one \
                transaction with --batch. Each event is printed as soon as its transaction \
                commits (with --format json, one JSON line with its seq and hash), so a printed \
                event is durable: a producer may treat it as acknowledged. A bad line stops the \
                command with its line number; the lines before it stay committed.

                Examples:
                  ledger append --type deploy.note --stream svc-payments \\
                      --payload '{"text":"v42 out"}'
                  ledger append --type deploy.note --stream svc-payments \\
                      --payload '{}' --idempotency-key run-981
                  printf '%s\\n' '{"type":"x.y","stream":"s","payload":{}}' \\
                      | ledger append --jsonl --batch
                  producer | ledger append --jsonl --batch-size 100 --format json
                """)

        /// The longest line `--jsonl` accepts: the 256 KiB payload limit leaves room for
        /// escapes and whitespace, and a line with no end cannot exhaust memory.
        static let maxLineBytes = 1 << 20

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
        @Option(help: ArgumentHelp("With --jsonl, commit every N lines in one transaction as they arrive.", valueName: "n"))
        var batchSize: Int?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func validate() throws {
            if !jsonl && (batch || batchSize != nil) { throw ValidationError("--batch and --batch-size read JSON Lines: add --jsonl") }
            if batch && batchSize != nil { throw ValidationError("give --batch (the whole input) or --batch-size N, not both") }
            if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        }

        func run() async throws {
            try await CommandRunner.run {
                let single = jsonl ? nil : try flagDraft()
                let ledger = try await global.openWritable()
                let signer = try await global.signer(for: ledger)
                if let single {
                    report(try await ledger.append(single, signer: signer))
                    return
                }
                var lines = LineReader(descriptor: 0, maxLineBytes: Self.maxLineBytes)
                let size = batch ? Int.max : batchSize ?? 1
                var pending: [EventDraft] = []
                while let draft = try nextDraft(&lines) {
                    pending.append(draft)
                    if pending.count == size {
                        for event in try await ledger.append(pending, signer: signer) { report(event) }
                        pending.removeAll(keepingCapacity: true)
                    }
                }
                if !pending.isEmpty {
                    for event in try await ledger.append(pending, signer: signer) { report(event) }
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

        /// The next non-empty line as a draft, or nil at the end of input.
        private func nextDraft(_ lines: inout LineReader) throws -> EventDraft? {
            while true {
                let bytes: [UInt8]
                do {
                    guard let line = try lines.next() else { return nil }
                    bytes = line
                } catch let error as LineReader.LineTooLong {
                    throw ValidationError("stdin line \(error.line) is longer than \(error.limit) bytes")
                } catch let error as LineReader.ReadFailed {
                    throw ValidationError("cannot read stdin: \(String(cString: strerror(error.errno)))")
                }
                if bytes.isEmpty { continue }
                let number = lines.lineNumber
                do {
                    let fields = try FieldReader(try JSONParser.parse(bytes), what: "line \(number)")
                    try fields.rejectUnknown(allowed: ["type", "stream", "payload", "idempotencyKey", "correlationId", "expectedVersion"])
                    var expected: String?
                    if let value = fields.object["expectedVersion"] {
                        // A condition that cannot be read must stop the line, never be dropped.
                        guard let text = value.stringValue ?? value.integerValue.map(String.init) else {
                            throw FormatError(.invalidField, "line \(number) field \"expectedVersion\" must be a positive integer or \"none\"")
                        }
                        expected = text
                    }
                    return EventDraft(
                        type: try fields.string("type"), stream: try fields.string("stream"), payload: try fields.require("payload"),
                        expectedVersion: try parseExpected(expected), idempotencyKey: try fields.optionalString("idempotencyKey"),
                        correlationID: try fields.optionalString("correlationId"))
                } catch let error as JSONParseError {
                    throw ValidationError("stdin line \(number): \(TerminalText.field(error.description))")
                }
            }
        }

        private func parseExpected(_ text: String?) throws -> ExpectedVersion {
            switch text {
            case nil: return .any
            case "none"?: return .noStream
            case let text?:
                guard let version = Int64(text), version >= 1 else {
                    throw ValidationError("expected version must be a positive number or 'none', not '\(TerminalText.field(text, limit: 40))'")
                }
                return .exactly(version)
            }
        }
    }
}
