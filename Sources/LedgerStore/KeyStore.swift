internal import Foundation
internal import GRDB
internal import LedgerCrypto
internal import LedgerFormat

/// Reads the key projection.
struct KeyStore {
    let db: Database

    func key(_ id: KeyID) throws -> KeyRecord? {
        try Row.fetchOne(db.cachedStatement(sql: Self.selection + " WHERE key_id = ?"), arguments: [id.rawValue]).map(Self.record)
    }

    /// `known` as the table states it now: the same registration with its revocation read
    /// again, in one indexed read of one number; nil when the table does not hold that
    /// registration (the caller then reads the whole row).
    func refreshed(_ known: KeyRecord) throws -> KeyRecord? {
        // 0 stands for "not revoked": no event has seq 0.
        let statement = try db.cachedStatement(sql: "SELECT IFNULL(revoked_seq, 0) FROM keys WHERE key_id = ? AND registered_seq = ?")
        return try Int64.fetchOne(statement, arguments: [known.keyID.rawValue, known.registeredSeq])
            .map { known.revoked(at: $0 == 0 ? nil : $0) }
    }

    func all() throws -> [KeyRecord] {
        try Row.fetchAll(db, sql: Self.selection + " ORDER BY registered_seq").map(Self.record)
    }

    private static let selection = "SELECT key_id, identity, public_key, capabilities, registered_seq, revoked_seq FROM keys"

    private static func record(_ row: Row) throws -> KeyRecord {
        let raw: Data = row[2]
        let capabilities = try JSONParser.parse(row[3] as String).arrayValue?.compactMap(\.stringValue) ?? []
        guard let keyID = KeyID(row[0]) else { throw LedgerError(.storage, "the key table holds a malformed key id") }
        return KeyRecord(
            keyID: keyID, identity: row[1], publicKey: try Ed25519PublicKey(rawRepresentation: [UInt8](raw)),
            capabilities: capabilities.map(Capability.init(rawValue:)), registeredSeq: row[4], revokedSeq: row[5])
    }
}
