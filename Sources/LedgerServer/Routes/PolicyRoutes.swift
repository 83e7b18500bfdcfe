import ApprovalLedger
import Hummingbird

/// `/v1/policy/simulate` and `/v1/policy/explain`: the policy simulator over HTTP, answering
/// exactly what `ledger policy simulate` and `ledger policy explain` print with
/// `--format json`. Both only read (POST carries the draft, which is too long for a query):
/// they need credentials as every read does, and no capability.
struct PolicyRoutes: Sendable {
    let environment: ServerEnvironment

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/v1/policy/simulate", simulate)
        routes.add(.post, "/v1/policy/explain", explain)
    }

    @Sendable func simulate(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.read(request, allowed: ["policy", "since", "until", "environment", "action", "now"])
        let (draft, query) = try Self.simulation(body.fields)
        return JSONResponse.make(try await environment.approvals.simulate(draft, query: query).jsonValue)
    }

    @Sendable func explain(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await JSONBody.read(request, allowed: ["action", "environment", "resource", "riskInputs", "policy", "at"])
        let (opened, draft, at) = try Self.explanation(body.fields)
        return JSONResponse.make(try await environment.approvals.explain(opened, policy: draft, at: at).jsonValue)
    }

    // The bodies are read in plain functions, outside the async handlers: Swift 6.3's release
    // optimizer crashed splitting `explain`'s coroutine when this code was inline in it.

    /// The draft and the window of a simulate body.
    static func simulation(_ fields: FieldReader) throws -> (Policy, MetricsQuery) {
        let draft = try policy(fields.require("policy"))
        let clock = SystemClock.now()
        let now = try time(fields, "now", before: clock) ?? clock
        let since = try time(fields, "since", before: now) ?? now.adding(milliseconds: -30 * 86_400_000)
        let until = try time(fields, "until", before: now)
        if let until, since >= until {
            throw FormatError(.invalidField, "the request body field \"since\" (\(since)) must be before \"until\" (\(until))")
        }
        let query = MetricsQuery(
            now: now, since: since, until: until, environment: try fields.optionalString("environment"), action: try fields.optionalString("action"))
        return (draft, query)
    }

    /// The request, the draft (nil: the policy in force) and the time of an explain body.
    static func explanation(_ fields: FieldReader) throws -> (OpenRequest, Policy?, Timestamp) {
        var inputs: [String: String] = [:]
        if let value = fields.object["riskInputs"] {
            guard case .object(let object) = value else { throw RequestRoutes.invalidField("riskInputs", "an object of strings") }
            for key in object.keys {
                guard let text = object[key]?.stringValue else { throw RequestRoutes.invalidField("riskInputs", "an object of strings") }
                inputs[key] = text
            }
        }
        let opened = OpenRequest(
            requestID: "explain", action: try fields.string("action"), resource: try fields.string("resource"),
            environment: try fields.string("environment"), summary: "", riskInputs: inputs)
        let draft = try fields.object["policy"].map(policy)
        let clock = SystemClock.now()
        return (opened, draft, try time(fields, "at", before: clock) ?? clock)
    }

    /// A draft as YAML text (a policy file's content) or as the same document in JSON.
    static func policy(_ value: JSONValue) throws -> Policy {
        switch value {
        case .string(let yaml): return try Policy(yaml: Array(yaml.utf8))
        case .object: return try Policy(json: value)
        default: throw RequestRoutes.invalidField("policy", "the draft policy: YAML text, or the same document as a JSON object")
        }
    }

    /// A time member as the CLI takes it: 2026-11-21T18:00:00.000Z, a date, or a duration
    /// before `reference` (30d, 24h).
    static func time(_ fields: FieldReader, _ name: String, before reference: Timestamp) throws -> Timestamp? {
        guard let text = try fields.optionalString(name) else { return nil }
        if let time = Timestamp(text) { return time }
        if text.count == 10, let time = Timestamp(text + "T00:00:00.000Z") { return time }
        if let milliseconds = DurationText.milliseconds(text) { return reference.adding(milliseconds: -milliseconds) }
        throw RequestRoutes.invalidField(name, "a time (2026-11-21T18:00:00.000Z), a date (2026-11-21) or a duration before now (24h, 30d)")
    }
}
