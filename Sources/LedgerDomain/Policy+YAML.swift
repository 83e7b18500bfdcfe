internal import Yams
public import LedgerFormat

extension Policy {
    /// Parses and validates a YAML policy file.
    /// - Throws: `PolicyError` listing every problem with its line.
    public init(yaml: String) throws(PolicyError) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PolicyError(problems: [PolicyProblem(line: Self.line(of: error), path: "", message: "not valid YAML: \(error)")])
        } catch {
            throw PolicyError(problems: [PolicyProblem(line: 0, path: "", message: "not valid YAML: \(error)")])
        }
        guard let node else {
            throw PolicyError(problems: [PolicyProblem(line: 1, path: "", message: "the file is empty")])
        }
        var problems: [PolicyProblem] = []
        let source = Self.source(node, path: "", problems: &problems)
        if !problems.isEmpty { throw PolicyError(problems: problems) }
        try self.init(source: source)
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    private static func source(_ node: Node, path: String, problems: inout [PolicyProblem]) -> PolicySource {
        let line = node.mark?.line ?? 0
        switch node {
        case .mapping(let mapping):
            var members: [(key: String, value: PolicySource)] = []
            var seen = Set<String>()
            for (key, value) in mapping {
                guard let name = key.string, case .scalar = key else {
                    problems.append(PolicyProblem(line: key.mark?.line ?? line, path: path, message: "keys must be plain strings"))
                    continue
                }
                if !seen.insert(name).inserted {
                    problems.append(PolicyProblem(line: key.mark?.line ?? line, path: path, message: "duplicate key '\(name)'"))
                }
                members.append((name, source(value, path: path.isEmpty ? name : "\(path).\(name)", problems: &problems)))
            }
            return PolicySource(.map(members), line: line)
        case .sequence(let sequence):
            return PolicySource(.list(sequence.enumerated().map { source($1, path: "\(path)[\($0)]", problems: &problems) }), line: line)
        case .scalar(let scalar):
            let value: JSONValue
            switch node.tag.description {
            case Tag.Name.null.rawValue: value = .null
            case Tag.Name.bool.rawValue: value = node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: value = node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
            case Tag.Name.float.rawValue: value = node.float.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .string(scalar.string)
            default: value = .string(scalar.string)
            }
            return PolicySource(.scalar(value), line: line)
        case .alias:
            problems.append(PolicyProblem(line: line, path: path, message: "YAML aliases are not allowed in policies"))
            return PolicySource(.scalar(.null), line: line)
        }
    }
}
