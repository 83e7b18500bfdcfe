internal import Foundation
internal import LedgerFormat
internal import LedgerStore

/// The events of a bundle's `events.jsonl`, read where they lie: the `EventSource` the
/// bundle's ledger checks run on, so a bundle is verified by the same `Verifier` as a ledger
/// file without being copied into one.
///
/// `EventsReader` checks every line once and records here where each valid line is; the walk
/// then reads those lines again in order, and a read by stream or seq (a request the walk
/// resumes, a redaction's target) seeks to the lines it needs. Memory is this index, about 40
/// bytes per event, not the events. A bundle has no tables beside its events, so the checks
/// of a database's tables do not apply (`EventSnapshot`'s capabilities are all nil).
///
/// Not `Sendable`: reads move a file handle.
final class BundleEvents: EventSource, EventSnapshot {
    /// A valid line of the file: where it is, and the seq its row has in the walk.
    private struct Line {
        var offset: Int64
        var length: Int32
        var seq: Int64
    }

    /// A row of a stream, and the stream version its column holds.
    private struct Member {
        var line: Int32
        var streamVersion: Int64
    }

    private let path: String
    /// The valid lines, in file order; their seqs rise.
    private var lines: [Line] = []
    /// Each stream's rows, in seq order.
    private var streams: [String: [Member]] = [:]
    /// Stream version columns that are not their envelope's (`EventsReader.row`), by line.
    private var storedStreamVersions: [Int: Int64] = [:]
    /// For reads by stream or seq; the walk's own reads go through a `LineReader`.
    private var handle: FileHandle?

    init(path: String) {
        self.path = path
    }

    /// Records the row `EventsReader` made of the valid line at `offset`, of `length` bytes
    /// without its LF. Rows come in file order.
    func append(_ row: StoredEvent, offset: Int64, length: Int, storedStreamVersion: Int64?) {
        if let storedStreamVersion { storedStreamVersions[lines.count] = storedStreamVersion }
        streams[row.stream, default: []].append(Member(line: Int32(lines.count), streamVersion: row.streamVersion))
        lines.append(Line(offset: offset, length: Int32(length), seq: row.seq))
    }

    func read<T>(_ body: (any EventSnapshot) throws -> T) throws -> T {
        try body(self)
    }

    func scan(from first: Int64, through last: Int64, batchSize: Int, _ body: ([StoredEvent]) throws -> Void) throws {
        var index = firstLine(atOrAfter: first)
        guard index < lines.count, lines[index].seq <= last else { return }
        var reader = try LineReader(path: path, maxLine: EventLine.limits.maxBytes, from: lines[index].offset)
        defer { reader.close() }
        var batch: [StoredEvent] = []
        batch.reserveCapacity(batchSize)
        while index < lines.count, lines[index].seq <= last {
            // Invalid lines between valid ones are skipped: the reader reported them.
            guard let (bytes, terminated) = try reader.next(), reader.lineOffset <= lines[index].offset else { throw changed() }
            guard reader.lineOffset == lines[index].offset else { continue }
            guard terminated else { throw changed() }
            batch.append(try row(index, bytes: bytes))
            index += 1
            if batch.count == batchSize {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    // MARK: EarlierEvents

    func firstType(stream: String) throws -> String? {
        guard let first = streams[stream]?.min(by: Self.streamOrder) else { return nil }
        return try row(Int(first.line)).type
    }

    func rows(stream: String, before seq: Int64) throws -> [StoredEvent] {
        try members(stream, before: seq).sorted(by: Self.streamOrder).map { try row(Int($0.line)) }
    }

    func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64? {
        members(stream, before: seq).map(\.streamVersion).max()
    }

    func row(seq: Int64) throws -> StoredEvent? {
        let index = firstLine(atOrAfter: seq)
        guard index < lines.count, lines[index].seq == seq else { return nil }
        return try row(index)
    }

    // MARK: Reading lines

    /// In stream-version order, as a database's index on (stream, stream_version) reads them.
    private static func streamOrder(_ a: Member, _ b: Member) -> Bool {
        (a.streamVersion, a.line) < (b.streamVersion, b.line)
    }

    private func members(_ stream: String, before seq: Int64) -> ArraySlice<Member> {
        let members = streams[stream] ?? []
        return members.prefix { lines[Int($0.line)].seq < seq }
    }

    /// The index of the first valid line whose row's seq is `seq` or more.
    private func firstLine(atOrAfter seq: Int64) -> Int {
        var low = 0, high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if lines[middle].seq < seq { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The row of valid line `index`, read from the file again.
    private func row(_ index: Int) throws -> StoredEvent {
        let line = lines[index]
        if handle == nil { handle = FileHandle(forReadingAtPath: path) }
        guard let handle, (try? handle.seek(toOffset: UInt64(line.offset))) != nil,
              let data = try? handle.read(upToCount: Int(line.length))
        else { throw changed() }
        return try row(index, bytes: [UInt8](data)[...])
    }

    /// The row of valid line `index` from its bytes, which must still be the line the reader
    /// checked: the file is read again, so one changed since is an error, not a finding.
    private func row(_ index: Int, bytes: ArraySlice<UInt8>) throws -> StoredEvent {
        guard bytes.count == lines[index].length, let line = try? EventLine(line: bytes) else { throw changed() }
        return EventsReader.row(line, seq: lines[index].seq, storedStreamVersion: storedStreamVersions[index])
    }

    private func changed() -> ExportError {
        ExportError(.notABundle, "'\(path)' changed while it was being verified; verify the bundle again once nothing writes to it", path: path)
    }
}
