internal import Foundation
internal import GRDB

/// The one funnel that turns SQLite failures into `LedgerError`s that say what to do, keeping
/// SQLite's own message (`sqlite3_errmsg`) in the sentence.
enum StorageErrors {
    static func mapping<T>(path: String, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw map(error, path: path) }
    }

    static func mapping<T>(path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw map(error, path: path) }
    }

    static func map(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let sqlite = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LedgerError(.locked, "'\(path)' stayed locked by another writer beyond the busy timeout (SQLite: \(sqlite)). Retry, or raise --busy-timeout.")
        case .SQLITE_FULL:
            return LedgerError(.diskFull, "the disk holding '\(path)' is full (SQLite: \(sqlite)); nothing was written. Free space and retry.")
        case .SQLITE_READONLY:
            return LedgerError(.readOnly, "'\(path)' is read-only (SQLite: \(sqlite)); nothing was written. Check its permissions and those of its directory.")
        case .SQLITE_NOTADB:
            return LedgerError(.notALedger, "'\(path)' is not a ledger file (SQLite: \(sqlite)).")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return LedgerError(.storage, "cannot open '\(path)' (SQLite: \(sqlite)). Check the path and its permissions.")
        case .SQLITE_CORRUPT:
            return LedgerError(.storage, "'\(path)' is damaged (SQLite: \(sqlite)). Run `ledger verify` and restore from a copy.")
        default:
            return LedgerError(.storage, "storage error on '\(path)' (SQLite: \(sqlite)).")
        }
    }

    /// True when the file starts with SQLite's 16-byte header, so opening it cannot turn some
    /// unrelated file into a database.
    static func hasSQLiteHeader(path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LedgerError(.storage, "cannot read '\(path)'. Check its permissions.")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }
}
