import ApprovalLedger
import Hummingbird

/// A request's query string, read strictly like a body: only the parameters a route takes
/// (400 `unknown-parameter`), each at most once unless it repeats (400 `invalid-parameter`).
struct QueryParameters {
    let parameters: Parameters

    init(_ request: Request, allowed: Set<String>, repeatable: Set<String> = []) throws {
        parameters = request.uri.queryParameters
        var seen: Set<String> = []
        for (name, _) in parameters {
            let key = String(name)
            guard allowed.contains(key) else {
                throw Problem(status: .badRequest, code: "unknown-parameter", detail: "this route takes no query parameter '\(Identifier.printable(key, limit: 40))'; it takes \(allowed.sorted().joined(separator: ", "))")
            }
            if !seen.insert(key).inserted, !repeatable.contains(key) {
                throw Self.invalid(key, "given once")
            }
        }
    }

    func string(_ name: String) -> String? { parameters.get(name) }

    func all(_ name: String) -> [String] { parameters.getAll(name) }

    /// An integer in `range`, or `defaultValue` when absent.
    func integer(_ name: String, in range: ClosedRange<Int64>, default defaultValue: Int64) throws -> Int64 {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int64(text), range.contains(value) else { throw Self.invalid(name, "an integer from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    static func invalid(_ name: String, _ expectation: String) -> Problem {
        Problem(status: .badRequest, code: "invalid-parameter", detail: "query parameter '\(name)' must be \(expectation)")
    }
}
