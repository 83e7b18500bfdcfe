public import LedgerFormat

/// A request's computed risk: score 0–100, level, and each factor's contribution, recorded in
/// the request so anyone can see why it scored what it did.
public struct RiskAssessment: Sendable, Hashable {
    public struct Contribution: Sendable, Hashable {
        public var factor: String
        /// The input as supplied (or "(not supplied)").
        public var input: String
        public var value: Double
        public var weight: Double
        /// Points of the score this factor accounts for.
        public var points: Double
    }

    public var score: Int
    public var level: String
    public var contributions: [Contribution]

    /// Scores a request. `inputs` are the request's FACTOR=VALUE pairs; `environment` feeds a
    /// factor named `environment`, and `time` the off-hours factor.
    public static func assess(model: RiskModel, inputs: [String: String], environment: String, time: Timestamp) -> RiskAssessment {
        let totalWeight = model.factors.reduce(0) { $0 + $1.weight }
        var contributions: [Contribution] = []
        var sum = 0.0
        for factor in model.factors {
            let input = factor.name == "environment" ? environment : inputs[factor.name]
            let value: Double
            switch factor.mapping {
            case .table(let table):
                value = input.flatMap { table[$0] } ?? factor.defaultValue
            case .scale(let max):
                value = input.flatMap(Double.init).map { Swift.min(Swift.max($0 / max, 0), 1) } ?? factor.defaultValue
            case .offHours(let start, let end, let weekdaysOnly):
                let millisOfDay = ((time.millisecondsSinceEpoch % 86_400_000) + 86_400_000) % 86_400_000
                let hour = Int(millisOfDay / 3_600_000)
                // 1970-01-01 was a Thursday: day 0 → weekday index 4 (Mon = 1 … Sun = 7).
                let days = (time.millisecondsSinceEpoch - millisOfDay) / 86_400_000
                let weekday = Int(((days % 7) + 7 + 3) % 7) + 1
                let inHours = hour >= start && hour < end && (!weekdaysOnly || weekday <= 5)
                value = inHours ? 0 : 1
            }
            let points = totalWeight > 0 ? 100 * factor.weight * value / totalWeight : 0
            sum += points
            let shown: String
            if case .offHours = factor.mapping { shown = time.description } else { shown = input ?? "(not supplied)" }
            contributions.append(Contribution(factor: factor.name, input: shown, value: value, weight: factor.weight, points: points))
        }
        let score = Int(sum.rounded())
        return RiskAssessment(score: score, level: model.level(for: score), contributions: contributions)
    }

    public var jsonValue: JSONValue {
        [
            "score": .integer(Int64(score)),
            "level": .string(level),
            "factors": .array(contributions.map { c in
                [
                    "factor": .string(c.factor), "input": .string(c.input), "value": .number(Self.rounded(c.value)),
                    "weight": .number(c.weight), "points": .number(Self.rounded(c.points)),
                ]
            }),
        ]
    }

    /// Two decimals are plenty to explain a score, and keep the JSON short.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// The one-line explanation: "62 (high): environment=prod +40, blast_radius=80 +16".
    public var explanation: String {
        let parts = contributions.filter { $0.points > 0 }.map { "\($0.factor)=\($0.input) +\(ECMAScriptNumber.format(Self.rounded($0.points)))" }
        return "\(score) (\(level))" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }
}
