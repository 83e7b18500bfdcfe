import ApprovalLedger
import ArgumentParser
import LedgerPostgres
import Foundation

/// The options every ledger command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("ledger"), help: ArgumentHelp("The ledger file, or a postgres:// URL (default: $LEDGER_PATH).", valueName: "path"))
    var ledgerPath: String?

    @Option(name: .customLong("server"), help: ArgumentHelp("A `ledger serve` URL to work against instead of a file (default: $LEDGER_SERVER).", valueName: "url"))
    var serverURL: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Your Ed25519 private key, PEM PKCS#8 (default: $LEDGER_KEY).", valueName: "path"))
    var keyPath: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("The identity you act as (default: the identity your key is registered to).", valueName: "identity"))
    var identity: String?

    @Option(help: ArgumentHelp("Durability of appends: full (fsync every commit) or normal.", valueName: "mode"))
    var durability: String = "full"

    @Option(help: ArgumentHelp("Seconds to wait for another writer before giving up.", valueName: "seconds"))
    var busyTimeout: Double = 10

    @Option(help: ArgumentHelp("Refuse appends that would grow the ledger file beyond this many bytes, as if the disk were full.", valueName: "bytes"))
    var maxFileSize: Int64?

    /// The PostgreSQL ledger `--ledger` (or `LEDGER_PATH`) names, nil for a file.
    func postgresLocation() throws -> PostgresLocation? {
        let path = try givenLedger()
        return PostgresLocation.isURL(path) ? try PostgresLocation(url: path) : nil
    }

    private func givenLedger() throws -> String {
        guard let path = ledgerPath ?? ProcessInfo.processInfo.environment["LEDGER_PATH"], !path.isEmpty else {
            throw ValidationError("no ledger given: pass --ledger PATH or set LEDGER_PATH")
        }
        return path
    }

    func resolvedLedgerPath() throws -> String {
        let path = try givenLedger()
        if PostgresLocation.isURL(path) {
            // Before anything opens a file of that name (docs/STORAGE.md §Status).
            throw LedgerError(
                .storage,
                "this command works on a ledger file; on a PostgreSQL ledger this release runs init, append, key, request, approve, deny, execute, tick, policy publish/show, verify and copy (docs/STORAGE.md). Copy it to a file first: `ledger copy URL FILE`")
        }
        return path
    }

    func resolvedKeyPath() throws -> String {
        guard let path = keyPath ?? ProcessInfo.processInfo.environment["LEDGER_KEY"], !path.isEmpty else {
            throw ValidationError("no key given: pass --key PATH or set LEDGER_KEY")
        }
        return path
    }

    func configuration(readOnly: Bool = false) throws -> LedgerConfiguration {
        var configuration = LedgerConfiguration()
        guard let durability = LedgerConfiguration.Durability(rawValue: durability) else {
            throw ValidationError("--durability must be full or normal")
        }
        configuration.durability = durability
        guard busyTimeout >= 0, busyTimeout.isFinite else { throw ValidationError("--busy-timeout must be a number of seconds ≥ 0") }
        configuration.busyTimeoutSeconds = busyTimeout
        if let maxFileSize {
            guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be a positive number of bytes") }
            configuration.maxFileBytes = maxFileSize
        }
        configuration.readOnly = readOnly
        return configuration
    }

    func openLedger(readOnly: Bool = false) async throws -> Ledger {
        let path = try resolvedLedgerPath()
        try Self.requireRegularLedgerFiles(path)
        return try await Ledger.open(at: path, configuration: try configuration(readOnly: readOnly))
    }

    /// The ledger the workflow commands write to: the file, or the PostgreSQL database a
    /// `postgres://` URL names.
    func openWritable(readOnly: Bool = false) async throws -> any LedgerWriting {
        if let location = try postgresLocation() {
            return try await PostgresLedger.open(location, configuration: try configuration(readOnly: readOnly))
        }
        return try await openLedger(readOnly: readOnly)
    }

    /// SQLite would block forever reading a FIFO named as the ledger (or as its journal, WAL
    /// or shared-memory file), so anything there but a regular file is refused first.
    static func requireRegularLedgerFiles(_ path: String) throws {
        try InputFile.requireRegularIfPresent(path, what: "ledger")
        for suffix in ["-wal", "-shm", "-journal"] {
            try InputFile.requireRegularIfPresent(path + suffix, what: "ledger file")
        }
    }

    /// The server given with --server or LEDGER_SERVER, with the key that signs each request;
    /// nil to work on a file. --server beside --ledger is refused: which ledger is meant?
    func remote() throws -> RemoteLedger? {
        guard let url = serverURL ?? ProcessInfo.processInfo.environment["LEDGER_SERVER"], !url.isEmpty else { return nil }
        if ledgerPath != nil, serverURL != nil { throw ValidationError("give --server or --ledger, not both") }
        return try RemoteLedger(baseURL: url, key: try privateKey())
    }

    func privateKey() throws -> Ed25519PrivateKey {
        try KeyFile.readPrivateKey(atPath: try resolvedKeyPath())
    }

    /// The signer for an append: the key, and the identity given with --as or else the one the
    /// ledger has that key registered to.
    func signer(for ledger: any LedgerWriting) async throws -> Signer {
        let key = try privateKey()
        if let identity { return Signer(identity: identity, key: key) }
        let keyID = key.publicKey.keyID
        guard let record = try await ledger.keys().first(where: { $0.keyID == keyID }) else {
            throw LedgerError(.unknownKey, "key \(keyID) is not registered in this ledger; ask an admin to run `ledger key register`")
        }
        return Signer(identity: record.identity, key: key)
    }
}

/// `--format text|json`, shared by commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A `--now`-style time option.
enum TimeArgument {
    static func parse(_ text: String) throws -> Timestamp {
        guard let time = Timestamp(text) else {
            throw FormatError(.invalidField, "times look like 2026-11-21T18:00:00.000Z (UTC, milliseconds), not '\(Identifier.printable(text))'")
        }
        return time
    }

    /// A time as `parse` takes it, a UTC date (its midnight, `2026-11-21`), or a duration
    /// before `reference` (`90m`, `24h`, `7d`): the forms of a metrics window.
    static func parse(_ text: String, before reference: Timestamp) throws -> Timestamp {
        if let time = Timestamp(text) { return time }
        if text.count == 10, let time = Timestamp(text + "T00:00:00.000Z") { return time }
        if let milliseconds = DurationText.milliseconds(text) { return reference.adding(milliseconds: -milliseconds) }
        throw FormatError(
            .invalidField,
            "times look like 2026-11-21T18:00:00.000Z, a date (2026-11-21) or a duration before --now (24h, 7d), not '\(TerminalText.field(text, limit: 40))'")
    }
}
