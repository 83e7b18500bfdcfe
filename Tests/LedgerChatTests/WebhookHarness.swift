import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A ledger made with the built `ledger` binary (root, a registered server key, an `ops` token
/// with `append` and a `reader` token with nothing), a Standard Webhooks secret in a 0600 file,
/// a `--webhooks` file, and `ledger serve` on it: started, stopped (SIGTERM or SIGKILL) and
/// started again on the same file, as an operator would.
final class WebhookHarness: Sendable {
    let directory: TemporaryDirectory
    let binary = TestPaths.ledgerBinary.path
    var ledgerPath: String { directory.file("ops.ledger") }
    var secretPath: String { directory.file("hooks.whsec") }
    var webhooksPath: String { directory.file("webhooks.yaml") }
    let tokens: [String: String]
    private let serving = Mutex<Serving?>(nil)

    struct Serving: Sendable {
        let process: ChildProcess
        let port: Int
        let log: LogBuffer
    }

    init() throws {
        directory = try TemporaryDirectory()
        let ledgerPath = directory.file("ops.ledger")
        let run = { [directory] (arguments: [String]) throws -> String in
            let result = try ProcessRunner.run(TestPaths.ledgerBinary.path, arguments, currentDirectory: directory.path)
            guard result.status == 0 else { throw HarnessFailure("ledger \(arguments.joined(separator: " ")): exit \(result.status) \(result.stderr)") }
            return result.stdout
        }
        _ = try run(["key", "generate", "--out", "root.pem"])
        _ = try run(["key", "generate", "--out", "server.pem"])
        _ = try run(["--ledger", ledgerPath, "--key", "root.pem", "init"])
        _ = try run(
            ["--ledger", ledgerPath, "--key", "root.pem", "key", "register", "--identity", "ledger-server", "--public-key", "server.pem.pub"]
                + ["append", "approve", "clock", "execute", "relay", "request"].flatMap { ["--capability", $0] })
        var tokens: [String: String] = [:]
        for (name, capabilities) in [("ops", ["append"]), ("reader", [])] {
            tokens[name] = try run(
                ["token", "create", "--ledger", ledgerPath, "--name", name, "--identity", name, "--expires-in", "1d"] + capabilities.flatMap { ["--capability", $0] }
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.tokens = tokens
        var random = [UInt8](repeating: 0, count: 32)
        for index in random.indices { random[index] = UInt8.random(in: 0...255) }
        _ = FileManager.default.createFile(atPath: directory.file("hooks.whsec"), contents: Data(("whsec_" + Data(random).base64EncodedString() + "\n").utf8))
        chmod(directory.file("hooks.whsec"), 0o600)
    }

    /// Writes the `--webhooks` file: `subscriptions` is its YAML list, indented by two.
    func writeWebhooks(_ subscriptions: String) throws {
        try ("subscriptions:\n" + subscriptions).write(toFile: webhooksPath, atomically: true, encoding: .utf8)
    }

    /// Starts `ledger serve --webhooks` and returns once it listens.
    @discardableResult
    func startServer() throws -> Int {
        let process = try ChildProcess(
            binary, ["serve", "--ledger", ledgerPath, "--key", directory.file("server.pem"), "--listen", "127.0.0.1:0", "--webhooks", webhooksPath])
        let port = try Self.readyPort(process)
        let log = LogBuffer()
        let stderr = process.stderr
        Thread.detachNewThread {
            while true {
                let chunk = ChildProcess.read(stderr)
                if chunk.isEmpty { return }
                log.text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
            }
        }
        serving.withLock { $0 = Serving(process: process, port: port, log: log) }
        return port
    }

    /// Stops the running server with `signal` (SIGTERM drains; SIGKILL is a crash) and waits.
    @discardableResult
    func stopServer(_ signal: Int32 = SIGTERM) -> ChildProcess.Ending? {
        serving.withLock { serving in
            guard let running = serving else { return nil }
            running.process.kill(signal)
            let ending = running.process.wait()
            serving = nil
            return ending
        }
    }

    var port: Int { serving.withLock { $0?.port ?? 0 } }
    var serverLog: String { serving.withLock { $0?.log.text.withLock { $0 } ?? "" } }

    static func readyPort(_ process: ChildProcess) throws -> Int {
        var output: [UInt8] = []
        while !output.contains(0x0A) {
            let chunk = ChildProcess.read(process.stdout)
            if chunk.isEmpty {
                throw HarnessFailure("ledger serve ended before it was ready: \(String(decoding: ChildProcess.readToEnd(process.stderr), as: UTF8.self))")
            }
            output += chunk
        }
        let line = String(decoding: output, as: UTF8.self)
        guard let range = line.range(of: "http://127.0.0.1:"), let port = Int(line[range.upperBound...].prefix(while: { $0.isNumber })) else {
            throw HarnessFailure("no address in the ready line: \(line)")
        }
        return port
    }

    /// Appends `count` events of `type` to `stream` with the CLI, in one transaction (another
    /// process than the server, as a CI job would); returns their seqs.
    @discardableResult
    func append(_ count: Int, type: String = "deploy.note", stream: String = "svc-a") throws -> [Int64] {
        let lines = (0..<count).map { #"{"type":"\#(type)","stream":"\#(stream)","payload":{"n":\#($0)}}"# }.joined(separator: "\n") + "\n"
        let result = try ProcessRunner.run(
            binary, ["--ledger", ledgerPath, "--key", directory.file("root.pem"), "append", "--jsonl", "--batch", "--format", "json"],
            input: Data(lines.utf8), currentDirectory: directory.path)
        guard result.status == 0 else { throw HarnessFailure("ledger append: exit \(result.status) \(result.stderr)") }
        return try result.stdout.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let seq = object?["seq"] as? Int else { throw HarnessFailure("no seq in \(line)") }
            return Int64(seq)
        }
    }

    /// Runs the `ledger` binary in the harness's directory.
    func ledger(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(binary, arguments, currentDirectory: directory.path)
    }

    /// `GET`/`POST` on the running server with a token (by name) or none.
    func call(_ method: HTTPMethod, _ path: String, as token: String?) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(tokens[token]!)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    /// `GET /metrics` (with the `ops` token), as text.
    func metrics() async throws -> String {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
        request.headers.add(name: "Authorization", value: "Bearer \(tokens["ops"]!)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return String(buffer: try await response.body.collect(upTo: 4 << 20))
    }

    /// The subscription `name` as `GET /v1/webhooks` shows it (with the `ops` token).
    func webhook(_ name: String) async throws -> [String: Any] {
        let (status, json) = try await call(.GET, "/v1/webhooks", as: "ops")
        guard status == 200, let list = json["webhooks"] as? [[String: Any]], let item = list.first(where: { $0["name"] as? String == name }) else {
            throw HarnessFailure("GET /v1/webhooks: \(status) \(json)")
        }
        return item
    }

    deinit { stopServer() }
}

/// `Tests/Chat/webhook_receiver.py`: a receiver that verifies every delivery with PyPI's
/// `standardwebhooks` and records it; started and stopped on one port, so a test can take it
/// down and bring it back.
final class WebhookReceiver: Sendable {
    let script = TestPaths.packageRoot.appendingPathComponent("Tests/Chat/webhook_receiver.py").path
    let secretPath: String
    let recordPath: String
    private let running = Mutex<ChildProcess?>(nil)
    private let portBox = Mutex(0)

    init(secretPath: String, recordPath: String) {
        self.secretPath = secretPath
        self.recordPath = recordPath
    }

    var port: Int { portBox.withLock { $0 } }

    /// Starts it on its port (a free one the first time), answering `status`.
    func start(status: Int = 200) throws {
        let process = try ChildProcess(
            try ProcessRunner.which("python3"),
            [script, "--port", String(port), "--secret-file", secretPath, "--record", recordPath, "--status", String(status)])
        var output: [UInt8] = []
        while !output.contains(0x0A) {
            let chunk = ChildProcess.read(process.stdout)
            if chunk.isEmpty { throw HarnessFailure("the receiver ended: \(String(decoding: ChildProcess.readToEnd(process.stderr), as: UTF8.self))") }
            output += chunk
        }
        let line = String(decoding: output, as: UTF8.self)
        guard let port = Int(line.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") else {
            throw HarnessFailure("no port in \(line)")
        }
        portBox.withLock { $0 = port }
        running.withLock { $0 = process }
    }

    /// Stops it: its port refuses connections until it starts again.
    func stop() {
        running.withLock { process in
            process?.kill(SIGKILL)
            _ = process?.wait()
            process = nil
        }
    }

    /// Every attempt it saw, in arrival order.
    func records() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: recordPath) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// The verified deliveries to `path`, deduplicated by webhook-id (the first of each).
    func delivered(to path: String) throws -> [(id: String, seq: Int64, type: String)] {
        var seen = Set<String>()
        var result: [(id: String, seq: Int64, type: String)] = []
        for record in try records() where record["verified"] as? Bool == true && record["path"] as? String == path && record["status"] as? Int == 200 {
            let id = record["id"] as! String
            if seen.insert(id).inserted { result.append((id, Int64(record["seq"] as! Int), record["type"] as! String)) }
        }
        return result
    }

    deinit { stop() }
}

/// What the server wrote to stderr, collected from its own thread.
final class LogBuffer: Sendable {
    let text = Mutex("")
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits for `condition`, checking every 100 ms, for at most `timeout` (generous: a condition,
/// not a timing, is what the tests assert).
func eventually(_ what: String, timeout: Duration = .seconds(240), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw HarnessFailure("timed out waiting for \(what)")
}
