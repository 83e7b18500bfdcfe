import ApprovalLedger
import ArgumentParser
import Foundation

/// The CLI's commands against `ledger serve` (`--server URL`): the same requests as the
/// local commands, sent over HTTP, printed the same way. Each runs inside `CommandRunner.run`,
/// so errors (the server's problem details, mapped back by `RemoteProblem`) print and exit
/// exactly as locally.
enum RemoteCommands {
    // MARK: Writes

    /// `request open`: opens `request` (its id chosen here, so the signed statement can name
    /// its stream) and answers the request as opened.
    static func open(_ remote: RemoteLedger, _ request: OpenRequest) async throws -> JSONValue {
        var extra = JSONObject()
        extra["id"] = .string(request.requestID)
        return try await write(remote, "/v1/requests", stream: request.requestID, .open(request), extra: extra)
    }

    /// `approve` / `deny`.
    static func vote(_ remote: RemoteLedger, id: String, approve: Bool, reason: String, requestVersion: Int64?) async throws -> JSONValue {
        // The identity is the key's, as the server finds it; the statement does not carry it.
        // A signed vote names the version it judged, so the signature covers what was
        // approved: the one given, else the request as it stands now.
        var version = requestVersion
        if version == nil { version = try await show(remote, id: id)["version"]?.integerValue }
        let vote = VoteCommand(approve: approve, reason: reason, claimedIdentity: "", requestVersion: version)
        return try await write(remote, "/v1/requests/\(escaped(id))/votes", stream: id, .vote(vote))
    }

    /// `execute`.
    static func execute(_ remote: RemoteLedger, id: String, succeeded: Bool, changeDigest: String?, detail: String?) async throws -> JSONValue {
        try await write(remote, "/v1/requests/\(escaped(id))/executions", stream: id, .execute(succeeded: succeeded, changeDigest: changeDigest, detail: detail))
    }

    /// `rollback`.
    static func rollback(_ remote: RemoteLedger, id: String, reason: String) async throws -> JSONValue {
        try await write(remote, "/v1/requests/\(escaped(id))/rollback", stream: id, .rollback(reason: reason))
    }

    /// `recover`.
    static func recover(_ remote: RemoteLedger, id: String, detail: String) async throws -> JSONValue {
        try await write(remote, "/v1/requests/\(escaped(id))/recover", stream: id, .recover(detail: detail))
    }

    /// POSTs `command`'s arguments (and `extra`) with its signed statement on `stream`.
    private static func write(
        _ remote: RemoteLedger, _ target: String, stream: String, _ command: ApprovalCommand, extra: JSONObject = JSONObject()
    ) async throws -> JSONValue {
        let body = try SignedCommand.body(ledgerID: try await remote.ledgerID(), stream: stream, command: command, key: remote.key, extra: extra)
        return try await remote.post(target, body).json()
    }

    // MARK: Reads

    /// `request show`: the request as `request show --format json` prints it (without the
    /// server's `stillNeeded`, which the local command does not print).
    static func show(_ remote: RemoteLedger, id: String) async throws -> JSONValue {
        without(["stillNeeded"], try await remote.get("/v1/requests/\(escaped(id))").json())
    }

    /// `request list`: the rows, as `request list --format json` prints them.
    static func list(_ remote: RemoteLedger, statuses: [String], limit: Int) async throws -> [JSONValue] {
        var query = statuses.map { "status=\(escaped($0))" }
        query.append("limit=\(min(max(limit, 1), 1000))")
        let answer = try await remote.get("/v1/requests?" + query.joined(separator: "&")).json()
        return answer["requests"]?.arrayValue ?? []
    }

    /// `request wait`: long-polls (30 s at a time) until the request is decided, its deadline
    /// passes, or `timeout`; then as `Approvals.awaitDecision`: the decided request, or the
    /// `deadline-passed` / `timed-out` `ApprovalError`, with the last answer in `last`.
    static func wait(_ remote: RemoteLedger, id: String, timeout: Duration, last: inout JSONValue?) async throws -> JSONValue {
        let clock = ContinuousClock()
        let giveUp = clock.now.advanced(by: timeout)
        while true {
            let remaining = max(.zero, giveUp - clock.now)
            let seconds = min(30, Int64((Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18).rounded(.up)))
            let answer = try await remote.get("/v1/requests/\(escaped(id))/wait?timeout=\(seconds)").json()
            last = answer
            switch answer["wait"]?.stringValue {
            case "decided"?:
                return without(["wait", "stillNeeded"], answer)
            case "deadline-passed"?:
                throw ApprovalError(
                    code: "deadline-passed",
                    message: "\(id) is still pending at its deadline \(answer["deadline"]?.stringValue ?? "?"): no vote can grant it any more; `ledger tick` records its timeout, and a new request can be opened",
                    requestID: id, recorded: false)
            default:
                if clock.now >= giveUp {
                    throw ApprovalError(code: "timed-out", message: "\(id) is still pending after \(timeout)", requestID: id, recorded: false)
                }
            }
        }
    }

    /// Reports a wait that ended undecided, as `reportUnsettled` does locally.
    static func reportUnsettled(_ error: ApprovalError, id: String, last: JSONValue?, format: OutputFormat) {
        switch format {
        case .json:
            var object = last?.objectValue ?? JSONObject()
            object["requestId"] = .string(id)
            if object["status"] == nil { object["status"] = .string("pending") }
            object["wait"] = .string(error.code)
            if object["stillNeeded"] == nil { object["stillNeeded"] = .null }
            Output.json(.object(object))
        case .text:
            if let needs = last?["stillNeeded"]?.objectValue { Output.error("still pending: \(TerminalText.field(RemoteText.needsSummary(needs))); deadline \(needs["deadline"]?.stringValue ?? "")") }
        }
    }

    /// `log`: events from seq `from`, at most `limit`, as JSON Lines lines (each a canonical
    /// event object, docs/FORMAT.md §JSON Lines).
    static func events(_ remote: RemoteLedger, from: Int64, limit: Int?, _ body: ([UInt8]) throws -> Void) async throws {
        var next = from
        var remaining = limit ?? .max
        while remaining > 0 {
            let page = min(remaining, 1000)
            let answer = try await remote.get("/v1/events?from=\(next)&limit=\(page)")
            let lines = answer.body.split(separator: 0x0A).map(Array.init)
            for line in lines { try body(line) }
            remaining -= lines.count
            guard lines.count == page, let last = lines.last, case .object(let event) = try JSONParser.parse(last),
                  let seq = event["seq"]?.integerValue
            else { break }
            next = seq + 1
        }
    }

    /// `metrics --format prometheus`: the server's `/metrics` text.
    static func prometheus(_ remote: RemoteLedger) async throws -> String {
        String(decoding: try await remote.get("/metrics").body, as: UTF8.self)
    }

    // MARK: Helpers

    static func without(_ members: Set<String>, _ value: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        var kept = JSONObject()
        for (key, member) in object where !members.contains(key) { kept[key] = member }
        return .object(kept)
    }

    /// A path segment percent-encoded (request ids are tokens, so this changes nothing for ids
    /// the ledger accepts, and keeps anything else from changing the path).
    static func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~:$"))) ?? segment
    }
}
