internal import Foundation
internal import GRDB
internal import LedgerCrypto
internal import LedgerDomain
package import LedgerFormat

/// `AppendStorage` on the writer connection of a SQLite ledger, inside its `BEGIN IMMEDIATE`
/// transaction. Every statement is cached on the connection: an append runs the same few.
final class SQLiteAppendStorage: AppendStorage {
    let db: Database

    init(db: Database) {
        self.db = db
    }

    func headRow() throws -> HeadRow? {
        let statement = try db.cachedStatement(sql: "SELECT seq, hash, time FROM events WHERE seq >= 1 ORDER BY seq DESC LIMIT 1")
        guard let row = try Row.fetchOne(statement) else { return nil }
        // A column of the wrong type reads as empty, which the appender refuses to chain onto.
        let hash = (row[1] as DatabaseValue).storage.blobBytes ?? []
        let time = String.fromDatabaseValue(row[2]) ?? ""
        return HeadRow(seq: row[0], hash: hash, time: time)
    }

    func streamVersion(_ stream: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(stream_version) FROM events WHERE seq >= 1 AND stream = ?"), arguments: [stream])
    }

    func event(seq: Int64) throws -> StoredEvent? {
        try Row.fetchOne(db.cachedStatement(sql: StoredEvent.selection + " AND e.seq = ?"), arguments: [seq]).map(StoredEvent.init(row:))
    }

    func event(idempotencyKey key: String) throws -> StoredEvent? {
        try Row.fetchOne(db.cachedStatement(sql: StoredEvent.selection + " AND e.idempotency_key = ?"), arguments: [key]).map(StoredEvent.init(row:))
    }

    func events(stream: String) throws -> [StoredEvent] {
        try Row.fetchAll(db.cachedStatement(sql: StoredEvent.selection + " AND e.stream = ? ORDER BY e.stream_version"), arguments: [stream])
            .map(StoredEvent.init(row:))
    }

    func lastSeq(stream: String) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT seq FROM events WHERE seq >= 1 AND stream = ? ORDER BY stream_version DESC LIMIT 1"), arguments: [stream])
    }

    func openingType(stream: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT type FROM events WHERE seq >= 1 AND stream = ? AND stream_version = 1"), arguments: [stream])
    }

    func keyEvents(after: Int64, through: Int64) throws -> [StoredEvent] {
        try Row.fetchAll(db.cachedStatement(sql: SignedKeys.sql), arguments: [after, through]).map(StoredEvent.init(row:))
    }

    func requestEvents(stream: String) throws -> [RawRequestEvent] {
        let statement = try db.cachedStatement(sql: RequestEventReader.selection + " AND e.stream = ? ORDER BY e.stream_version")
        var events: [RawRequestEvent] = []
        let rows = try Row.fetchCursor(statement, arguments: [stream])
        while let row = try rows.next() { events.append(RawRequestEvent(row)) }
        return events
    }

    func insert(_ event: RecordedEvent) throws {
        let e = event.envelope
        let statement = try db.cachedStatement(sql: """
            INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time,
                                idempotency_key, correlation_id, envelope, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [
            e.seq, Data(event.hash.bytes), Data(e.previousHash.bytes), e.stream, e.streamVersion, e.type, e.actor,
            e.keyID.rawValue, e.time.description, e.idempotencyKey, e.correlationID, Data(event.envelopeBytes),
            Data(event.signature),
        ])
        try db.cachedStatement(sql: "INSERT INTO payloads (seq, bytes) VALUES (?, ?)")
            .execute(arguments: [e.seq, event.payloadBytes.map { Data($0) }])
    }

    func insertLedgerInfo(ledgerID: String, formatVersion: Int64) throws {
        try db.execute(sql: "INSERT INTO ledger_info (singleton, ledger_id, format_version) VALUES (1, ?, ?)", arguments: [ledgerID, formatVersion])
    }

    func insertKey(_ registration: KeyRegistration, seq: Int64) throws {
        try db.execute(
            sql: "INSERT INTO keys (key_id, identity, public_key, capabilities, registered_seq) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                registration.keyID.rawValue, registration.identity, Data(registration.publicKey.rawRepresentation),
                KeyRegistration.capabilitiesColumn(registration.capabilities), seq,
            ])
    }

    func revokeKey(_ keyID: KeyID, seq: Int64) throws {
        try db.execute(sql: "UPDATE keys SET revoked_seq = ? WHERE key_id = ?", arguments: [seq, keyID.rawValue])
    }

    func deleteProjection(requestID: String) throws {
        try ProjectionWriter(db: db).delete(requestID: requestID)
    }

    func insertProjection(_ projection: RequestProjection) throws {
        try ProjectionWriter(db: db).insert(ProjectionRows([projection]))
    }

    func pendingRequestIDs(action: String, resource: String, environment: String, requester: String, summary: String) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: """
                SELECT request_id FROM requests WHERE status = 'pending' AND action = ? AND resource = ? AND environment = ?
                AND requester = ? AND summary = ? ORDER BY opened_seq
                """), arguments: [action, resource, environment, requester, summary])
    }

    func requestIDs(status statuses: [String]) throws -> [String] {
        let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
        return try String.fetchAll(
            db, sql: "SELECT request_id FROM requests WHERE status IN (\(marks)) ORDER BY opened_seq", arguments: StatementArguments(statuses))
    }

    func treeNodeCount() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT IFNULL(MAX(pos) + 1, 0) FROM merkle_nodes")) ?? 0
    }

    func treeNode(position: Int64) throws -> [UInt8]? {
        try DatabaseValue.fetchOne(db.cachedStatement(sql: "SELECT hash FROM merkle_nodes WHERE pos = ?"), arguments: [position])?.storage.blobBytes
    }

    func eventHash(seq: Int64) throws -> [UInt8]? {
        try DatabaseValue.fetchOne(db.cachedStatement(sql: "SELECT hash FROM events WHERE seq = ?"), arguments: [seq])?.storage.blobBytes
    }

    func insertTreeNode(position: Int64, hash: SHA256Digest) throws {
        try db.cachedStatement(sql: "INSERT INTO merkle_nodes (pos, hash) VALUES (?, ?)").execute(arguments: [position, Data(hash.bytes)])
    }

    func fillTree(events: Int64) throws {
        try MerkleNodes.fill(db, events: events, skippingExisting: true)
    }
}

extension DatabaseValue.Storage {
    /// The bytes of a blob; nil for any other type.
    var blobBytes: [UInt8]? {
        if case .blob(let data) = self { [UInt8](data) } else { nil }
    }
}

extension KeyRegistration {
    /// The `capabilities` column of the key projection: a canonical JSON array of names.
    package static func capabilitiesColumn(_ capabilities: [Capability]) -> String {
        String(decoding: CanonicalJSON.encode(.array(capabilities.map { .string($0.rawValue) })), as: UTF8.self)
    }
}
