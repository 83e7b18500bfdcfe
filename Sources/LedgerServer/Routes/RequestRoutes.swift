import ApprovalLedger
import Hummingbird

/// `/v1/requests` and `/v1/bypass`: the approval workflow over the same `Approvals` the CLI
/// uses. Every write answers the request as it then stands (`RequestState.jsonValue`, as
/// `ledger request show --format json` prints it); a refusal by the rules is a 409 or 422
/// problem with the rule's code (a refused vote or execution is recorded all the same).
struct RequestRoutes: Sendable {
    let environment: ServerEnvironment
    let signing: CallerSigning

    static let openMembers: Set<String> = ["action", "resource", "environment", "summary", "links", "riskInputs", "changeDigest", "release"]

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/v1/requests", open)
        routes.add(.get, "/v1/requests", list)
        routes.add(.get, "/v1/requests/{id}", show)
        routes.add(.get, "/v1/requests/{id}/wait", wait)
        routes.add(.post, "/v1/requests/{id}/votes", vote)
        routes.add(.post, "/v1/requests/{id}/comments", comment)
        routes.add(.post, "/v1/requests/{id}/cancel", cancel)
        routes.add(.post, "/v1/requests/{id}/executions", execute)
        routes.add(.post, "/v1/requests/{id}/rollback", rollback)
        routes.add(.post, "/v1/requests/{id}/recover", recover)
        routes.add(.post, "/v1/requests/{id}/review", review)
        routes.add(.post, "/v1/bypass", bypass)
    }

    // MARK: Writes

    @Sendable func open(_ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.requireCapability(.request)
        let body = try await JSONBody.read(request, allowed: Self.openMembers.union(["id", "signed"]))
        let opened = try Self.openRequest(body.fields)
        let signer = try signing.signer(for: caller, signed: body.fields.object["signed"])
        try environment.opens.admit(caller.identity)
        let (state, existing) = try await environment.write { try await environment.approvals.openOnce(opened, signer: signer) }
        // The same requester's identical pending request: answered, not opened again.
        guard !existing else {
            var response = JSONResponse.make(state.jsonValue)
            response.headers[.location] = "/v1/requests/\(state.id)"
            return response
        }
        return created(state)
    }

    @Sendable func bypass(_ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.requireCapability(.request)
        let body = try await JSONBody.read(request, allowed: Self.openMembers.union(["id", "reason", "signed"]))
        let opened = try Self.openRequest(body.fields)
        let reason = try body.fields.string("reason")
        let signer = try signing.signer(for: caller, signed: body.fields.object["signed"])
        let state = try await environment.write { try await environment.approvals.bypass(opened, reason: reason, signer: signer) }
        return created(state)
    }

    @Sendable func vote(_ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.requireCapability(.approve)
        let id = try context.parameters.require("id")
        let body = try await JSONBody.read(request, allowed: ["decision", "reason", "requestVersion", "signed"])
        let decision = try body.fields.string("decision")
        guard decision == "approve" || decision == "deny" else { throw Self.invalidField("decision", "\"approve\" or \"deny\"") }
        let reason = try body.fields.optionalString("reason") ?? ""
        let version = try body.fields.object["requestVersion"].map { _ in try body.fields.integer("requestVersion", minimum: 1) }
        let signer = try signing.signer(for: caller, signed: body.fields.object["signed"])
        let approvals = environment.approvals
        let state = try await environment.write {
            decision == "approve"
                ? try await approvals.approve(id, reason: reason, signer: signer, requestVersion: version)
                : try await approvals.deny(id, reason: reason, signer: signer, requestVersion: version)
        }
        return JSONResponse.make(state.jsonValue)
    }

    @Sendable func comment(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await command(request, context, capability: .request, members: ["text"]) { fields, id, signer, approvals in
            try await approvals.comment(id, try fields.string("text"), signer: signer)
        }
    }

    @Sendable func cancel(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await command(request, context, capability: .request, members: ["reason"]) { fields, id, signer, approvals in
            try await approvals.cancel(id, reason: try fields.optionalString("reason") ?? "", signer: signer)
        }
    }

    @Sendable func execute(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await command(request, context, capability: .execute, members: ["outcome", "changeDigest", "detail"]) { fields, id, signer, approvals in
            let outcome = try fields.string("outcome")
            guard outcome == "succeeded" || outcome == "failed" else { throw Self.invalidField("outcome", "\"succeeded\" or \"failed\"") }
            return try await approvals.execute(
                id, succeeded: outcome == "succeeded", changeDigest: try fields.optionalString("changeDigest"), detail: try fields.optionalString("detail"),
                signer: signer)
        }
    }

    @Sendable func rollback(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await command(request, context, capability: .execute, members: ["reason"]) { fields, id, signer, approvals in
            try await approvals.rollback(id, reason: try fields.optionalString("reason") ?? "", signer: signer)
        }
    }

    @Sendable func recover(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await command(request, context, capability: .execute, members: ["detail"]) { fields, id, signer, approvals in
            try await approvals.recover(id, detail: try fields.optionalString("detail") ?? "", signer: signer)
        }
    }

    @Sendable func review(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await command(request, context, capability: .approve, members: ["outcome", "reason"]) { fields, id, signer, approvals in
            let outcome = try fields.string("outcome")
            guard outcome == "accepted" || outcome == "rejected" else { throw Self.invalidField("outcome", "\"accepted\" or \"rejected\"") }
            return try await approvals.closeReview(id, accepted: outcome == "accepted", reason: try fields.optionalString("reason") ?? "", signer: signer)
        }
    }

    /// A command on an existing request: authorize, read the body, sign, run within the
    /// write bound, answer the request's state.
    private func command(
        _ request: Request, _ context: ServerContext, capability: Capability, members: Set<String>,
        _ run: @Sendable (FieldReader, String, Signer, Approvals) async throws -> RequestState
    ) async throws -> Response {
        let caller = try context.requireCapability(capability)
        let id = try context.parameters.require("id")
        let body = try await JSONBody.read(request, allowed: members.union(["signed"]))
        let signer = try signing.signer(for: caller, signed: body.fields.object["signed"])
        let approvals = environment.approvals
        let fields = body.fields
        let state = try await environment.write { try await run(fields, id, signer, approvals) }
        return JSONResponse.make(state.jsonValue)
    }

    // MARK: Reads

    @Sendable func show(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        let id = try context.parameters.require("id")
        guard let state = try await environment.approvals.request(id) else { throw Self.notFound(id) }
        return JSONResponse.make(try await withNeeds(state))
    }

    @Sendable func list(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["status", "environment", "action", "awaiting", "limit"], repeatable: ["status"])
        let statuses = try query.all("status").flatMap { $0.split(separator: ",").map(String.init) }.map { text in
            guard let status = RequestState.Status(rawValue: text) else {
                throw QueryParameters.invalid("status", RequestState.Status.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
        let limit = Int(try query.integer("limit", in: 1...1000, default: 100))
        var rows: [RequestRow]
        if let awaiting = query.string("awaiting") {
            guard awaiting == "me" else { throw QueryParameters.invalid("awaiting", "\"me\"") }
            let caller = try context.requireAuthenticated()
            let ids = Set(try await environment.approvals.awaiting(caller.identity).map(\.state.id))
            rows = try await environment.approvals.list(status: [.pending]).filter { ids.contains($0.requestID) }
            if !statuses.isEmpty { rows = rows.filter { row in statuses.contains { $0.rawValue == row.status } } }
        } else {
            rows = try await environment.approvals.list(status: statuses, limit: 1000)
        }
        if let environmentName = query.string("environment") { rows = rows.filter { $0.environment == environmentName } }
        if let action = query.string("action") {
            let glob = Glob(action)
            rows = rows.filter { glob.matches($0.action) }
        }
        let now = SystemClock.now().description
        return JSONResponse.make(["requests": .array(rows.prefix(limit).map { $0.jsonValue(now: now) })])
    }

    /// Long-poll: answers when the request is decided, when its deadline passes undecided (no
    /// vote can grant it any more), at `timeout` (default 30 s, at most the server's bound), or
    /// when the server begins to shut down; always 200 with the request and `wait`
    /// (`decided`, `deadline-passed` or `timed-out`), like `request wait --format json`.
    @Sendable func wait(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["timeout"])
        let id = try context.parameters.require("id")
        var timeout = Duration.seconds(30)
        if let text = query.string("timeout") {
            guard let milliseconds = Self.durationMilliseconds(text) else {
                throw QueryParameters.invalid("timeout", "a duration such as 30s, 5m or a number of seconds")
            }
            timeout = .milliseconds(milliseconds)
        }
        timeout = min(timeout, environment.limits.maxWait)
        let clock = ContinuousClock()
        let giveUp = clock.now.advanced(by: timeout)
        while true {
            guard let state = try await environment.approvals.request(id) else { throw Self.notFound(id) }
            let now = SystemClock.now()
            let outcome: String? =
                if state.status.isTerminal { "decided" }
                else if now >= state.deadline { "deadline-passed" }
                else if clock.now >= giveUp || environment.draining.isSet { "timed-out" }
                else { nil }
            if let outcome {
                guard case .object(var object) = try await withNeeds(state) else { preconditionFailure("a request's JSON is an object") }
                object["wait"] = .string(outcome)
                return JSONResponse.make(.object(object))
            }
            let untilDeadline = Duration.milliseconds(max(0, state.deadline.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
            await environment.changes.wait(upTo: min(.milliseconds(500), giveUp - clock.now, untilDeadline))
        }
    }

    // MARK: Reading bodies

    static func openRequest(_ fields: FieldReader) throws -> OpenRequest {
        var inputs: [String: String] = [:]
        if let value = fields.object["riskInputs"] {
            guard case .object(let object) = value else { throw invalidField("riskInputs", "an object of strings") }
            for key in object.keys {
                guard let text = object[key]?.stringValue else { throw invalidField("riskInputs", "an object of strings") }
                inputs[key] = text
            }
        }
        let id = try fields.object["id"].map { _ in try fields.token("id") } ?? Approvals.newRequestID()
        return OpenRequest(
            requestID: id, action: try fields.string("action"), resource: try fields.string("resource"),
            environment: try fields.string("environment"), summary: try fields.string("summary"),
            links: try fields.object["links"].map { _ in try fields.stringArray("links") } ?? [],
            changeDigest: try fields.optionalString("changeDigest"), release: try fields.optionalString("release"), riskInputs: inputs)
    }

    static func invalidField(_ name: String, _ expectation: String) -> FormatError {
        FormatError(.invalidField, "the request body field \"\(name)\" must be \(expectation)")
    }

    static func notFound(_ id: String) -> LedgerError {
        LedgerError(.notFound, "no request \(Identifier.printable(id)) in this ledger; GET /v1/requests lists them", stream: id)
    }

    /// `30s`, `5m`, `2h` or a number of seconds.
    static func durationMilliseconds(_ text: String) -> Int64? {
        if let seconds = Int64(text), seconds >= 0, seconds < 1 << 40 { return seconds * 1000 }
        return DurationText.milliseconds(text)
    }

    // MARK: Answers

    private func created(_ state: RequestState) -> Response {
        var response = JSONResponse.make(state.jsonValue, status: .created)
        response.headers[.location] = "/v1/requests/\(state.id)"
        return response
    }

    /// The request's JSON with `stillNeeded` (per group, what is missing; null unless pending).
    private func withNeeds(_ state: RequestState) async throws -> JSONValue {
        guard case .object(var object) = state.jsonValue else { return state.jsonValue }
        object["stillNeeded"] = try await environment.approvals.stillNeeded(state.id)?.jsonValue ?? .null
        return .object(object)
    }
}
