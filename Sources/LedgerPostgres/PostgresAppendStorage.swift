internal import Foundation
internal import LedgerCrypto
internal import LedgerDomain
internal import LedgerFormat
internal import LedgerStore
internal import PostgresNIO

/// `AppendStorage` on one PostgreSQL connection, inside the write transaction that holds the
/// append lock (`PostgresLedger.writeTransaction`). The append rules are synchronous, so each
/// statement blocks the calling thread until the server answers; the answer arrives on the
/// connection's event loop, never the caller's thread. A session that ends mid-transaction
/// fails every later statement with `LedgerError.storage`, and the server rolls it all back.
///
/// Rows written are sent in multi-row statements: events, payloads and tree nodes wait in
/// memory until `flushLimit` of them, the next read, or `flush()` before the commit. A round
/// trip per row would bound a batch append by the network's latency, not by signing.
final class PostgresAppendStorage: AppendStorage {
    private let connection: PostgresConnection
    private let location: PostgresLocation
    private let logger: Logger
    private var pendingEvents: [RecordedEvent] = []
    private var pendingNodes: [(position: Int64, hash: SHA256Digest)] = []
    /// Rows per statement: 256 events bind 3,328 parameters, far below PostgreSQL's 65,535.
    private static let flushLimit = 256

    init(connection: PostgresConnection, location: PostgresLocation, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    func headRow() throws -> HeadRow? {
        try query("SELECT seq, hash, time FROM events WHERE seq >= 1 ORDER BY seq DESC LIMIT 1").first.map { row in
            let (seq, hash, time) = try row.decode((Int64, Data, String).self)
            return HeadRow(seq: seq, hash: [UInt8](hash), time: time)
        }
    }

    func streamVersion(_ stream: String) throws -> Int64? {
        try query("SELECT max(stream_version) FROM events WHERE seq >= 1 AND stream = $1", [.text(stream)]).first?.decode(Int64?.self) ?? nil
    }

    func event(seq: Int64) throws -> StoredEvent? {
        try events(" WHERE e.seq >= 1 AND e.seq = $1", [.integer(seq)]).first
    }

    func event(idempotencyKey key: String) throws -> StoredEvent? {
        try events(" WHERE e.seq >= 1 AND e.idempotency_key = $1", [.text(key)]).first
    }

    func events(stream: String) throws -> [StoredEvent] {
        try events(" WHERE e.seq >= 1 AND e.stream = $1 ORDER BY e.stream_version", [.text(stream)])
    }

    func lastSeq(stream: String) throws -> Int64? {
        try query("SELECT seq FROM events WHERE seq >= 1 AND stream = $1 ORDER BY stream_version DESC LIMIT 1", [.text(stream)])
            .first?.decode(Int64.self)
    }

    func openingType(stream: String) throws -> String? {
        try query("SELECT type FROM events WHERE seq >= 1 AND stream = $1 AND stream_version = 1", [.text(stream)]).first?.decode(String.self)
    }

    func keyEvents(after: Int64, through: Int64) throws -> [StoredEvent] {
        // The same rule as SQLite's (`SignedKeys`): found by type or by stream.
        try events("""
             WHERE e.seq > $1 AND e.seq <= $2 AND e.seq >= 1
             AND (e.type IN ('ledger.genesis', 'key.registered', 'key.revoked') OR e.stream IN ('$ledger', '$keys'))
             ORDER BY e.seq
            """, [.integer(after), .integer(through)])
    }

    func requestEvents(stream: String) throws -> [RawRequestEvent] {
        try query("""
            SELECT e.seq, e.stream_version, e.type, e.actor, e.time, p.bytes
            FROM events e LEFT JOIN payloads p ON p.seq = e.seq
            WHERE e.seq >= 1 AND e.stream = $1 ORDER BY e.stream_version
            """, [.text(stream)]).map { row in
            let (seq, version, type, actor, time, payload) = try row.decode((Int64, Int64, String, String, String, Data?).self)
            return RawRequestEvent(seq: seq, streamVersion: version, type: type, actor: actor, time: time, payload: payload.map { [UInt8]($0) })
        }
    }

    func insert(_ event: RecordedEvent) throws {
        pendingEvents.append(event)
        if pendingEvents.count >= Self.flushLimit { try flush() }
    }

    /// Sends the rows still waiting: before any read, and before the transaction commits.
    func flush() throws {
        if !pendingEvents.isEmpty {
            let events = pendingEvents
            pendingEvents.removeAll(keepingCapacity: true)
            try send(
                "INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time, idempotency_key, correlation_id, envelope, signature) VALUES "
                    + Self.tuples(rows: events.count, columns: 13),
                events.flatMap { event -> [ProjectionValue] in
                    let e = event.envelope
                    return [
                        .integer(e.seq), .blob(event.hash.bytes), .blob(e.previousHash.bytes), .text(e.stream), .integer(e.streamVersion),
                        .text(e.type), .text(e.actor), .text(e.keyID.rawValue), .text(e.time.description),
                        e.idempotencyKey.map(ProjectionValue.text) ?? .null, e.correlationID.map(ProjectionValue.text) ?? .null,
                        .blob(event.envelopeBytes), .blob(event.signature),
                    ]
                })
            let payloads = events.compactMap { event in event.payloadBytes.map { (event.envelope.seq, $0) } }
            if !payloads.isEmpty {
                try send(
                    "INSERT INTO payloads (seq, bytes) VALUES " + Self.tuples(rows: payloads.count, columns: 2),
                    payloads.flatMap { [ProjectionValue.integer($0.0), .blob($0.1)] })
            }
        }
        if !pendingNodes.isEmpty {
            let nodes = pendingNodes
            pendingNodes.removeAll(keepingCapacity: true)
            try send(
                "INSERT INTO merkle_nodes (pos, hash) VALUES " + Self.tuples(rows: nodes.count, columns: 2),
                nodes.flatMap { [ProjectionValue.integer($0.position), .blob($0.hash.bytes)] })
        }
    }

    /// `($1, $2), ($3, $4), …`: `rows` tuples of `columns` parameters.
    static func tuples(rows: Int, columns: Int) -> String {
        (0..<rows).map { row in "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
    }

    func insertLedgerInfo(ledgerID: String, formatVersion: Int64) throws {
        try execute("INSERT INTO ledger_info (singleton, ledger_id, format_version) VALUES (1, $1, $2)", [.text(ledgerID), .integer(formatVersion)])
    }

    func insertKey(_ registration: KeyRegistration, seq: Int64) throws {
        let capabilities = KeyRegistration.capabilitiesColumn(registration.capabilities)
        try execute(
            "INSERT INTO keys (key_id, identity, public_key, capabilities, registered_seq) VALUES ($1, $2, $3, $4, $5)",
            [.text(registration.keyID.rawValue), .text(registration.identity), .blob(registration.publicKey.rawRepresentation), .text(capabilities), .integer(seq)])
    }

    func revokeKey(_ keyID: KeyID, seq: Int64) throws {
        try execute("UPDATE keys SET revoked_seq = $1 WHERE key_id = $2", [.integer(seq), .text(keyID.rawValue)])
    }

    func deleteProjection(requestID: String) throws {
        // One statement, one round trip, for the five tables: data-modifying WITH clauses.
        try execute(Self.deleteProjectionSQL, [.text(requestID)])
    }

    private static let deleteProjectionSQL: String = {
        let tables = ProjectionValues.tables.map(\.name)
        let clauses = tables.dropLast().enumerated().map { "d\($0) AS (DELETE FROM \($1) WHERE request_id = $1)" }
        return "WITH " + clauses.joined(separator: ", ") + " DELETE FROM \(tables.last!) WHERE request_id = $1"
    }()

    func insertProjection(_ projection: RequestProjection) throws {
        for (table, rows) in zip(ProjectionValues.tables, ProjectionValues.plainRows(projection)) where !rows.isEmpty {
            var number = 0
            let tuples = rows.map { row in
                "(" + row.map { _ in number += 1; return "$\(number)" }.joined(separator: ", ") + ")"
            }
            try execute(
                "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))", rows.flatMap { $0 })
        }
    }

    func pendingRequestIDs(action: String, resource: String, environment: String, requester: String, summary: String) throws -> [String] {
        try query("""
            SELECT request_id FROM requests WHERE status = 'pending' AND action = $1 AND resource = $2 AND environment = $3
            AND requester = $4 AND summary = $5 ORDER BY opened_seq
            """, [.text(action), .text(resource), .text(environment), .text(requester), .text(summary)]).map { try $0.decode(String.self) }
    }

    func requestIDs(status statuses: [String]) throws -> [String] {
        let marks = statuses.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        return try query("SELECT request_id FROM requests WHERE status IN (\(marks)) ORDER BY opened_seq", statuses.map(ProjectionValue.text))
            .map { try $0.decode(String.self) }
    }

    func treeNodeCount() throws -> Int64 {
        try query("SELECT COALESCE(max(pos) + 1, 0)::bigint FROM merkle_nodes").first?.decode(Int64.self) ?? 0
    }

    func treeNode(position: Int64) throws -> [UInt8]? {
        try query("SELECT hash FROM merkle_nodes WHERE pos = $1", [.integer(position)]).first.map { [UInt8](try $0.decode(Data.self)) }
    }

    func eventHash(seq: Int64) throws -> [UInt8]? {
        try query("SELECT hash FROM events WHERE seq = $1", [.integer(seq)]).first.map { [UInt8](try $0.decode(Data.self)) }
    }

    func insertTreeNode(position: Int64, hash: SHA256Digest) throws {
        pendingNodes.append((position, hash))
        if pendingNodes.count >= Self.flushLimit { try flush() }
    }

    /// The tree of events copied in without it (`ledger copy`), written on the first append
    /// after: every leaf read once, in seq order, and the nodes inserted 500 to a statement.
    func fillTree(events: Int64) throws {
        var frontier = MerkleFrontier()
        var position: Int64 = 0
        var pending: [ProjectionValue] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            let tuples = stride(from: 1, to: pending.count, by: 2).map { "($\($0), $\($0 + 1))" }.joined(separator: ", ")
            try execute("INSERT INTO merkle_nodes (pos, hash) VALUES \(tuples) ON CONFLICT (pos) DO NOTHING", pending)
            pending.removeAll(keepingCapacity: true)
        }
        for row in try query("SELECT hash FROM events WHERE seq BETWEEN 1 AND $1 ORDER BY seq", [.integer(events)]) {
            for node in frontier.append(MerkleTree.leafHash([UInt8](try row.decode(Data.self)))) {
                pending += [.integer(position), .blob(node.hash.bytes)]
                position += 1
                if pending.count >= 1000 { try flush() }
            }
        }
        try flush()
    }

    // MARK: Statements

    private func events(_ condition: String, _ values: [ProjectionValue]) throws -> [StoredEvent] {
        try query(PostgresLedger.selection + condition, values).map(PostgresLedger.storedEvent)
    }

    private func execute(_ sql: String, _ values: [ProjectionValue]) throws {
        _ = try query(sql, values)
    }

    /// The rows of one statement, after the rows waiting to be written.
    private func query(_ sql: String, _ values: [ProjectionValue] = []) throws -> [PostgresRow] {
        try flush()
        return try send(sql, values)
    }

    /// One statement as it is; a `LedgerError` for whatever the server or the session did.
    @discardableResult
    private func send(_ sql: String, _ values: [ProjectionValue]) throws -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(integer)
            case .real(let real): bindings.append(real)
            case .text(let text): bindings.append(text)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        do {
            return try connection.queryOrLostFuture(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait().rows
        } catch {
            throw PostgresErrors.ledgerError(error, location: location)
        }
    }
}

extension PostgresAppendStorage {
    /// The ledger's id from `ledger_info`; nil before the genesis.
    func ledgerID() throws -> String? {
        try query("SELECT ledger_id FROM ledger_info WHERE singleton = 1").first?.decode(String.self)
    }

