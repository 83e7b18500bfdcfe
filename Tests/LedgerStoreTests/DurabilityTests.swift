import ApprovalLedger
import GRDB
@testable import LedgerStore
import TestSupport
import Testing

@Suite("Durability: the synchronous setting appends commit with")
struct DurabilityTests {
    /// SQLite's `PRAGMA synchronous` on the connection that appends: 2 is FULL, 1 NORMAL.
    static func writerSynchronous(_ ledger: Ledger) async throws -> Int? {
        try await ledger.database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    @Test("FULL by default and NORMAL on request, on create and on open (opening a pool must not reset it)")
    func appendsUseTheConfiguredDurability() async throws {
        for (durability, expected) in [(LedgerConfiguration.Durability.full, 2), (.normal, 1)] {
            let directory = try TemporaryDirectory()
            var configuration = LedgerConfiguration()
            configuration.durability = durability
            let root = Signer(identity: "root", key: try Ed25519PrivateKey())
            let created = try await Ledger.create(at: directory.file("d.ledger"), root: root, configuration: configuration)
            #expect(try await Self.writerSynchronous(created) == expected)
            let opened = try await Ledger.open(at: directory.file("d.ledger"), configuration: configuration)
            #expect(try await Self.writerSynchronous(opened) == expected)
        }
        let directory = try TemporaryDirectory()
        let ledger = try await Ledger.create(at: directory.file("default.ledger"), root: Signer(identity: "root", key: try Ed25519PrivateKey()))
        #expect(try await Self.writerSynchronous(ledger) == 2)
    }
}
