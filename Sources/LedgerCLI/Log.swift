import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events in seq order.",
            discussion: """
                Text shows one event per line; --format json prints JSON Lines, one event per line \
                with its envelope, payload, hash and signature (docs/FORMAT.md §JSON Lines).

                Examples:
                  ledger log --from 100 --limit 20
                  ledger log --stream '$keys' --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this stream's events, in stream order.") var stream: String?
        @Option(help: "Start at this seq (or, with --stream, this stream version).") var from: Int64 = 1
        @Option(help: "At most this many events (default: all).") var limit: Int?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            if let remote = try global.remote() { return try await runRemotely(remote) }
            try await CommandRunner.run {
                let ledger = try await global.openLedger(readOnly: true)
                var next = from
                var remaining = limit ?? .max
                while remaining > 0 {
                    let page = min(remaining, 1000)
                    let events = if let stream {
                        try await ledger.events(stream: stream, fromVersion: next, limit: page)
                    } else {
                        try await ledger.events(from: next, limit: page)
                    }
                    print(events)
                    remaining -= events.count
                    guard events.count == page, let last = events.last else { break }
                    next = (stream == nil ? last.envelope.seq : last.envelope.streamVersion) + 1
                }
            }
        }

        /// One event as the text log shows it (locally and with `--server` alike).
        static func line(_ e: EventEnvelope, hashHex: String) -> String {
            "\(String(e.seq).padded(7)) \(e.time)  \(e.type.padded(18)) \("\(e.stream)@\(e.streamVersion)".padded(24)) \(speaker(e).padded(16)) \(hashHex.prefix(16))…"
        }

        /// Who the event speaks for, and how a relay carried it: `bob (signed)` when the
        /// caller's own key signed the command, `deploy-bot via token:ci` when relayed.
        static func speaker(_ envelope: EventEnvelope) -> String {
            switch envelope.origin {
            case nil: envelope.actor
            case .signed: "\(envelope.actor) (signed)"
            case .relayed(let via, _): "\(envelope.actor) via \(Identifier.printable(via))"
            }
        }

        private func print(_ events: [RecordedEvent]) {
            for event in events {
                switch format {
                case .json: Output.json(EventJSON.value(event))
                case .text:
                    Output.line(Self.line(event.envelope, hashHex: event.hash.hex))
                }
            }
        }
    }
}
