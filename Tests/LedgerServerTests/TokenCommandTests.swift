import Foundation
import Testing
import TestSupport

/// `ledger token create|list|revoke`: the secret is printed once and never stored; list shows
/// no secret; names are never reused; admin-like capabilities stay with keys.
@Suite("ledger token")
struct TokenCommandTests {
    func ledger(_ directory: TemporaryDirectory, _ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.ledgerBinary.path, arguments, currentDirectory: directory.path)
    }

    @Test func createListRevoke() throws {
        let directory = try TemporaryDirectory()
        #expect(try ledger(directory, ["key", "generate", "--out", "root.pem"]).status == 0)
        #expect(try ledger(directory, ["--ledger", "t.ledger", "--key", "root.pem", "init"]).status == 0)
        let created = try ledger(
            directory, ["token", "create", "--ledger", "t.ledger", "--name", "ci", "--identity", "deploy-bot", "--capability", "request", "--format", "json"])
        #expect(created.status == 0, "\(created.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as! [String: Any]
        let secret = try #require(object["secret"] as? String)
        #expect(secret.hasPrefix("lgr_") && secret.count == 68)
        #expect(object["capabilities"] as? [String] == ["request"])
        #expect(object["state"] as? String == "active")
        // Only the hash is in the file.
        let file = try Data(contentsOf: URL(fileURLWithPath: directory.file("t.ledger")))
        #expect(file.range(of: Data(secret.utf8)) == nil)

        let listed = try ledger(directory, ["token", "list", "--ledger", "t.ledger", "--format", "json"])
        #expect(listed.status == 0)
        #expect(!listed.stdout.contains(secret))
        #expect(listed.stdout.contains(#""name":"ci""#))

        let again = try ledger(directory, ["token", "create", "--ledger", "t.ledger", "--name", "ci", "--identity", "x"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("[already-exists]"))
        let admin = try ledger(directory, ["token", "create", "--ledger", "t.ledger", "--name", "root-ish", "--identity", "x", "--capability", "admin"])
        #expect(admin.status == 64)

        #expect(try ledger(directory, ["token", "revoke", "ci", "--ledger", "t.ledger"]).status == 0)
        let revoked = try ledger(directory, ["token", "list", "--ledger", "t.ledger"])
        #expect(revoked.stdout.contains("revoked"))
        let missing = try ledger(directory, ["token", "revoke", "nobody", "--ledger", "t.ledger"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("[not-found]"))
        // The token table lives beside the log: verify is clean.
        #expect(try ledger(directory, ["--ledger", "t.ledger", "verify"]).status == 0)
    }
}
