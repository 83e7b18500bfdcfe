internal import LedgerFormat

/// Validates a policy source tree into a `Policy`, collecting every problem on the way.
struct PolicyReader {
    var problems: [PolicyProblem] = []

    mutating func problem(_ node: PolicySource?, _ path: String, _ message: String) {
        problems.append(PolicyProblem(line: node?.line ?? 0, path: path, message: message))
    }

    /// The members of a map node, refusing keys outside `allowed`.
    mutating func map(_ node: PolicySource?, _ path: String, allowed: Set<String>) -> [String: PolicySource] {
        guard let node else { return [:] }
        guard case .map(let members) = node.kind else {
            problem(node, path, "must be a mapping")
            return [:]
        }
        var result: [String: PolicySource] = [:]
        for (key, value) in members {
            if !allowed.isEmpty && !allowed.contains(key) {
                problem(value, path.isEmpty ? key : "\(path).\(key)", "unknown key '\(key)'; expected one of: \(allowed.sorted().joined(separator: ", "))")
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// The members of a map node whose keys are names chosen by the author.
    mutating func namedMap(_ node: PolicySource?, _ path: String) -> [(String, PolicySource)] {
        guard let node else { return [] }
        guard case .map(let members) = node.kind else {
            problem(node, path, "must be a mapping")
            return []
        }
        return members.map { ($0.key, $0.value) }
    }

    mutating func list(_ node: PolicySource?, _ path: String) -> [PolicySource] {
        guard let node else { return [] }
        guard case .list(let elements) = node.kind else {
            problem(node, path, "must be a list")
            return []
        }
        return elements
    }

    mutating func string(_ node: PolicySource?, _ path: String, required: Bool = false) -> String? {
        guard let node else {
            if required { problem(nil, path, "is required") }
            return nil
        }
        guard case .scalar(.string(let text)) = node.kind else {
            problem(node, path, "must be a string")
            return nil
        }
        return text
    }

    /// A string or a list of strings (as in `match.environment: [prod, staging]`).
    mutating func strings(_ node: PolicySource?, _ path: String) -> [String]? {
        guard let node else { return nil }
        if case .scalar(.string(let text)) = node.kind { return [text] }
        var result: [String] = []
        for (index, element) in list(node, path).enumerated() {
            if let text = string(element, "\(path)[\(index)]") { result.append(text) }
        }
        return result
    }

    mutating func integer(_ node: PolicySource?, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let value) = node.kind, let integer = value.integerValue, range.contains(Int(integer)) else {
            problem(node, path, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(integer)
    }

    mutating func number(_ node: PolicySource?, _ path: String, range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard case .scalar(.number(let value)) = node.kind, range.contains(value) else {
            problem(node, path, "must be a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: PolicySource?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar(.bool(let value)) = node.kind else {
            problem(node, path, "must be true or false")
            return nil
        }
        return value
    }

    mutating func duration(_ node: PolicySource?, _ path: String) -> Int64? {
        guard let node else { return nil }
        guard let text = string(node, path) else { return nil }
        guard let milliseconds = DurationText.milliseconds(text) else {
            problem(node, path, "'\(text)' is not a duration; write e.g. 90s, 30m, 4h, 2d or 1h30m")
            return nil
        }
        return milliseconds
    }
}
