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
            return LedgerError(
                .diskFull,
                "'\(path)' cannot grow: the disk is full, or the file reached its size limit (--max-file-size) (SQLite: \(sqlite)); nothing was written. Free space or raise the limit, then retry.")
        case .SQLITE_READONLY:
            return LedgerError(
                .readOnly,
                "'\(path)' is read-only (SQLite: \(sqlite)); nothing was written. Check the file's mode (a ledger with no write permission is always opened read-only), its owner and its directory.")
        case .SQLITE_NOTADB:
            return LedgerError(.notALedger, "'\(path)' is not a ledger file (SQLite: \(sqlite)).")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return LedgerError(.storage, "cannot open '\(path)' (SQLite: \(sqlite)). Check the path and its permissions.")
        case .SQLITE_CORRUPT:
            return LedgerError(
                .corrupt,
                "'\(path)' is damaged: SQLite cannot read it (\(sqlite)). Restore it from a backup, then run `ledger verify --anchor` with your latest checkpoint to prove nothing is missing.")
        default:
            return LedgerError(.storage, "storage error on '\(path)' (SQLite: \(sqlite)).")
        }
    }

    /// True when no one may write the file: no write bit in its mode at all. Root would be
    /// allowed to write it anyway; the ledger honours the mode instead.
    static func isWriteProtected(path: String) throws -> Bool {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw LedgerError(.storage, "cannot read the attributes of '\(path)': \(error.localizedDescription)")
        }
        guard let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else { return false }
        return mode & 0o222 == 0
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
