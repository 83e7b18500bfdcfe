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
