extension JSONValue {
    /// Why the canonical bytes of this value would be refused by a reader of the format
    /// (docs/FORMAT.md §Accepted JSON), or nil when any reader accepts them.
    ///
    /// A writer must never store bytes its own verifier, or an auditor's, cannot read. Three
    /// things can make a value that exists in memory unreadable once written:
    /// - a number that is not finite (JSON has no NaN or Infinity);
    /// - an integral number beyond ±(2^53 − 1) and below 10^21, such as `1e20`: RFC 8785
    ///   writes it as the integer token `100000000000000000000`, which readers refuse because
    ///   distinct integers that large collapse into one double;
    /// - nesting deeper than `maxDepth` (the outermost array or object is depth 1).
    ///
    /// Complexity: O(n) in the number of values; recursion is bounded by `maxDepth + 1`.
    public func readabilityProblem(maxDepth: Int) -> String? {
        problem(depth: 0, maxDepth: maxDepth)
    }

    private func problem(depth: Int, maxDepth: Int) -> String? {
        switch self {
        case .null, .bool, .string:
            return nil
        case .number(let value):
            guard value.isFinite else { return "\(value) is not a JSON number" }
            if value == value.rounded(.towardZero), abs(value) > JSONValue.maxSafeInteger, abs(value) < 1e21 {
                return "the number \(ECMAScriptNumber.format(value)) is an integer beyond ±(2^53 − 1), which readers refuse; send it as a string"
            }
            return nil
        case .array(let elements):
            guard depth < maxDepth else { return "nesting deeper than \(maxDepth) levels" }
            for element in elements {
                if let problem = element.problem(depth: depth + 1, maxDepth: maxDepth) { return problem }
            }
            return nil
        case .object(let object):
            guard depth < maxDepth else { return "nesting deeper than \(maxDepth) levels" }
            for member in object.members {
                if let problem = member.value.problem(depth: depth + 1, maxDepth: maxDepth) { return problem }
            }
            return nil
        }
    }
}
