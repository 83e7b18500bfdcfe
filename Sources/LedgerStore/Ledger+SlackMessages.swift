internal import GRDB

/// Where the Slack gateway posted a request's message (`Migrations/0008_slack_messages.sql`).
public struct SlackMessageRecord: Sendable, Hashable {
    public var requestID: String
    /// The Slack channel id (C…).
    public var channel: String
    /// Slack's id of the message in its channel.
    public var ts: String
    /// The request's stream version the message shows.
    public var renderedVersion: Int64
    /// True once an overdue break-glass review was reminded (it is reminded once).
    public var reviewReminded: Bool

    public init(requestID: String, channel: String, ts: String, renderedVersion: Int64, reviewReminded: Bool = false) {
        self.requestID = requestID
        self.channel = channel
        self.ts = ts
        self.renderedVersion = renderedVersion
        self.reviewReminded = reviewReminded
    }
}

/// The Slack gateway's side table: message locations and its read cursor, beside the event log,
/// never in it, so a restarted server neither reposts nor forgets a message.
extension Ledger {
    /// The message that shows `requestID`, if one was posted.
    public func slackMessage(for requestID: String) async throws -> SlackMessageRecord? {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("slack_messages") else { return nil }
                return try Row.fetchOne(db, sql: "SELECT * FROM slack_messages WHERE request_id = ?", arguments: [requestID]).flatMap(Self.slackMessage(row:))
            }
        }
    }

    /// Every message posted, in request id order.
    public func slackMessages() async throws -> [SlackMessageRecord] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("slack_messages") else { return [] }
                return try Row.fetchAll(db, sql: "SELECT * FROM slack_messages ORDER BY request_id").compactMap(Self.slackMessage(row:))
            }
        }
    }

    /// Records (or replaces) where `record.requestID`'s message is and what it shows.
    public func saveSlackMessage(_ record: SlackMessageRecord) async throws {
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO slack_messages (request_id, channel, ts, rendered_version, review_reminded) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (request_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts,
                            rendered_version = excluded.rendered_version, review_reminded = excluded.review_reminded
                        """,
                    arguments: [record.requestID, record.channel, record.ts, record.renderedVersion, record.reviewReminded ? 1 : 0])
            }
        }
    }

    /// The next seq the gateway reads; nil before it read anything.
    public func slackCursor() async throws -> Int64? {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("slack_cursor") else { return nil }
                return try Int64.fetchOne(db, sql: "SELECT next_seq FROM slack_cursor WHERE id = 1")
            }
        }
    }

    /// Moves the gateway's cursor to `nextSeq`.
    public func setSlackCursor(_ nextSeq: Int64) async throws {
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in
                try db.execute(
                    sql: "INSERT INTO slack_cursor (id, next_seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET next_seq = excluded.next_seq",
                    arguments: [nextSeq])
            }
        }
    }

    /// A row as a record; nil for a row this library could not have written (read as raw
    /// values: GRDB traps on a conversion that fails, and the file may be hostile).
    static func slackMessage(row: Row) -> SlackMessageRecord? {
        func text(_ column: String) -> String? { String.fromDatabaseValue(row[column] as DatabaseValue) }
        func integer(_ column: String) -> Int64? { Int64.fromDatabaseValue(row[column] as DatabaseValue) }
        guard let id = text("request_id"), let channel = text("channel"), let ts = text("ts"), let version = integer("rendered_version"),
              let reminded = integer("review_reminded")
        else { return nil }
        return SlackMessageRecord(requestID: id, channel: channel, ts: ts, renderedVersion: version, reviewReminded: reminded != 0)
    }
}
