import Foundation
import Yams

/// The Slack gateway's configuration, read from the YAML file `ledger serve --slack FILE`
/// names (docs/CHAT.md §Configuring ledger serve). Secrets are never in the file itself, only
/// the paths of files holding them, which must be private like a key file.
public struct SlackConfiguration: Sendable {
    /// The app's signing secret: the HMAC key of Slack's request signatures.
    public var signingSecret: [UInt8]
    /// The bot token (`xoxb-…`) the Web API calls carry.
    public var botToken: String
    /// The Web API base, ending in `/` (`https://slack.com/api/`; tests point it at a stand-in).
    public var apiURL: String
    /// The workspace id (T…): requests signed for another team are refused.
    public var team: String
    /// Where a request goes when no rule names a channel.
    public var defaultChannel: String
    /// Channel per policy rule name: the rule that governs a request picks its channel.
    public var ruleChannels: [String: String]
    /// The server's external URL, for links and the step-up command.
    public var publicURL: String

    public init(
        signingSecret: [UInt8], botToken: String, apiURL: String = "https://slack.com/api/", team: String, defaultChannel: String,
        ruleChannels: [String: String] = [:], publicURL: String
    ) {
        self.signingSecret = signingSecret
        self.botToken = botToken
        self.apiURL = apiURL.hasSuffix("/") ? apiURL : apiURL + "/"
        self.team = team
        self.defaultChannel = defaultChannel
        self.ruleChannels = ruleChannels
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    /// The channel a request governed by `rule` is posted to.
    public func channel(forRule rule: String) -> String {
        ruleChannels[rule] ?? defaultChannel
    }

    static let topKeys: Set<String> = ["signing_secret_file", "bot_token_file", "api_url", "team", "channels", "public_url"]
    /// Keys that would put a secret into the configuration itself.
    static let inlineSecretKeys: Set<String> = ["signing_secret", "bot_token", "token", "secret"]

    /// Reads the configuration at `path` and the secret files it names (relative paths are
    /// relative to the configuration's directory).
    /// - Throws: `SlackConfigurationError` for every problem, naming the key and what to do.
    public static func load(path: String) throws -> SlackConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SlackConfigurationError(.unreadable, "cannot read the Slack configuration", path: path)
        }
        guard data.count <= 64 * 1024, let text = String(data: data, encoding: .utf8) else {
            throw SlackConfigurationError(.unreadable, "the Slack configuration is not UTF-8 text of at most 64 KiB", path: path)
        }
        return try parse(text, path: path) { name in try SecretFile.secret(name, relativeTo: path) }
    }

    /// Parses the YAML `text`; `readSecret` reads the file a `*_file` key names.
    static func parse(_ text: String, path: String, readSecret: (String) throws -> [UInt8]) throws -> SlackConfiguration {
        func invalid(_ message: String) -> SlackConfigurationError { SlackConfigurationError(.invalid, message, path: path) }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw invalid("the file is empty; docs/CHAT.md §Configuring ledger serve shows one") }
            root = node
        } catch let error as SlackConfigurationError { throw error } catch {
            throw invalid("not YAML: \(error)")
        }
        guard let top = root.mapping else { throw invalid("the document must be a mapping of signing_secret_file, bot_token_file, team, channels, public_url") }
        var members: [String: Node] = [:]
        for (key, value) in top {
            guard let name = key.string else { throw invalid("keys must be strings") }
            if inlineSecretKeys.contains(name) {
                throw SlackConfigurationError(
                    .inlineSecret, "'\(name)' puts a secret in the configuration; write it to a file readable only by the server (chmod 600) and name it with '\(name.hasPrefix("signing") || name == "secret" ? "signing_secret_file" : "bot_token_file")'",
                    path: path)
            }
            guard topKeys.contains(name) else { throw invalid("unknown key '\(name)'; expected one of: \(topKeys.sorted().joined(separator: ", "))") }
            members[name] = value
        }
        func string(_ key: String, required: Bool = true) throws -> String? {
            guard let node = members[key] else {
                if required { throw invalid("'\(key)' is required") }
                return nil
            }
            guard let value = node.scalar?.string, !value.isEmpty else { throw invalid("'\(key)' must be a non-empty string") }
            return value
        }
        let team = try string("team")!
        guard team.hasPrefix("T"), team.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw invalid("'team' is the workspace id, T followed by letters and digits (e.g. T0123ABCD), not '\(team)'")
        }
        let apiURL = try string("api_url", required: false) ?? "https://slack.com/api/"
        guard apiURL.hasPrefix("https://") || apiURL.hasPrefix("http://") else { throw invalid("'api_url' must be an http(s) URL, not '\(apiURL)'") }
        let publicURL = try string("public_url")!
        guard publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://") else {
            throw invalid("'public_url' must be the server's external http(s) URL, e.g. https://ledger.example.com, not '\(publicURL)'")
        }
        guard let channels = members["channels"] else { throw invalid("'channels' is required: {default: C…, rules: {rule-name: C…}}") }
        guard let channelMap = channels.mapping else { throw invalid("'channels' must be a mapping: {default: C…, rules: {rule-name: C…}}") }
        var defaultChannel: String?
        var rules: [String: String] = [:]
        for (key, value) in channelMap {
            switch key.string {
            case "default":
                defaultChannel = value.scalar?.string
                guard let id = defaultChannel, isChannelID(id) else { throw invalid("'channels.default' must be a channel id (C…, G… or D…)") }
            case "rules":
                guard let ruleMap = value.mapping else { throw invalid("'channels.rules' must be a mapping of rule name to channel id") }
                for (rule, channel) in ruleMap {
                    guard let name = rule.string, let id = channel.scalar?.string, isChannelID(id) else {
                        throw invalid("'channels.rules' maps a policy rule's name to a channel id (C…), e.g. prod-db-migration: C0456")
                    }
                    rules[name] = id
                }
            default:
                throw invalid("unknown key 'channels.\(key.string ?? "?")'; expected default, rules")
            }
        }
        guard let defaultChannel else { throw invalid("'channels.default' is required: the channel for requests no rule routes") }
        let signingSecret = try readSecret(try string("signing_secret_file")!)
        let botToken = String(decoding: try readSecret(try string("bot_token_file")!), as: UTF8.self)
        guard botToken.hasPrefix("xoxb-") else {
            throw invalid("the file 'bot_token_file' names does not hold a bot token (xoxb-…); copy the Bot User OAuth Token from the app's OAuth & Permissions page")
        }
        return SlackConfiguration(
            signingSecret: signingSecret, botToken: botToken, apiURL: apiURL, team: team, defaultChannel: defaultChannel, ruleChannels: rules,
            publicURL: publicURL)
    }

    static func isChannelID(_ text: String) -> Bool {
        guard let first = text.first, "CGD".contains(first), text.count >= 2 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }
}
