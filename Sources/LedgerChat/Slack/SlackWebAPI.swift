public import ApprovalLedger

/// The few Web API methods the gateway calls, as JSON POSTs with the bot token, through
/// `OutboundHTTP` (one timeout, one answer bound): `chat.postMessage`, `chat.update`,
/// `chat.postEphemeral`, `views.open`, and answers to a `response_url`.
public struct SlackWebAPI: Sendable {
    let baseURL: String
    let token: String
    let http: OutboundHTTP

    public init(baseURL: String, token: String, http: OutboundHTTP = OutboundHTTP()) {
        self.baseURL = baseURL
        self.token = token
        self.http = http
    }

    /// Posts `message` (`text` and `blocks`) to `channel`.
    /// - Returns: the channel id and the message's `ts`, Slack's id for it.
    public func postMessage(channel: String, message: JSONValue, threadTs: String? = nil) async throws -> (channel: String, ts: String) {
        var body = message.objectValue ?? JSONObject()
        body["channel"] = .string(channel)
        if let threadTs { body["thread_ts"] = .string(threadTs) }
        let answer = try await call("chat.postMessage", .object(body))
        guard let ts = answer["ts"]?.stringValue else { throw SlackAPIError(method: "chat.postMessage", error: "no ts in the answer") }
        return (answer["channel"]?.stringValue ?? channel, ts)
    }

    /// Replaces the message `ts` in `channel` with `message`.
    public func update(channel: String, ts: String, message: JSONValue) async throws {
        var body = message.objectValue ?? JSONObject()
        body["channel"] = .string(channel)
        body["ts"] = .string(ts)
        _ = try await call("chat.update", .object(body))
    }

    /// Shows `text` to `user` alone in `channel`.
    public func postEphemeral(channel: String, user: String, text: String) async throws {
        _ = try await call("chat.postEphemeral", ["channel": .string(channel), "user": .string(user), "text": .string(text)])
    }

    /// Opens `view` for the user whose interaction gave `triggerID` (valid for 3 s).
    public func openView(triggerID: String, view: JSONValue) async throws {
        _ = try await call("views.open", ["trigger_id": .string(triggerID), "view": view])
    }

    /// Answers the user through an interaction's `response_url`, visible to them alone.
    public func respond(to responseURL: String, text: String) async throws {
        let body = CanonicalJSON.encode(["response_type": "ephemeral", "replace_original": false, "text": .string(text)])
        let answer = try await unreachable("response_url") {
            try await http.post(responseURL, headers: [(name: "Content-Type", value: "application/json; charset=utf-8")], body: body)
        }
        guard (200..<300).contains(answer.status) else { throw SlackAPIError(method: "response_url", error: "http-\(answer.status)") }
    }

    /// Calls `method` with the JSON `body`; Slack answers 200 with `ok` false for its refusals.
    /// - Throws: `SlackAPIError` with Slack's `error`, the HTTP status, or `unreachable`.
    func call(_ method: String, _ body: JSONValue) async throws -> JSONValue {
        let answer = try await unreachable(method) {
            try await http.post(
                baseURL + method,
                headers: [(name: "Content-Type", value: "application/json; charset=utf-8"), (name: "Authorization", value: "Bearer \(token)")],
                body: CanonicalJSON.encode(body))
        }
        if answer.status == 429 { throw SlackAPIError(method: method, error: "ratelimited", retryAfter: answer.header("Retry-After").flatMap { Int($0) } ?? 1) }
        guard (200..<300).contains(answer.status) else { throw SlackAPIError(method: method, error: "http-\(answer.status)") }
        guard let json = try? JSONParser.parse(answer.body) else { throw SlackAPIError(method: method, error: "the answer is not JSON") }
        guard json["ok"]?.boolValue == true else { throw SlackAPIError(method: method, error: json["error"]?.stringValue ?? "ok is not true") }
        return json
    }

    private func unreachable(_ method: String, _ body: () async throws -> OutboundHTTP.Answer) async throws -> OutboundHTTP.Answer {
        do { return try await body() } catch let error as SlackAPIError { throw error } catch is CancellationError { throw CancellationError() } catch {
            throw SlackAPIError(method: method, error: "unreachable (\(error))")
        }
    }
}
