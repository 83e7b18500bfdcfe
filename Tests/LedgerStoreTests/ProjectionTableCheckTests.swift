import ApprovalLedger
import Foundation
import GRDB
import Testing

/// `ledger verify` holds the projection tables to its own replay as it walks, request by
/// request: each test edits the tables straight in the file, as someone with write access but
/// no key would, and expects the request (or the stray row) named.
@Suite("Verify holds the projection tables to its replay, request by request")
struct ProjectionTableCheckTests {
    typealias World = ConformanceTamperTests.World

    /// One request granted and executed, one denied, one still pending with a refused
    /// self-approval, one broken glass: a row in every projection table.
    static func world() async throws -> World {
        let world = try await World.make()
        _ = try await world.open("req-done", environment: "staging")
        try await world.approvals.approve("req-done", reason: "ok", signer: world.fixture.bob)
        try await world.approvals.execute("req-done", succeeded: false, signer: world.dave)
        _ = try await world.open("req-denied", environment: "staging")
        try await world.approvals.deny("req-denied", reason: "not now", signer: world.fixture.bob)
        _ = try await world.open("req-open")
        try await world.approvals.approve("req-open", reason: "ok", signer: world.fixture.bob)
        // Refused (self-approval) and recorded: an `attempts` row.
        _ = try? await world.approvals.approve("req-open", reason: "mine", signer: world.fixture.alice)
        _ = try await world.approvals.bypass(
            OpenRequest(requestID: "req-glass", action: "cache.purge", resource: "svc/api", environment: "prod", summary: "purge"),
            reason: "outage", signer: world.fixture.alice)
        return world
    }

    static func mismatches(_ report: VerificationReport) -> [Finding] {
        report.findings.filter { $0.code == .projectionMismatch }
    }

    @Test func cleanLedgerHasNoFindingsWhateverTheCacheSize() async throws {
        let world = try await Self.world()
        for size in [1, 2, 50_000] {
            var verifier = Verifier(now: TestClock.start)
            verifier.streamsInMemory = size
            let report = try verifier.verify(world.fixture.ledger)
            #expect(report.findings.isEmpty, "cache \(size): \(report.findings)")
            #expect(report.checks.contains("projections"))
        }
    }

    /// Every column of every projection table, changed on its own, is seen: none is left out of
    /// the comparison (a column a migration adds but the writer never fills would be).
    @Test func everyColumnOfEveryTableIsCompared() async throws {
        let world = try await Self.world()
        let queue = try DatabaseQueue(path: world.fixture.path)
        let columns = try await queue.read { db in
            try ["requests", "request_timings", "votes", "attempts", "executions"].flatMap { table in
                try db.columns(in: table).map { (table: table, name: $0.name, type: $0.type) }
            }
        }
        try queue.close()
        #expect(columns.count > 50)
        for column in columns {
            // Made different from every value the ledger could hold, of the column's type.
            let value: DatabaseValue = column.type == "INTEGER" ? 987_654_321.databaseValue : "tampered".databaseValue
            let key = column.table.hasPrefix("request") ? "request_id" : "seq"
            try world.fixture.tamper(
                "UPDATE \(column.table) SET \"\(column.name)\" = ? WHERE \(key) = (SELECT MIN(\(key)) FROM \(column.table))", arguments: [value])
            let report = try world.verify(now: TestClock.start)
            #expect(!Self.mismatches(report).isEmpty, "\(column.table).\(column.name) changed unseen")
            _ = try await world.fixture.ledger.rebuildProjections()
            #expect(try world.verify(now: TestClock.start).findings.isEmpty, "after rebuilding \(column.table).\(column.name)")
        }
    }

    @Test func deletedRowNamesItsRequestAndTable() async throws {
        let world = try await Self.world()
        try world.fixture.tamper("DELETE FROM executions WHERE request_id = 'req-done'")
        let found = Self.mismatches(try world.verify(now: TestClock.start))
        #expect(found.count == 1 && found[0].requestID == "req-done" && found[0].message.contains("executions"), "\(found)")
    }

    @Test func rowOfNoRequestIsStray() async throws {
        let world = try await Self.world()
        try world.fixture.tamper("INSERT INTO votes (seq, request_id, voter, decision, time_ms) VALUES (99999, 'req-ghost', 'mallory', 'approve', 0)")
        let found = Self.mismatches(try world.verify(now: TestClock.start))
        #expect(found.count == 1 && found[0].requestID == nil && found[0].message.contains("1 rows that belong to no request"), "\(found)")
    }

    /// Rows moved from one request to another leave one short and the other with too many.
    @Test func rowsCopiedOntoAnotherRequestAreSeenOnBoth() async throws {
        let world = try await Self.world()
        try world.fixture.tamper("UPDATE votes SET request_id = 'req-denied' WHERE request_id = 'req-open'")
        let found = Self.mismatches(try world.verify(now: TestClock.start)).compactMap(\.requestID)
        #expect(found == ["req-denied", "req-open"], "\(found)")
    }

    /// A request the walk forgot to make room, or still open at the end, is compared once its
    /// last event is walked: an edit of its row is seen with a cache of one stream as with a
    /// large one, and no request is compared before its last event.
    @Test func forgottenAndOpenRequestsAreComparedAtTheirLastEvent() async throws {
        let world = try await Self.world()
        _ = try await world.approvals.comment("req-done", "shipped after all", signer: world.carol)
        try world.fixture.tamper("UPDATE requests SET summary = 'nothing to see' WHERE request_id IN ('req-open', 'req-glass')")
        for size in [1, 50_000] {
            var verifier = Verifier(now: TestClock.start)
            verifier.streamsInMemory = size
            let found = Self.mismatches(try verifier.verify(world.fixture.ledger)).compactMap(\.requestID)
            #expect(found == ["req-glass", "req-open"], "cache \(size): \(found)")
        }
    }

    /// A service's own event appended raw into a request's stream is the request's new last
    /// event: its rows follow at once, so an honest ledger verifies clean without a rebuild.
    @Test func rawAppendIntoARequestStreamKeepsItsRowsCurrent() async throws {
        let world = try await Self.world()
        let appended = try await world.fixture.ledger.append(
            [
                EventDraft(type: "deploy.note", stream: "req-open", payload: ["text": "canary at 5%"]),
                EventDraft(type: "deploy.note", stream: "svc-log", payload: ["text": "unrelated"]),
            ], signer: world.fixture.alice)
        let report = try world.verify(now: TestClock.start)
        #expect(report.findings.isEmpty, "\(report.findings)")
        let row = try await world.approvals.list().first { $0.requestID == "req-open" }
        #expect(row?.lastSeq == appended[0].envelope.seq)
    }
}
