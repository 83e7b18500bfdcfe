import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `Tests/Chat/slack_standin.py` running on a free loopback port: Slack's Web API as the
/// gateway sees it, every call recorded (and every Block Kit payload parsed by slack_sdk).
final class SlackStandIn: Sendable {
    let directory: TemporaryDirectory
    let process: ChildProcess
    let port: Int
    let token = "xoxb-standin-token"
    static let script = TestPaths.packageRoot.appendingPathComponent("Tests/Chat/slack_standin.py").path
    static let signer = TestPaths.packageRoot.appendingPathComponent("Tests/Chat/slack_sign.py").path

    var recordPath: String { directory.file("calls.jsonl") }
    var apiURL: String { "http://127.0.0.1:\(port)/api/" }
    var responseURL: String { "http://127.0.0.1:\(port)/response/1" }

    init() throws {
        directory = try TemporaryDirectory()
        process = try ChildProcess(try ProcessRunner.which("python3"), [Self.script, "--token", token, "--record", directory.file("calls.jsonl")])
        var output: [UInt8] = []
        while !output.contains(0x0A) {
            let chunk = ChildProcess.read(process.stdout)
            if chunk.isEmpty {
                throw HTTPConnection.HTTPFailure(message: "the Slack stand-in ended: \(String(decoding: ChildProcess.readToEnd(process.stderr), as: UTF8.self))")
            }
            output += chunk
        }
        guard let port = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HTTPConnection.HTTPFailure(message: "the Slack stand-in printed no port")
        }
        self.port = port
    }

    func stop() {
        // SIGKILL: the test process may hand its children a mask that blocks SIGTERM.
        process.kill(SIGKILL)
        _ = process.wait()
    }

    /// Every call so far, in order.
    func calls() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: recordPath) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// Waits until some call satisfies `match` (the gateway works after it answered), up to a
    /// bound far beyond any healthy run, even on a loaded CI machine (240 s); returns it.
    func waitForCall(_ what: String, _ match: ([String: Any]) -> Bool) throws -> [String: Any] {
        let giveUp = Date().addingTimeInterval(240)
        while Date() < giveUp {
            if let call = try calls().first(where: match) { return call }
            usleep(100_000)
        }
        throw HTTPConnection.HTTPFailure(message: "no Slack call \(what) arrived; calls: \(try calls())")
    }

    /// The secret file, the bot token file and the YAML for `ledger serve --slack`.
    func writeConfiguration(team: String, signingSecret: String) throws -> String {
        let files = [("signing.secret", signingSecret + "\n"), ("bot.token", token + "\n")]
        for (name, text) in files {
            try text.write(toFile: directory.file(name), atomically: true, encoding: .utf8)
            chmod(directory.file(name), 0o600)
        }
        let yaml = """
            signing_secret_file: signing.secret
            bot_token_file: bot.token
            api_url: \(apiURL)
            team: \(team)
            public_url: https://ledger.example.com
            channels:
              default: C0DEFAULT
              rules:
                prod-db-migration: C0DBA
            """
        try yaml.write(toFile: directory.file("slack.yaml"), atomically: true, encoding: .utf8)
        return directory.file("slack.yaml")
    }

    /// The X-Slack-Signature slack_sdk computes for `body` at `timestamp`.
    func sign(_ body: [UInt8], timestamp: String) throws -> String {
        let result = try ProcessRunner.run("python3", [Self.signer, directory.file("signing.secret"), timestamp], input: Data(body))
        guard result.status == 0 else { throw HTTPConnection.HTTPFailure(message: "slack_sign.py: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension [String: Any] {
    /// The call's JSON body as text, for `contains` checks.
    var bodyText: String {
        (try? JSONSerialization.data(withJSONObject: self["body"] ?? [:], options: [.withoutEscapingSlashes, .sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
