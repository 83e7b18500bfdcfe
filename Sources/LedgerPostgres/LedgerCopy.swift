internal import LedgerFormat
internal import LedgerStore

/// `ledger copy SRC DST`: a ledger carried between backends (or files) row by row, every
/// column byte for byte, so every envelope and signature is the one that was signed and the
/// copy verifies exactly as the original does. Nothing is re-hashed or re-signed; nothing is
/// checked either, since the copy must be as faithful to a tampered original as to a good one:
/// `ledger verify` judges both.
public enum LedgerCopy {
    /// What a copy wrote, as read back from the destination.
    public struct Result: Sendable {
        public let ledgerID: String
        public let events: Int64
        /// The last row's hash column: equal in both, as every other column is.
        public let headHash: [UInt8]
    }

    static let pageSize = 4096

    /// Copies the ledger at `source` into `destination`, which must not hold one, then reads
    /// the destination back and compares every row with the source's.
    /// - Throws: `LedgerError.notFound`/`.notALedger` for the source, `.alreadyExists` for the
    ///   destination, storage errors of either; `.corrupt` when the read-back differs.
    public static func copy(from source: LedgerAddress, to destination: LedgerAddress) async throws -> Result {
        let reader = try await Reader.open(source)
        do {
            try await write(reader, to: destination)
            let copy = try await Reader.open(destination)
            let result: Swift.Result<Result, any Error>
            do { result = .success(try await compare(reader, with: copy)) } catch { result = .failure(error) }
            await copy.close()
            await reader.close()
            return try result.get()
        } catch {
            await reader.close()
            throw error
        }
    }

    private static func write(_ reader: Reader, to destination: LedgerAddress) async throws {
        switch destination {
        case .file(let path):
            var rows: [StoredEvent] = []
            try await reader.pages { rows += $0 }
            _ = try await Ledger.restore(at: path, ledgerID: reader.ledgerID) { insert in
                for row in rows { try insert(row) }
            }
            // The projections (requests, timings, keys) the restore leaves empty, rebuilt in
            // a durable commit that also makes the restored rows durable.
            _ = try await Ledger.open(at: path).rebuildProjections()
        case .postgres(let location):
            let target = try await PostgresLedger.open(location)
            do {
                try await target.insertCopy(ledgerID: reader.ledgerID, formatVersion: Int(EventEnvelope.formatVersion)) { insert in
                    try await reader.pages(insert)
                }
            } catch {
                await target.close()
                throw error
            }
            await target.close()
        }
    }

    private static func compare(_ source: Reader, with copy: Reader) async throws -> Result {
        var next: Int64 = 1
        var last: StoredEvent?
        while true {
            let original = try await source.page(from: next)
            let copied = try await copy.page(from: next)
            guard original == copied else {
                let seq = zip(original, copied).first { $0 != $1 }?.0.seq ?? next + Int64(min(original.count, copied.count))
                throw LedgerError(.corrupt, "the copy differs from the source at seq \(seq) when read back; remove the copy and try again", seq: seq)
            }
            guard let end = original.last else { break }
            last = end
            next = end.seq + 1
        }
        return Result(ledgerID: copy.ledgerID, events: last?.seq ?? 0, headHash: last?.hash ?? [])
    }

    /// The rows of either backend, a page at a time.
    final class Reader: Sendable {
        let ledgerID: String
        private let file: Ledger?
        private let database: PostgresLedger?

        private init(ledgerID: String, file: Ledger?, database: PostgresLedger?) {
            self.ledgerID = ledgerID
            self.file = file
            self.database = database
        }

        static func open(_ address: LedgerAddress) async throws -> Reader {
            switch address {
            case .file(let path):
                var configuration = LedgerConfiguration()
                configuration.readOnly = true
                let ledger = try await Ledger.open(at: path, configuration: configuration)
                return Reader(ledgerID: ledger.ledgerID, file: ledger, database: nil)
            case .postgres(let location):
                let database = try await PostgresLedger.open(location)
                guard let ledgerID = try await database.ledgerID() else {
                    await database.close()
                    throw LedgerError(.notALedger, "the database at \(location) holds no ledger: copy one into it with `ledger copy FILE \(location)`")
                }
                return Reader(ledgerID: ledgerID, file: nil, database: database)
            }
        }

        func page(from seq: Int64) async throws -> [StoredEvent] {
            if let file { return try await file.storedRows(from: seq, limit: LedgerCopy.pageSize) }
            return try await database!.rows(from: seq, limit: LedgerCopy.pageSize)
        }

        /// Every row, in seq order, page by page.
        func pages(_ body: ([StoredEvent]) async throws -> Void) async throws {
            var next: Int64 = 1
            while true {
                let rows = try await page(from: next)
                guard let last = rows.last else { return }
                try await body(rows)
                next = last.seq + 1
            }
        }

        func close() async { await database?.close() }
    }
}
