import ApprovalLedger

/// The human form of policy problems: one line each, every quoted key or value escaped with
/// `TerminalText`, since a policy file may come from someone else.
enum PolicyText {
    static func problem(_ problem: PolicyProblem) -> String {
        TerminalText.field(problem.description, limit: 500)
    }

    static func describe(_ error: PolicyError) -> String {
        let count = error.problems.count
        return "the policy has \(count) problem\(count == 1 ? "" : "s"):\n" + error.problems.map { "  " + problem($0) }.joined(separator: "\n")
    }
}
