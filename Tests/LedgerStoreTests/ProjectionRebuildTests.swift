import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// The projection tables are a pure function of the events: what the appends wrote
/// incrementally equals a replay, whatever the sequence of operations.
@Suite("Projections: rebuild equals incremental")
struct ProjectionRebuildTests {
    static let policy = """
        version: 1
        name: random
        groups: {sre: [bob, sam], leads: [lee]}
        risk:
          factors:
            environment: {weight: 50, values: {prod: 1, dev: 0}}
            blast_radius: {weight: 50, max: 100}
        rules:
          - name: auto
            match: {risk: {max: 9}}
            auto_approve_below: 10
          - name: purge
            match: {action: cache.purge}
            require: {groups: {sre: 1}}
            ttl: 1h
            break_glass: {review_within: 2h, reviewers: [leads]}
          - name: two
            match: {action: db.migrate}
            require: {groups: {sre: 2}}
            ttl: 2h
            grant: {ttl: 30m, one_shot: false}
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
            ttl: 1h
            escalation:
              - {after: 10m, notify: [leads], add_groups: [leads]}
          - name: dev
            match: {environment: dev}
            require: {groups: {sre: 1}}
            ttl: 30m
            on_timeout: deny
        """

    /// A team on a hand-moved clock.
    struct Team {
        let directory: TemporaryDirectory
        let ledger: Ledger
        let approvals: Approvals
        let clock: ManualClock
        let people: [String: Signer]

        static func make() async throws -> Team {
            let directory = try TemporaryDirectory()
            let clock = ManualClock(Timestamp("2026-11-02T09:00:00.000Z")!)
            var configuration = LedgerConfiguration()
            configuration.clock = { clock.now }
            let root = Signer(identity: "root", key: try Ed25519PrivateKey())
            let ledger = try await Ledger.create(at: directory.file("random.ledger"), root: root, configuration: configuration)
            var people = ["root": root]
            for (identity, capabilities) in [
                ("alice", [Capability.request, .approve]), ("bob", [.request, .approve]), ("sam", [.approve]), ("lee", [.approve]),
                ("bot", [.execute, .request]),
            ] {
                let signer = Signer(identity: identity, key: try Ed25519PrivateKey())
                try await ledger.registerKey(signer.key.publicKey, identity: identity, capabilities: capabilities, signer: root)
                people[identity] = signer
            }
            let approvals = Approvals(ledger: ledger)
            try await approvals.publish(try Policy(yaml: policy), signer: root)
            return Team(directory: directory, ledger: ledger, approvals: approvals, clock: clock, people: people)
        }
    }

    /// Plays `count` random operations (refusals included) with a seeded generator.
    static func playRandom(_ team: Team, count: Int, seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        var ids: [String] = []
        let names = ["alice", "bob", "sam", "lee", "bot"]
        for step in 0..<count {
            team.clock.now = team.clock.now.adding(milliseconds: Int64(random.next(upTo: 600)) * 1000)
            let who = team.people[names[random.next(upTo: names.count)]]!
            let id = ids.isEmpty ? "" : ids[random.next(upTo: ids.count)]
            do {
                switch ids.isEmpty ? 0 : random.next(upTo: 12) {
                case 0, 1:
                    let env = random.next(upTo: 3) == 0 ? "dev" : "prod"
                    let action = ["deploy.promote", "db.migrate", "config.update"][random.next(upTo: 3)]
                    let request = OpenRequest(
                        requestID: "req-\(step)", action: action, resource: "svc/\(step % 7)", environment: env, summary: "change \(step)",
                        links: random.next(upTo: 4) == 0 ? [] : ["https://ci/\(step)"], riskInputs: ["blast_radius": String(random.next(upTo: 60))])
                    ids.append(request.requestID)
                    _ = try await team.approvals.open(request, signer: who)
                case 2:
                    let request = OpenRequest(requestID: "req-\(step)", action: "cache.purge", resource: "cdn", environment: "prod", summary: "purge")
                    ids.append(request.requestID)
                    _ = try await team.approvals.bypass(request, reason: "incident \(step)", signer: who)
                case 3, 4: _ = try await team.approvals.approve(id, reason: "ok", signer: who)
                case 5: _ = try await team.approvals.deny(id, reason: "no", signer: who)
                case 6: _ = try await team.approvals.tick(signer: team.people["root"]!)
                case 7: _ = try await team.approvals.execute(id, succeeded: random.next(upTo: 4) != 0, signer: who)
                case 8: _ = try await team.approvals.rollback(id, reason: "errors", signer: who)
                case 9: _ = try await team.approvals.recover(id, detail: "fixed", signer: who)
                case 10: _ = try await team.approvals.cancel(id, reason: "superseded", signer: who)
                default:
                    if random.next(upTo: 2) == 0 {
                        _ = try await team.approvals.comment(id, "looked at it", signer: who)
                    } else {
                        _ = try await team.approvals.closeReview(id, accepted: true, reason: "justified", signer: who)
                    }
                }
            } catch is ApprovalError {
                // Refused by the rules: some refusals are recorded, which is the point.
            } catch let error as LedgerError where error.code == .keyNotAllowed || error.code == .notFound {
                // An identity without the capability, or a refused opening: nothing written.
            }
        }
    }

