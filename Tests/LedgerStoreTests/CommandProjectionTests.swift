@testable import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// An approval command writes its request's projection rows from the fold it decided on,
/// without reading the stream back: the rows must still be exactly what a replay gives, when
/// something else appends to the stream and when the stored rows read differently.
@Suite("Projections: a command's rows from its own fold")
struct CommandProjectionTests {
    static func request(_ id: String) -> OpenRequest {
        OpenRequest(requestID: id, action: "deploy.promote", resource: "svc/1", environment: "prod", summary: "change", links: ["https://ci/1"])
    }

    @Test("An event appended to the stream after the command, in its transaction, is in the rows")
    func appendAfterTheCommand() async throws {
        let team = try await ProjectionRebuildTests.Team.make()
        _ = try await team.approvals.open(Self.request("req-1"), signer: team.people["alice"]!)
        let alice = team.people["alice"]!, root = team.people["root"]!
        try await team.ledger.transaction { tx in
            _ = try CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx)).apply("req-1", .comment("looked at it"), signer: alice)
            try tx.append(EventDraft(type: "deploy.note", stream: "req-1", payload: ["note": "seen"]), signer: root)
        }
        #expect(try team.ledger.checkProjections().tablesMatch)
        let row = try #require(try await team.approvals.list().first { $0.requestID == "req-1" })
        #expect(row.version == 3)
    }

    @Test("A stream whose columns disagree with its envelopes gets the rows a replay reads from them")
    func columnsThatDisagree() async throws {
        let team = try await ProjectionRebuildTests.Team.make()
        let opened = try await team.approvals.open(Self.request("req-1"), signer: team.people["alice"]!)
        // The replay reads the indexed column, the command the signed envelope.
        try SQLFile.execute(team.ledger.path, """
            DROP TRIGGER IF EXISTS events_are_immutable_update; UPDATE events SET actor = 'mallory' WHERE seq = \(opened.openedSeq)
            """)
        _ = try await team.approvals.approve("req-1", reason: "ok", signer: team.people["bob"]!)
        #expect(try team.ledger.checkProjections().tablesMatch)
        let row = try #require(try await team.approvals.list().first { $0.requestID == "req-1" })
        #expect(row.requester == "mallory" && row.status == "granted")
    }
}
