import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// `Ledger.restore` writes rows byte for byte (`ledger copy` into a file), so the same `Verifier` judges them.
@Suite("Ledger.restore")
struct LedgerRestoreTests {
    /// Every row of `fixture`, as `scan` reads them.
    static func rows(_ ledger: Ledger) throws -> [StoredEvent] {
        var rows: [StoredEvent] = []
        try ledger.scan { batch, _ in rows += batch }
        return rows
    }

    static func copy(_ row: StoredEvent, payload: [UInt8]?? = nil, hash: [UInt8]? = nil) -> StoredEvent {
        StoredEvent(
            seq: row.seq, hash: hash ?? row.hash, envelopeBytes: row.envelopeBytes, signature: row.signature,
            payloadBytes: payload ?? row.payloadBytes, envelope: try? EventEnvelope(canonicalBytes: row.envelopeBytes))
    }

    @Test("A restored copy verifies exactly like the original")
    func restoredCopyVerifies() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(5)
        let original = try fixture.verify()
        let rows = try Self.rows(fixture.ledger)
        let copy = try await Ledger.restore(at: fixture.directory.file("copy.ledger"), ledgerID: fixture.ledger.ledgerID) { insert in
            for row in rows { try insert(Self.copy(row)) }
        }
        let report = try Verifier().verify(copy)
        #expect(report.isVerified())
        #expect(report.headHash == original.headHash)
        #expect(report.events == original.events)
        #expect(report.findings.isEmpty)
        #expect(try await copy.events(from: 1, limit: 100).map(\.envelopeBytes) == rows.map(\.envelopeBytes))
    }

    @Test("Nothing is repaired: an altered hash or payload is found by the verifier, an absent payload is a note")
    func restoredDamageIsFound() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(3)
        let rows = try Self.rows(fixture.ledger)
        let copy = try await Ledger.restore(at: fixture.directory.file("copy.ledger"), ledgerID: fixture.ledger.ledgerID) { insert in
            for row in rows {
                switch row.seq {
                case 4: try insert(Self.copy(row, hash: [UInt8](repeating: 7, count: 32)))
                case 5: try insert(Self.copy(row, payload: .some(Array(#"{"n":99}"#.utf8))))
                case 6: try insert(Self.copy(row, payload: .some(nil)))
                default: try insert(Self.copy(row))
                }
            }
        }
        let report = try Verifier().verify(copy)
        #expect(!report.isVerified())
        #expect(report.has(.hashMismatch, seq: 4))
        #expect(report.has(.payloadMismatch, seq: 5))
        #expect(report.has(.payloadMissing, seq: 6))
    }

    @Test func refusesToOverwrite() async throws {
        let fixture = try await LedgerFixture.make()
        let error = await #expect(throws: LedgerError.self) {
            _ = try await Ledger.restore(at: fixture.path, ledgerID: "x") { _ in }
        }
        #expect(error?.code == .alreadyExists)
    }
}