    /// Request projection rows, newest first, optionally only with the given statuses.
    func requestRows(status statuses: [String], limit: Int) throws -> [RequestRow] {
        var sql = "SELECT \(RequestRow.columnList) FROM requests"
        if !statuses.isEmpty { sql += " WHERE status IN (" + statuses.indices.map { "$\($0 + 1)" }.joined(separator: ", ") + ")" }
        sql += " ORDER BY opened_seq DESC LIMIT \(max(0, limit))"
        return try query(sql, statuses.map(ProjectionValue.text)).map { row in
            let cells = row.makeRandomAccess()
            func text(_ index: Int) throws -> String { try cells[index].decode(String.self) }
            func optional(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
            func integer(_ index: Int) throws -> Int64 { try cells[index].decode(Int64.self) }
            let approvers: [String] = if case .array(let values)? = try? JSONParser.parse(Array(try text(17).utf8)) {
                values.compactMap { if case .string(let name) = $0 { name } else { nil } }
            } else { [] }
            return RequestRow(
                requestID: try text(0), status: try text(1), action: try text(2), resource: try text(3), environment: try text(4),
                requester: try text(5), summary: try text(6), riskScore: Int(try integer(7)), riskLevel: try text(8), rule: try text(9),
                policyVersion: try integer(10), openedSeq: try integer(11), openedAt: try text(12), deadline: try text(13),
                decidedAt: try optional(14), lastSeq: try integer(15), version: try integer(16), approvers: approvers,
                rejectedAttempts: Int(try integer(18)), escalations: Int(try integer(19)), executions: Int(try integer(20)),
                lastOutcome: try optional(21), rolledBackAt: try optional(22), recoveredAt: try optional(23), grantExpiresAt: try optional(24),
                reviewDeadline: try optional(25), reviewClosedAt: try optional(26))
        }
    }
}