    @Test("A randomized sequence of operations: the tables equal a replay at every step, and after a rebuild", arguments: [1, 2, 3] as [UInt64])
    func randomizedSequence(seed: UInt64) async throws {
        let team = try await Team.make()
        for _ in 0..<4 {
            try await Self.playRandom(team, count: 40, seed: seed * 1000 + UInt64(team.clock.now.millisecondsSinceEpoch % 997))
            let check = try team.ledger.checkProjections()
            #expect(check.tablesMatch, "incremental \(check.tables.digest.hex) != replay \(check.replayed.digest.hex)")
        }
        let rows = try await team.approvals.list()
        #expect(rows.count > 10)
        let rebuild = try await team.ledger.rebuildProjections()
        #expect(rebuild.matchedIncremental)
        #expect(rebuild.requests == rows.count)
        let check = try team.ledger.checkProjections()
        #expect(check.isConsistent && check.recordedMatches == true)
        #expect(check.recorded?.digest == rebuild.rebuilt.digest)
        // The request rows also equal a fold of each stream.
        for row in rows {
            let state = try #require(try await team.approvals.request(row.requestID))
            #expect(row.status == state.status.rawValue && row.version == state.version && row.approvers == state.approvers)
        }
    }

    @Test("A digest recorded by rebuild is checked against a replay through its seq, later appends notwithstanding")
    func recordedDigest() async throws {
        let team = try await Team.make()
        try await Self.playRandom(team, count: 30, seed: 7)
        let rebuild = try await team.ledger.rebuildProjections()
        #expect(try await team.ledger.recordedProjectionDigest()?.digest == rebuild.rebuilt.digest)
        try await Self.playRandom(team, count: 30, seed: 8)
        let check = try team.ledger.checkProjections()
        #expect(check.recorded?.throughSeq == rebuild.rebuilt.throughSeq)
        #expect(check.tables.throughSeq > rebuild.rebuilt.throughSeq)
        #expect(check.recordedReplay?.throughSeq == rebuild.rebuilt.throughSeq)
        #expect(check.recordedMatches == true && check.tablesMatch)
        #expect(try team.ledger.replayedProjectionDigest(through: rebuild.rebuilt.throughSeq).digest == rebuild.rebuilt.digest)
        #expect(try team.ledger.replayedProjectionDigest().digest == check.tables.digest)
    }

    @Test("A tampered projection row is found by the check and repaired by rebuild")
    func tamperedRow() async throws {
        let team = try await Team.make()
        try await Self.playRandom(team, count: 30, seed: 11)
        let before = try await team.ledger.projectionDigest()
        try SQLFile.execute(team.ledger.path, "UPDATE request_timings SET resolved_ms = resolved_ms + 1 WHERE resolved_ms IS NOT NULL")
        let check = try team.ledger.checkProjections()
        #expect(!check.tablesMatch)
        #expect(check.replayed.digest == before.digest)
        let rebuild = try await team.ledger.rebuildProjections()
        #expect(!rebuild.matchedIncremental)
        #expect(rebuild.rebuilt.digest == before.digest)
        #expect(try team.ledger.checkProjections().isConsistent)
    }

    @Test("A ledger written before the projections existed gets them on its first writable open")
    func upgradeFromOlderSchema() async throws {
        let team = try await Team.make()
        try await Self.playRandom(team, count: 30, seed: 5)
        let digest = try await team.ledger.projectionDigest()
        let path = team.ledger.path
        try SQLFile.execute(path, """
            DROP TABLE request_timings; DROP TABLE votes; DROP TABLE attempts; DROP TABLE executions; DROP TABLE projection_digest;
            DELETE FROM grdb_migrations WHERE identifier = '0003_projections'
            """)
        var readOnly = LedgerConfiguration()
        readOnly.readOnly = true
        let old = try await Ledger.open(at: path, configuration: readOnly)
        let error = await #expect(throws: LedgerError.self) { try await old.projectionDigest() }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.message.contains("ledger rebuild") == true)

        let upgraded = try await Ledger.open(at: path)
        #expect(try await upgraded.projectionDigest().digest == digest.digest)
        #expect(try await upgraded.recordedProjectionDigest()?.digest == digest.digest)
    }
}

/// Raw SQL on a ledger file, as someone with write access would run it.
enum SQLFile {
    static func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }
}


/// The projection digest recomputed from docs/FORMAT.md (Projections) by code that shares
/// nothing with `ProjectionDigest`: the spec and the implementation agree.
@Suite("Projection digest follows docs/FORMAT.md")
struct ProjectionDigestSpecTests {
    @Test func digestFromTheSpec() async throws {
        let team = try await ProjectionRebuildTests.Team.make()
        try await ProjectionRebuildTests.playRandom(team, count: 40, seed: 21)
        _ = try await team.approvals.open(
            OpenRequest(requestID: "req-quoted", action: "deploy.promote", resource: "svc/it's", environment: "prod",
                        summary: "it's 'quoted', with a comma,\nand a line feed", links: ["https://ci/'"]),
            signer: team.people["alice"]!)
        let queue = try DatabaseQueue(path: team.ledger.path)
        let bytes = try await queue.read { db in
            var bytes: [UInt8] = []
            for (table, key) in [("requests", "request_id"), ("request_timings", "request_id"), ("votes", "seq"), ("attempts", "seq"), ("executions", "seq")] {
                bytes += Array("\(table)\n".utf8)
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(key)") {
                    // printf('%Q'): NULL bare, anything else quoted, quotes doubled.
                    let fields = row.databaseValues.map { value -> [UInt8] in
                        switch value.storage {
                        case .null: return Array("NULL".utf8)
                        case .int64(let integer): return Array("'\(integer)'".utf8)
                        case .string(let text): return Array("'\(text.replacingOccurrences(of: "'", with: "''"))'".utf8)
                        default: return Array("?".utf8)
                        }
                    }
                    bytes += fields.joined(separator: [0x2C]) + [0x0A]
                }
            }
            return bytes
        }
        try queue.close()
        #expect(bytes.count > 1000)
        #expect(try await team.ledger.projectionDigest().digest == SHA256.hash(bytes))
    }
}
