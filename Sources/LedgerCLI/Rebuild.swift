import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop and replay the projection tables from the events; record their digest.",
            discussion: """
                The projections (requests, request_timings, votes, attempts, executions) are \
                updated in the same transaction as every append; a rebuild empties them and \
                replays every request stream in one write transaction (appends wait), prints the \
                digest of the tables before and after — equal unless something had gone wrong — \
                and records the new digest for `ledger verify`. The digest is defined in \
                docs/FORMAT.md (Projections).

                --check changes nothing: it replays into a scratch database and holds the tables, \
                and the recorded digest, to it. Exit 0 when they agree, 1 when they do not.

                Examples:
                  ledger rebuild
                  ledger rebuild --check --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only compare the tables with a fresh replay; change nothing.") var check = false
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            var consistent = true
            try await CommandRunner.run {
                if check {
                    let result = try await global.openLedger(readOnly: true).checkProjections()
                    consistent = result.isConsistent
                    print(result)
                } else {
                    let result = try await global.openLedger().rebuildProjections()
                    print(result)
                }
            }
            if !consistent { throw ExitCode(1) }
        }

        private func print(_ rebuild: ProjectionRebuild) {
            switch format {
            case .json:
                Output.json([
                    "eventsRead": .integer(Int64(rebuild.eventsRead)), "requests": .integer(Int64(rebuild.requests)),
                    "replaySeconds": .number(rebuild.replaySeconds), "seconds": .number(rebuild.seconds),
                    "eventsPerSecond": .number(rebuild.eventsPerSecond.rounded()),
                    "previous": Self.json(rebuild.previous), "rebuilt": Self.json(rebuild.rebuilt),
                    "matchedIncremental": .bool(rebuild.matchedIncremental),
                ])
            case .text:
                Output.line("rebuilt the projections of \(rebuild.requests) requests from \(rebuild.eventsRead) events: replay "
                    + "\(String(format: "%.2f", rebuild.replaySeconds)) s (\(Int(rebuild.eventsPerSecond.rounded())) events/s), "
                    + "\(String(format: "%.2f", rebuild.seconds)) s with both digests")
                Output.line("  before   \(rebuild.previous)")
                Output.line("  after    \(rebuild.rebuilt), recorded")
                Output.line(rebuild.matchedIncremental
                    ? "  result   identical: the incrementally updated tables equalled the replay"
                    : "  result   DIFFERENT: the tables did not equal a replay of the events; they are now rebuilt")
            }
            if !rebuild.matchedIncremental, format == .json {
                Output.error("warning: the tables did not equal a replay of the events; they are now rebuilt")
            }
        }

        private func print(_ check: ProjectionCheck) {
            switch format {
            case .json:
                Output.json([
                    "tables": Self.json(check.tables), "replayed": Self.json(check.replayed),
                    "recorded": check.recorded.map(Self.json) ?? .null, "recordedReplay": check.recordedReplay.map(Self.json) ?? .null,
                    "tablesMatch": .bool(check.tablesMatch), "recordedMatches": check.recordedMatches.map(JSONValue.bool) ?? .null,
                    "consistent": .bool(check.isConsistent),
                ])
            case .text:
                Output.line(check.isConsistent ? "CONSISTENT" : "INCONSISTENT")
                Output.line("  tables     \(check.tables)")
                Output.line("  replay     \(check.replayed)  \(check.tablesMatch ? "equal" : "DIFFERENT: run `ledger rebuild`")")
                if let recorded = check.recorded {
                    let verdict = switch check.recordedMatches {
                    case true?: "equals its replay"
                    case false?: recorded.throughSeq > check.tables.throughSeq
                        ? "DIFFERENT: it covers \(recorded.throughSeq) events, the ledger now holds \(check.tables.throughSeq)"
                        : "DIFFERENT from its replay \(check.recordedReplay?.digest.hex ?? "")"
                    case nil: "not comparable (recorded under projection v\(recorded.version))"
                    }
                    Output.line("  recorded   \(recorded) at \(recorded.recordedAt?.description ?? "?"): \(verdict)")
                } else {
                    Output.line("  recorded   none (`ledger rebuild` records one)")
                }
            }
        }

        static func json(_ digest: ProjectionDigest) -> JSONValue {
            [
                "digest": .string(digest.digest.hex), "throughSeq": .integer(digest.throughSeq), "version": .integer(digest.version),
                "recordedAt": digest.recordedAt.map { .string($0.description) } ?? .null,
            ]
        }
    }
}
