/// One thing wrong with a policy file, with the line it is on (0 when the policy came from
/// JSON, which has no lines).
public struct PolicyProblem: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    /// Where in the document, e.g. `rules[2].require.groups.dba`.
    public let path: String
    public let message: String

    public var description: String {
        (line > 0 ? "line \(line): " : "") + (path.isEmpty ? "" : "\(path): ") + message
    }
}

/// A policy that cannot be used, with every problem found (not just the first).
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let problems: [PolicyProblem]

    public var description: String {
        "the policy has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}
