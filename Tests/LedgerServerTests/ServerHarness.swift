import Foundation
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A ledger set up with the built `ledger` binary (root, a registered server key, a policy,
/// tokens) and `ledger serve` running on it on a free loopback port: what the tests drive
/// over TCP, as a client on another host would.
final class ServerHarness: Sendable {
    let directory: TemporaryDirectory
    let binary = TestPaths.ledgerBinary.path
    let ledgerPath: String
    /// Token secrets by name (see `setUp`).
    let tokens: [String: String]
    let port: Int
    let process: ChildProcess
    private let stderrText: LogBuffer

    /// The identities of the policy: carol (dba), alice and bob (sre); the CI job is `deploy-bot`.
    static let policy = """
        version: 1
        name: server-tests
        groups:
          sre: [alice, bob]
          dba: [carol]
        risk:
          factors:
            environment: {weight: 40, values: {prod: 1, staging: 0.3, dev: 0}}
          levels: {low: 0, high: 50}
        rules:
          - name: prod-db-migration
            match: {action: db.migrate, environment: prod}
            require: {groups: {dba: 1, sre: 1}}
            reason_required: {approve: true, deny: true}
            ttl: 4h
            grant: {ttl: 2h, one_shot: true}
          - name: quick
            match: {action: quick.*}
            require: {groups: {sre: 1}}
            ttl: 3s
            on_timeout: expire
          - name: break-glass
            match: {action: cache.purge}
            require: {groups: {sre: 1}}
            ttl: 1h
            break_glass: {review_within: 24h, reviewers: [sre]}
          - name: default
            match: {}
            require: {groups: {sre: 1}}
            ttl: 2h
        """

    /// Token names → (identity, capabilities).
    static let tokenSpecs: [(name: String, identity: String, capabilities: [String])] = [
        ("ci", "deploy-bot", ["request", "execute", "append"]),
        ("carol", "carol", ["approve"]),
        ("bob", "bob", ["approve", "request"]),
        ("alice", "alice", ["approve"]),
        ("reader", "auditor", []),
        ("doomed", "deploy-bot", ["request"]),
        ("fuzz", "alice", ["request", "approve", "execute", "append"]),
    ]

    convenience init(extraArguments: [String] = []) throws {
        let directory = try TemporaryDirectory()
        let ledgerPath = directory.file("ops.ledger")
        let run = { (arguments: [String]) throws -> ProcessResult in
            let result = try ProcessRunner.run(TestPaths.ledgerBinary.path, arguments, currentDirectory: directory.path)
            guard result.status == 0 else { throw HTTPConnection.HTTPFailure(message: "ledger \(arguments.joined(separator: " ")): exit \(result.status) \(result.stderr)") }
            return result
        }
        _ = try run(["key", "generate", "--out", "root.pem"])
        _ = try run(["key", "generate", "--out", "server.pem"])
        _ = try run(["--ledger", ledgerPath, "--key", "root.pem", "init"])
        _ = try run(
            ["--ledger", ledgerPath, "--key", "root.pem", "key", "register", "--identity", "ledger-server", "--public-key", "server.pem.pub"]
                + Self.serverCapabilities.flatMap { ["--capability", $0] })
        try Self.policy.write(toFile: directory.file("policy.yaml"), atomically: true, encoding: .utf8)
        _ = try run(["--ledger", ledgerPath, "--key", "root.pem", "policy", "publish", "policy.yaml"])
        var tokens: [String: String] = [:]
        for spec in Self.tokenSpecs {
            let result = try run(
                ["token", "create", "--ledger", ledgerPath, "--name", spec.name, "--identity", spec.identity, "--expires-in", "1d"]
                    + spec.capabilities.flatMap { ["--capability", $0] })
            tokens[spec.name] = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try self.init(directory: directory, ledgerPath: ledgerPath, tokens: tokens, extraArguments: extraArguments)
    }

    /// Serves a ledger already set up in `directory` (its server key in `server.pem`, registered
    /// with `serverCapabilities`), with `tokens` created in it.
    init(directory: TemporaryDirectory, ledgerPath: String, tokens: [String: String], extraArguments: [String] = []) throws {
        self.directory = directory
        self.ledgerPath = ledgerPath
        self.tokens = tokens
        process = try ChildProcess(
            TestPaths.ledgerBinary.path,
            ["serve", "--ledger", ledgerPath, "--key", directory.file("server.pem"), "--listen", "127.0.0.1:0"] + extraArguments)
        port = try Self.readyPort(process)
        let stderr = process.stderr
        let text = LogBuffer()
        stderrText = text
        Thread.detachNewThread {
            while true {
                let chunk = ChildProcess.read(stderr)
                if chunk.isEmpty { return }
                text.text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
            }
        }
    }

    static let serverCapabilities = ["append", "approve", "clock", "execute", "relay", "request"]

    /// Reads the ready line (`ledger serve: listening on http://127.0.0.1:PORT …`).
    static func readyPort(_ process: ChildProcess) throws -> Int {
        var output: [UInt8] = []
        while !output.contains(0x0A) {
            let chunk = ChildProcess.read(process.stdout)
            if chunk.isEmpty {
                let errors = String(decoding: ChildProcess.readToEnd(process.stderr), as: UTF8.self)
                throw HTTPConnection.HTTPFailure(message: "ledger serve ended before it was ready: \(errors)")
            }
            output += chunk
        }
        let line = String(decoding: output, as: UTF8.self)
        guard let range = line.range(of: "http://127.0.0.1:"),
              let port = Int(line[range.upperBound...].prefix(while: { $0.isNumber }))
        else { throw HTTPConnection.HTTPFailure(message: "no address in the ready line: \(line)") }
        return port
    }

    var serverLog: String { stderrText.text.withLock { $0 } }

    func token(_ name: String) -> String { tokens[name]! }

    func request(
        _ method: String, _ path: String, as tokenName: String? = nil, json: String? = nil, contentType: String? = nil,
        headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> HTTPConnection.Response {
        try HTTPConnection.request(
            port: port, method, path, token: tokenName.map(token), json: json, contentType: contentType, headers: headers, body: body)
    }

    /// Runs the `ledger` binary in the harness's directory.
    func ledger(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(binary, arguments, currentDirectory: directory.path)
    }

    /// How the server ended, once stopped.
    private let ending = Mutex<ChildProcess.Ending?>(nil)

    /// SIGTERM, then how the server ended. Idempotent: a test may stop the server and its
    /// `defer` stop it again; waiting twice would close the pipe descriptors twice, and by
    /// then their numbers may belong to another test's pipes.
    func stop() -> ChildProcess.Ending {
        ending.withLock { ending in
            if let ending { return ending }
            process.kill(SIGTERM)
            let ended = process.wait()
            ending = ended
            return ended
        }
    }

    /// Events of the ledger, straight from the file with the CLI (`ledger log --format json`).
    func loggedEvents() throws -> [[String: Any]] {
        let result = try ledger(["--ledger", ledgerPath, "log", "--format", "json"])
        return try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}

/// What the server wrote to stderr, collected from its own thread.
final class LogBuffer: Sendable {
    let text = Mutex("")
}
