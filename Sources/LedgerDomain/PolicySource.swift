public import LedgerFormat

/// A parsed policy document before validation: YAML or JSON reduced to one tree that keeps
/// each node's line, so every problem can be reported where it is.
public struct PolicySource: Sendable {
    public indirect enum Kind: Sendable {
        case scalar(JSONValue)
        case map([(key: String, value: PolicySource)])
        case list([PolicySource])
    }

    public var kind: Kind
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    /// A JSON value as a source tree (lines unknown: 0).
    public init(json: JSONValue) {
        line = 0
        switch json {
        case .object(let object): kind = .map(object.members.map { ($0.key, PolicySource(json: $0.value)) })
        case .array(let elements): kind = .list(elements.map(PolicySource.init(json:)))
        default: kind = .scalar(json)
        }
    }
}
