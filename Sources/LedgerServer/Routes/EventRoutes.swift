import ApprovalLedger
import HTTPTypes
import Hummingbird

/// `/v1/events`: the log read in seq order (paged JSON Lines, or followed as Server-Sent
/// Events) and the raw append of service events, as `ledger log --format json` and
/// `ledger append` do. Each event is the JSON Lines object of docs/FORMAT.md §JSON Lines
/// (`EventLine`), envelope and payload byte for byte as stored.
struct EventRoutes: Sendable {
    let environment: ServerEnvironment
    let signing: CallerSigning

    static let jsonLines = "application/jsonl"
    static let eventStream = "text/event-stream"
    static let eventMembers: Set<String> = ["type", "stream", "payload", "idempotencyKey", "correlationId", "expectedVersion", "signed"]
    /// Most events one batch may carry (the body limit usually binds first).
    static let maxBatch = 1000

    func register(_ routes: inout RouteTable) {
        routes.add(.get, "/v1/events", page)
        routes.add(.get, "/v1/events/stream", stream)
        routes.add(.post, "/v1/events", append)
    }

    /// Events from `from` (default 1), at most `limit` (default 100, at most 1000), as JSON
    /// Lines; a full page carries `Link: <…?from=N&limit=L>; rel="next"`.
    @Sendable func page(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["from", "limit"])
        let from = try query.integer("from", in: 1...Int64.max, default: 1)
        let limit = Int(try query.integer("limit", in: 1...1000, default: 100))
        let events = try await environment.ledger.events(from: from, limit: limit)
        var bytes: [UInt8] = []
        for event in events { EventLine.write(event, into: &bytes) }
        var response = JSONResponse.bytesResponse(bytes, contentType: Self.jsonLines)
        if events.count == limit, let last = events.last {
            response.headers[.link] = "</v1/events?from=\(last.envelope.seq + 1)&limit=\(limit)>; rel=\"next\""
        }
        return response
    }

    /// Server-Sent Events: every event from `from` (or after `Last-Event-ID`, so a
    /// reconnecting `EventSource` resumes where it stopped), then each new one as it is
    /// appended; `id:` is the seq, `data:` the JSON Lines object. A comment line every 15 s
    /// keeps proxies from closing an idle stream. Ends when the server shuts down.
    @Sendable func stream(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["from"])
        var from = try query.integer("from", in: 1...Int64.max, default: 1)
        if let last = request.headers[.lastEventID] {
            guard let seq = Int64(last), seq >= 0, seq < Int64.max else {
                throw Problem(status: .badRequest, code: "invalid-last-event-id", detail: "Last-Event-ID must be the seq of an event this stream sent")
            }
            from = seq + 1
        }
        // Refuse a ledger that cannot be read before answering 200.
        _ = try await environment.ledger.head()
        let environment = self.environment
        let start = from
        var headers = HTTPFields()
        headers[.contentType] = Self.eventStream
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let body = ResponseBody { writer in
            environment.metrics.streamOpened()
            defer { environment.metrics.streamClosed() }
            var next = start
            var quiet = ContinuousClock.now
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while !environment.draining.isSet {
                let events = try await environment.ledger.events(from: next, limit: 500)
                if !events.isEmpty {
                    var bytes: [UInt8] = []
                    for event in events {
                        bytes += "id: \(event.envelope.seq)\ndata: ".utf8
                        EventLine.write(event, into: &bytes)  // ends with LF
                        bytes.append(0x0A)
                    }
                    try await writer.write(ByteBuffer(bytes: bytes))
                    next = events[events.count - 1].envelope.seq + 1
                    quiet = .now
                    continue
                }
                if ContinuousClock.now - quiet >= .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quiet = .now
                }
                await environment.changes.wait(upTo: .seconds(1))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One event (`{type, stream, payload, …}`) or a batch (`{"events": [...]}`, committed in
    /// one transaction, all or nothing). Service event types only: the workflow's own
    /// namespaces are refused as `ledger append` refuses them.
    @Sendable func append(_ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.requireCapability(.append)
        let body = try await JSONBody.read(request, allowed: Self.eventMembers.union(["events"]))
        let ledger = environment.ledger
        if let batch = body.fields.object["events"] {
            try body.fields.rejectUnknown(allowed: ["events"])
            guard case .array(let items) = batch, !items.isEmpty, items.count <= Self.maxBatch else {
                throw RequestRoutes.invalidField("events", "an array of 1 to \(Self.maxBatch) events")
            }
            var drafts: [EventDraft] = []
            var signed: JSONValue?
            for (index, item) in items.enumerated() {
                let fields = try FieldReader(item, what: "events[\(index)]")
                try fields.rejectUnknown(allowed: Self.eventMembers)
                drafts.append(try Self.draft(fields))
                if let value = fields.object["signed"] { signed = value }
            }
            let signer = try signing.signer(for: caller, signed: signed)
            let events = try await environment.write { try await ledger.append(drafts, signer: signer) }
            var bytes = Array(#"{"events":["#.utf8)
            for (index, event) in events.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                var line: [UInt8] = []
                EventLine.write(event, into: &line)
                bytes += line.dropLast()
            }
            bytes += "]}\n".utf8
            return JSONResponse.bytesResponse(bytes, status: .created, contentType: JSONResponse.mediaType)
        }
        let draft = try Self.draft(body.fields)
        let signer = try signing.signer(for: caller, signed: body.fields.object["signed"])
        let event = try await environment.write { try await ledger.append(draft, signer: signer) }
        var bytes: [UInt8] = []
        EventLine.write(event, into: &bytes)
        return JSONResponse.bytesResponse(bytes, status: .created, contentType: JSONResponse.mediaType)
    }

    static func draft(_ fields: FieldReader) throws -> EventDraft {
        var expected = ExpectedVersion.any
        if let value = fields.object["expectedVersion"] {
            if value.stringValue == "none" {
                expected = .noStream
            } else if let version = value.integerValue, version >= 1 {
                expected = .exactly(version)
            } else {
                throw RequestRoutes.invalidField("expectedVersion", "a positive integer or \"none\"")
            }
        }
        let payload = try fields.require("payload")
        return EventDraft(
            type: try fields.string("type"), stream: try fields.string("stream"), payload: payload, expectedVersion: expected,
            idempotencyKey: try fields.optionalString("idempotencyKey"), correlationID: try fields.optionalString("correlationId"))
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let link = HTTPField.Name("Link")!
}
