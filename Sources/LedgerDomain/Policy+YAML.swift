internal import Yams
internal import LedgerFormat

extension Policy {
    /// The largest policy file accepted, in bytes: a policy is a page of YAML.
    public static let maxYAMLBytes = 1 << 20

    /// Parses and validates the bytes of a YAML policy file: at most `maxYAMLBytes`, UTF-8.
    /// - Throws: `PolicyError` listing every problem with its line.
    public init(yaml bytes: [UInt8]) throws(PolicyError) {
        guard bytes.count <= Self.maxYAMLBytes else {
            throw PolicyError(problems: [PolicyProblem(line: 0, path: "", message: "the file is larger than 1 MiB; a policy is a page of YAML")])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PolicyError(problems: [PolicyProblem(line: 0, path: "", message: "the file is not UTF-8 text")])
        }
        try self.init(yaml: text)
    }

    /// Parses and validates a YAML policy file.
    /// - Throws: `PolicyError` listing every problem with its line.
    public init(yaml: String) throws(PolicyError) {
        let parser: Parser
        let node: Node?
        do {
            parser = try Parser(yaml: yaml)
            node = try parser.singleRoot()
        } catch let error as YamlError {
            throw PolicyError(problems: [PolicyProblem(line: Self.line(of: error), path: "", message: Self.yamlMessage(error))])
        } catch {
            throw PolicyError(problems: [PolicyProblem(line: 0, path: "", message: Self.yamlMessage(error))])
        }
        guard let node else {
            throw PolicyError(problems: [PolicyProblem(line: 1, path: "", message: "the file is empty")])
        }
        var problems: [PolicyProblem] = []
        // Yams ties anchors to nodes weakly, through the parser: it must outlive the walk that
        // refuses anchored nodes.
        let source = withExtendedLifetime(parser) { Self.source(node, path: "", problems: &problems) }
        if !problems.isEmpty { throw PolicyError(problems: problems) }
        try self.init(source: source)
    }

    /// libyaml's message, which quotes the offending line: cut short, since a hostile file can
    /// be one line of a megabyte.
    private static func yamlMessage(_ error: any Error) -> String {
        let text = "not valid YAML: \(error)"
        return text.count <= 400 ? text : String(text.prefix(400)) + "…"
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    private static func source(_ node: Node, path: String, problems: inout [PolicyProblem]) -> PolicySource {
        let line = node.mark?.line ?? 0
        // An alias makes one node appear many times: nine aliases of nine aliases of … expand a
        // few hundred bytes into billions of nodes ("billion laughs"). Anchored nodes are
        // refused without being walked, which keeps the walk linear in the file's size.
        if node.anchor != nil {
            problems.append(PolicyProblem(line: line, path: path, message: "YAML anchors and aliases (&name, *name) are not allowed in policies; write the value out"))
            return PolicySource(.scalar(.null), line: line)
        }
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
