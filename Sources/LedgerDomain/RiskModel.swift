import LedgerFormat

/// A transparent weighted risk model: each factor maps a request input to a value in 0…1;
/// the score is 100 × Σ(weight × value) / Σ weight, rounded; each factor's share of it is its
/// contribution. Levels name score thresholds.
public struct RiskModel: Sendable, Hashable {
    public var factors: [RiskFactor]
    /// Level names and the lowest score each starts at, ascending.
    public var levels: [(name: String, from: Int)]

    public static let standardLevels: [(name: String, from: Int)] = [("low", 0), ("medium", 25), ("high", 50), ("critical", 75)]

    public init(factors: [RiskFactor], levels: [(name: String, from: Int)]) {
        self.factors = factors
        self.levels = levels
    }

    public static func == (lhs: RiskModel, rhs: RiskModel) -> Bool {
        lhs.factors == rhs.factors && lhs.levels.map(\.name) == rhs.levels.map(\.name) && lhs.levels.map(\.from) == rhs.levels.map(\.from)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(factors)
        for level in levels {
            hasher.combine(level.name)
            hasher.combine(level.from)
        }
    }

    /// The level a score falls in.
    public func level(for score: Int) -> String {
        levels.last { score >= $0.from }?.name ?? "low"
    }
}

/// One factor of the risk model.
public struct RiskFactor: Sendable, Hashable {
    /// How an input becomes a value in 0…1.
    public enum Mapping: Sendable, Hashable {
        /// Looked up by the input's text; unlisted inputs take the default.
        case table([String: Double])
        /// A number divided by `max`, clamped to 0…1.
        case scale(max: Double)
        /// 1 when the request time is outside business hours (UTC), else 0.
        case offHours(startHour: Int, endHour: Int, weekdaysOnly: Bool)
    }

    public var name: String
    public var weight: Double
    public var mapping: Mapping
    /// The value when the request supplies no input (default 1: assume the worst).
    public var defaultValue: Double
}

extension RiskModel {
    /// The factors a request feeds with `--risk NAME=VALUE`: those read from a table or a
    /// scale. `environment` comes from the request's environment and an off-hours factor from
    /// the time, so neither is an input.
    public var inputFactors: [RiskFactor] {
        factors.filter { factor in
            if factor.name == "environment" { return false }
            if case .offHours = factor.mapping { return false }
            return true
        }
    }

    /// Why `inputs` are not what this model reads, or nil when every one is a known input with
    /// a value its factor knows. An unknown name (a typo such as `blast_raduis`) or an unknown
    /// value (`rollback_available=maybe`) would otherwise score as if not supplied, silently.
    ///
    /// Applied before the rules (by `Approvals`), never by `Decider`: an older ledger whose
    /// requests carry such inputs must still replay.
    public func inputProblem(_ inputs: [String: String]) -> String? {
        let known = inputFactors
        for (name, value) in inputs.sorted(by: { $0.key < $1.key }) {
            guard let factor = known.first(where: { $0.name == name }) else {
                let printable = Identifier.printable(name, limit: 40)
                let fed = factors.first { $0.name == name }.map { factor -> String in
                    if factor.name == "environment" { return " (it comes from --env)" }
                    return " (it comes from the time the request is opened)"
                } ?? ""
                return "'\(printable)' is not a risk input of this policy\(fed); \(acceptedInputs)"
            }
            guard factor.accepts(value) else {
                return "\(name)=\(Identifier.printable(value, limit: 40)) is not a value the risk model knows; \(name) takes \(factor.acceptedValues)"
            }
        }
        return nil
    }

    /// The inputs a request may give and the values each takes, for error messages.
    public var acceptedInputs: String {
        let known = inputFactors
        guard !known.isEmpty else { return "this policy's risk model takes no inputs: leave --risk out" }
        return "known inputs: " + known.map { "\($0.name) (\($0.acceptedValues))" }.joined(separator: ", ")
    }
}

extension RiskFactor {
    /// True when `value` is one this factor maps: a listed value of a table, a finite decimal
    /// number for a scale.
    public func accepts(_ value: String) -> Bool {
        switch mapping {
        case .table(let table): return table[value] != nil
        case .scale: return Self.decimal(value) != nil
        case .offHours: return false
        }
    }

    /// The values this factor takes, in words: "one of no, yes" or "a number; 100 or more is the worst".
    public var acceptedValues: String {
        switch mapping {
        case .table(let table): return "one of " + table.keys.sorted().joined(separator: ", ")
        case .scale(let max): return "a number; \(ECMAScriptNumber.format(max)) or more counts fully"
        case .offHours: return "nothing: it is read from the time"
        }
    }

    /// A plain decimal number (`30`, `-1`, `2.5`, `1e3`), not hex, `inf` or `nan`, which
    /// `Double.init` would also take.
    static func decimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
              let number = Double(text), number.isFinite
        else { return nil }
        return number
    }
}
