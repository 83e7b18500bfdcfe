import ApprovalLedger
import Foundation
@testable import LedgerExport
import Testing

/// `BundleEvents` answers the verifier's reads from a bundle's `events.jsonl` as the ledger
/// file the bundle was exported from answers them.
@Suite("Bundle events")
struct BundleEventsTests {
    /// The columns and bytes of a row, to compare rows of two sources.
    static func columns(_ row: StoredEvent?) -> [String]? {
        guard let row else { return nil }
        return [
            "\(row.seq)", Hex.encode(row.hash), Hex.encode(row.previousHash), row.stream, "\(row.streamVersion)", row.type, row.actor,
            row.keyID, row.time, row.idempotencyKey ?? "-", row.correlationID ?? "-", Hex.encode(row.envelopeBytes),
            Hex.encode(row.signature), row.payloadBytes.map { Hex.encode($0) } ?? "-",
        ]
    }

    /// Every read the walk makes, through one view of `source`.
    static func reads(_ source: any EventSource, streams: [String], seqs: [Int64]) throws -> [[String]?] {
        try source.read { snapshot in
            var reads: [[String]?] = []
            try snapshot.scan(from: 1, through: .max, batchSize: 3) { rows in reads += rows.map(columns) }
            try snapshot.scan(from: 4, through: 6, batchSize: 100) { rows in reads += rows.map(columns) }
            for stream in streams {
                reads.append([try snapshot.firstType(stream: stream) ?? "-"])
                for seq in seqs {
                    reads += try snapshot.rows(stream: stream, before: seq).map(columns)
                    reads.append([try snapshot.lastStreamVersion(stream: stream, before: seq).map { "\($0)" } ?? "-"])
                }
            }
            for seq in seqs { reads.append(columns(try snapshot.row(seq: seq))) }
            return reads
        }
    }

    @Test("A whole ledger's bundle reads like the ledger: rows, reads by stream and seq, and no tables")
    func readsLikeTheLedger() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        var reader = EventsReader()
        let events = try reader.read(bundle + "/" + BundleExport.eventsFile) { _ in }
        let head = try await fixture.ledger.lastSeq()
        let streams = try await fixture.ledger.events(from: 1, limit: 10_000).map(\.envelope.stream) + ["no-such-stream"]
        let seqs = [0, 1, 2, head / 2, head, head + 1]
        let expected = try Self.reads(fixture.ledger, streams: Array(Set(streams)).sorted(), seqs: seqs)
        #expect(try Self.reads(events, streams: Array(Set(streams)).sorted(), seqs: seqs) == expected)
        #expect(expected.count > Int(head))
        try events.read { snapshot in
            #expect(snapshot.eventTables == nil && snapshot.storedTree == nil && snapshot.projectionTables == nil)
        }
    }

    @Test("A line changed after it was read is an error, not a finding about the bundle")
    func changedFileIsAnError() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let path = bundle + "/" + BundleExport.eventsFile
        var reader = EventsReader()
        let events = try reader.read(path) { _ in }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[0] = UInt8(ascii: "x")
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ExportError.self) {
            try events.read { snapshot in try snapshot.scan(from: 1, through: .max, batchSize: 100) { _ in } }
        }
        #expect(error?.message.contains("changed while it was being verified") == true)
    }
}
