import ApprovalLedger

/// The human form of `ledger policy simulate`: a summary, a table of the requests that would
/// differ (each with the votes the draft judges otherwise), and the requests per rule.
enum PolicySimulationText {
    static func print(_ simulation: PolicySimulation) {
        let query = simulation.query
        var scope = "opened since \(query.since.map(\.description) ?? "the first event")"
        if let until = query.until { scope += " until \(until)" }
        if let environment = query.environment { scope += " in \(f(environment))" }
        if let action = query.action { scope += ", action \(f(action))" }
        Output.line("draft '\(f(simulation.draft.policy.name))' (hash \(simulation.draft.hash.prefix(12))…) over \(simulation.requests.count) requests \(scope), as of \(query.now)")
        let changes = simulation.changes
        guard !changes.isEmpty else {
            Output.line("no decision would differ")
            rules(simulation)
            return
        }
        var totals = "\(changes.count) would differ; waiting saved \(PolicySimulation.duration(simulation.savedMs)), cost \(PolicySimulation.duration(simulation.costMs))"
        if simulation.stillPending > 0 { totals += ", and \(simulation.stillPending) grant\(simulation.stillPending == 1 ? "" : "s") still pending (cost unbounded)" }
        Output.line(totals)
        Output.line()
        var rows = [["REQUEST", "RULE (RECORDED → DRAFT)", "OUTCOME (RECORDED → DRAFT)", "LATENCY"]]
        var notes: [Int: [String]] = [:]
        for change in changes {
            rows.append([
                f(change.requestID), arrow(change.recorded.rule ?? "-", change.draft.rule ?? "(none)"),
                arrow(change.recorded.summary, change.draft.summary), change.latency?.summary ?? "-",
            ])
            notes[rows.count - 1] = change.votes.map { vote in
                "vote by \(f(vote.voter)) (\(vote.approve ? "approve" : "deny"), seq \(vote.seq)): \(vote.recorded.summary) → \(vote.draft.summary)"
            }
        }
        for (index, line) in table(rows).enumerated() {
            Output.line(line)
            for note in notes[index] ?? [] { Output.line("  " + note) }
        }
        rules(simulation)
    }

    private static func rules(_ simulation: PolicySimulation) {
        let counts = simulation.ruleCounts
        guard !counts.isEmpty else { return }
        Output.line()
        var rows = [["RULE (RECORDED → DRAFT)", "REQUESTS", "CHANGED"]]
        for count in counts {
            rows.append([arrow(count.recordedRule, count.draftRule ?? "(none)"), "\(count.requests)", "\(count.changed)"])
        }
        for line in table(rows) { Output.line(line) }
    }

    /// "a → b", or just "a" when they agree.
    static func arrow(_ recorded: String, _ draft: String) -> String {
        recorded == draft ? f(recorded) : "\(f(recorded)) → \(f(draft))"
    }

    /// Left-aligned columns two spaces apart; the last column is not padded.
    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }

    private static func f(_ text: String) -> String { TerminalText.field(text, limit: 80) }
}
