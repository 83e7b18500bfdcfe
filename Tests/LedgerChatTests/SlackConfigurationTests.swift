import Foundation
import LedgerChat
import TestSupport
import Testing

/// `ledger serve --slack FILE`: the YAML, its secret files, and a typed error for each mistake.
@Suite("SlackConfiguration")
struct SlackConfigurationTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try secret("signing.secret", "8f742231b10e8888abcd99yyyzzz85a5\n")
        try secret("bot.token", "xoxb-1-2-abc\n")
    }

    func secret(_ name: String, _ text: String, mode: Int = 0o600) throws {
        try text.write(toFile: directory.file(name), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: directory.file(name))
    }

    static let good = """
        signing_secret_file: signing.secret
        bot_token_file: bot.token
        api_url: http://127.0.0.1:9999/api
        team: T0123ABCD
        public_url: https://ledger.example.com/
        channels:
          default: C0DEFAULT
          rules:
            prod-db-migration: C0DBA
        """

    func load(_ yaml: String) throws -> SlackConfiguration {
        try yaml.write(toFile: directory.file("slack.yaml"), atomically: true, encoding: .utf8)
        return try SlackConfiguration.load(path: directory.file("slack.yaml"))
    }

    func code(_ yaml: String) -> SlackConfigurationError.Code? {
        do {
            _ = try load(yaml)
            return nil
        } catch let error as SlackConfigurationError { return error.code } catch { return nil }
    }

    @Test("A good file: secrets read from their files (trimmed), the rule picks the channel, URLs normalized")
    func good() throws {
        let configuration = try load(Self.good)
        #expect(configuration.signingSecret == Array("8f742231b10e8888abcd99yyyzzz85a5".utf8))
        #expect(configuration.botToken == "xoxb-1-2-abc")
        #expect(configuration.apiURL == "http://127.0.0.1:9999/api/")
        #expect(configuration.publicURL == "https://ledger.example.com")
        #expect(configuration.channel(forRule: "prod-db-migration") == "C0DBA")
        #expect(configuration.channel(forRule: "default") == "C0DEFAULT")
        let defaulted = try load(Self.good.replacingOccurrences(of: "api_url: http://127.0.0.1:9999/api\n", with: ""))
        #expect(defaulted.apiURL == "https://slack.com/api/")
    }

    @Test("An inline secret is refused, naming the key that takes a file instead")
    func inlineSecret() throws {
        #expect(code(Self.good + "\nbot_token: xoxb-1-2-abc") == .inlineSecret)
        #expect(code(Self.good + "\nsigning_secret: abc") == .inlineSecret)
        do { _ = try load(Self.good + "\nsigning_secret: abc") } catch let error as SlackConfigurationError {
            #expect(error.message.contains("signing_secret_file"))
        }
    }

    @Test("A secret file others can read is refused with the chmod that fixes it")
    func insecureSecretFile() throws {
        try secret("bot.token", "xoxb-1-2-abc\n", mode: 0o644)
        do {
            _ = try load(Self.good)
            Issue.record("a world-readable token file was accepted")
        } catch let error as SlackConfigurationError {
            #expect(error.code == .insecureSecretFile)
            #expect(error.message.contains("chmod 600"))
        }
    }

    @Test("Each malformed configuration is a typed error")
    func malformed() throws {
        #expect(code("") == .invalid)
        #expect(code("[1, 2]") == .invalid)
        #expect(code(Self.good + "\ncolour: blue") == .invalid)
        #expect(code(Self.good.replacingOccurrences(of: "team: T0123ABCD", with: "team: acme")) == .invalid)
        #expect(code(Self.good.replacingOccurrences(of: "default: C0DEFAULT", with: "default: general")) == .invalid)
        #expect(code(Self.good.replacingOccurrences(of: "public_url: https://ledger.example.com/", with: "public_url: ledger")) == .invalid)
        #expect(code(Self.good.replacingOccurrences(of: "bot_token_file: bot.token", with: "bot_token_file: missing.token")) == .unreadableSecretFile)
        try secret("bot.token", "not-a-bot-token\n")
        #expect(code(Self.good) == .invalid)
        #expect(throws: SlackConfigurationError.self) { try SlackConfiguration.load(path: directory.file("absent.yaml")) }
    }
}
