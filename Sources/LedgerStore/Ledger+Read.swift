internal import GRDB
public import LedgerCrypto
public import LedgerFormat

extension Ledger {
    /// The latest event.
    public func head() async throws -> LedgerHead {
        let ledgerID = self.ledgerID
        return try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard let head = try Appender(storage: SQLiteAppendStorage(db: db), configuration: LedgerConfiguration()).head() else {
                    throw LedgerError(.notALedger, "the ledger has no events")
                }
                return LedgerHead(ledgerID: ledgerID, size: head.seq, hash: head.hash, time: head.time)
            }
        }
    }

    /// Events with `seq >= from`, in order, at most `limit` of them.
    public func events(from: Int64 = 1, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await fetch(StoredEvent.selection + " AND e.seq >= ? ORDER BY e.seq LIMIT ?", [from, limit])
    }

    /// The rows with `seq >= from`, in order, at most `limit`, exactly as stored and unchecked
    /// (what `ledger copy` carries to another backend).
    public func storedRows(from: Int64, limit: Int) async throws -> [StoredEvent] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Row.fetchAll(db, sql: StoredEvent.selection + " AND e.seq >= ? ORDER BY e.seq LIMIT ?", arguments: [from, limit]).map(StoredEvent.init(row:))
            }
        }
    }

    /// The events of one stream, in stream-version order, from `fromVersion`.
    public func events(stream: String, fromVersion: Int64 = 1, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await fetch(
            StoredEvent.selection + " AND e.stream = ? AND e.stream_version >= ? ORDER BY e.stream_version LIMIT ?",
            [stream, fromVersion, limit])
    }

    /// Every key ever registered, with its revocation if any, in registration order: as the
    /// ledger's signed key events establish them, never as the `keys` table says.
    public func keys() async throws -> [KeyRecord] {
        let signedKeys = self.signedKeys
        return try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                let head = try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(seq), 0) FROM events WHERE seq >= 1") ?? 0
                return try signedKeys.timeline(storage: SQLiteAppendStorage(db: db), through: head).entries.values.map(KeyRecord.init).sorted { $0.registeredSeq < $1.registeredSeq }
            }
        }
    }

    /// The key `id` as the ledger's signed key events establish it now, if registered.
    public func key(_ id: KeyID) async throws -> KeyRecord? {
        let signedKeys = self.signedKeys
        return try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                let head = try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(seq), 0) FROM events WHERE seq >= 1") ?? 0
                return try signedKeys.timeline(storage: SQLiteAppendStorage(db: db), through: head).entries[id].map(KeyRecord.init)
            }
        }
    }

    /// Calls `body` with every stored row in seq order, in batches of up to `batchSize`, all
    /// from one read snapshot, so a concurrent append is either wholly seen or not at all.
    /// Memory stays bounded by the batch size, whatever the ledger's length. `body` also gets
    /// point reads into the same snapshot.
    /// `before` and `after` run in the same snapshot before the first batch and after the last.
    public func scan(
        from: Int64 = 1, batchSize: Int = 4096, before: ((LedgerSnapshot) throws -> Void)? = nil,
        after: ((LedgerSnapshot) throws -> Void)? = nil, _ body: ([StoredEvent], LedgerSnapshot) throws -> Void
    ) throws {
        try StorageErrors.mapping(path: path) {
            try database.read { db in
                let snapshot = LedgerSnapshot(db: db, path: path)
                try before?(snapshot)
                let cursor = try Row.fetchCursor(db, sql: StoredEvent.selection + " AND e.seq >= ? ORDER BY e.seq", arguments: [max(from, 1)])
                var batch: [StoredEvent] = []
                batch.reserveCapacity(batchSize)
                while let row = try cursor.next() {
                    batch.append(StoredEvent(row: row))
                    if batch.count == batchSize {
                        try body(batch, snapshot)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try body(batch, snapshot) }
                try after?(snapshot)
            }
        }
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments) async throws -> [RecordedEvent] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { try StoredEvent(row: $0).recordedEvent() }
            }
        }
    }
}
