import LedgerFormat
import LedgerCrypto

/// A witness's state on disk: `witness.json` (its identity) and one JSON file per log,
/// `logs/<hex SHA-256 of the origin>.json`, each replaced atomically (docs/WITNESS.md §State).
///
/// Every change to a log's file happens under that log's `flock`, so the CLI and a running
/// server can share one directory, and `compareAndSwap` is the only way a record advances.
public struct WitnessDirectory: Sendable {
    public let path: String

    /// Names a directory; nothing is read until a method is called.
    public init(path: String) {
        self.path = path
    }

    var identityPath: String { path + "/witness.json" }
    var logsPath: String { path + "/logs" }

    /// The file stem of a log's record: the origin's SHA-256 in lowercase hex, as the
    /// tlog-witness monitoring URL names it (an origin may hold any character; a hash is safe).
    public static func originHash(_ origin: String) -> String {
        SHA256.hash(Array(origin.utf8)).hex
    }

    func recordPath(_ origin: String) -> String { logsPath + "/" + Self.originHash(origin) + ".json" }
    func lockPath(_ origin: String) -> String { logsPath + "/" + Self.originHash(origin) + ".lock" }

    /// Makes `path` a witness with `identity`, creating the directory if needed.
    /// - Throws: `WitnessError.alreadyExists` when it is one already; `.io`.
    public static func create(path: String, identity: WitnessIdentity) throws(WitnessError) -> WitnessDirectory {
        let directory = WitnessDirectory(path: path)
        try StateFiles.makeDirectory(path)
        try StateFiles.makeDirectory(directory.logsPath)
        try StateFiles.withLock(path + "/witness.lock") { () throws(WitnessError) in
            guard !StateFiles.exists(directory.identityPath) else {
                throw WitnessError(.alreadyExists, "'\(path)' is a witness already (\(directory.identityPath) exists)", path: directory.identityPath)
            }
            try StateFiles.replace(directory.identityPath, with: CanonicalJSON.encode(identity.json) + [0x0A])
        }
        return directory
    }

    /// The witness's identity.
    /// - Throws: `WitnessError.notAWitness`, `.corruptState`, `.io`.
    public func identity() throws(WitnessError) -> WitnessIdentity {
        guard let bytes = try StateFiles.read(identityPath) else {
            throw WitnessError(.notAWitness, "'\(path)' is not a witness directory (no witness.json): run `ledger witness init --state \(path) --name NAME --key KEY`", path: identityPath)
        }
        do { return try WitnessIdentity(json: try Self.parse(bytes, identityPath)) } catch {
            throw WitnessError(.corruptState, "\(identityPath) is damaged: \(error.message)", path: identityPath)
        }
    }

    /// Starts trusting a log: a record at size 0 with its keys.
    /// - Throws: `WitnessError.alreadyExists` when the origin is known; `.notAWitness`, `.io`.
    public func addLog(_ log: WitnessedLog) throws(WitnessError) {
        _ = try identity()
        try StateFiles.withLock(lockPath(log.origin)) { () throws(WitnessError) in
            guard try readRecord(log.origin) == nil else {
                throw WitnessError(.alreadyExists, "the witness already trusts a log with origin '\(Identifier.printable(log.origin))'", path: recordPath(log.origin))
            }
            try StateFiles.replace(recordPath(log.origin), with: CanonicalJSON.encode(log.json) + [0x0A])
        }
    }

    /// The record for `origin`, or nil when the witness does not know the log.
    public func log(origin: String) throws(WitnessError) -> WitnessedLog? {
        try readRecord(origin)
    }

    /// Every log the witness trusts, by origin.
    public func logs() throws(WitnessError) -> [WitnessedLog] {
        var logs: [WitnessedLog] = []
        for name in try StateFiles.list(logsPath) where name.hasSuffix(".json") {
            let file = logsPath + "/" + name
            guard let bytes = try StateFiles.read(file) else { continue }
            logs.append(try decode(bytes, file))
        }
        return logs.sorted { $0.origin < $1.origin }
    }

    /// Replaces the record of `new.origin` with `new` if it still holds `expected`'s size and
    /// root, all under the log's lock: two requests advancing from one old size cannot both
    /// succeed, and a record never moves back.
    /// - Returns: nil when swapped; otherwise the record as it is now (the caller answers 409).
    /// - Throws: `WitnessError.unknownLog` when there is no record; `.io`, `.corruptState`.
    public func compareAndSwap(expected: WitnessedLog, new: WitnessedLog) throws(WitnessError) -> WitnessedLog? {
        precondition(expected.origin == new.origin, "a swap replaces one log's record")
        return try StateFiles.withLock(lockPath(new.origin)) { () throws(WitnessError) -> WitnessedLog? in
            guard let current = try readRecord(new.origin) else {
                throw WitnessError(.unknownLog, "the witness does not trust a log with origin '\(Identifier.printable(new.origin))'")
            }
            guard current.size == expected.size, current.rootHash == expected.rootHash else { return current }
            try StateFiles.replace(recordPath(new.origin), with: CanonicalJSON.encode(new.json) + [0x0A])
            return nil
        }
    }

    private func readRecord(_ origin: String) throws(WitnessError) -> WitnessedLog? {
        let file = recordPath(origin)
        guard let bytes = try StateFiles.read(file) else { return nil }
        let log = try decode(bytes, file)
        guard log.origin == origin else {
            throw WitnessError(.corruptState, "\(file) holds the log '\(Identifier.printable(log.origin))', not '\(Identifier.printable(origin))'", path: file)
        }
        return log
    }

    private func decode(_ bytes: [UInt8], _ file: String) throws(WitnessError) -> WitnessedLog {
        do { return try WitnessedLog(json: try Self.parse(bytes, file)) } catch {
            throw WitnessError(.corruptState, "\(file) is damaged: \(error.message)", path: file)
        }
    }

    private static func parse(_ bytes: [UInt8], _ file: String) throws(FormatError) -> JSONValue {
        var bytes = bytes
        if bytes.last == 0x0A { bytes.removeLast() }
        do { return try JSONParser.parse(bytes, limits: .init(maxBytes: StateFiles.maxBytes, maxDepth: 4)) } catch {
            throw FormatError(.invalidJSON, "not valid JSON (\(error))")
        }
    }
}
