internal import ApprovalLedger
import Foundation
internal import Yams

/// The `ledger serve --webhooks FILE` document (docs/WEBHOOKS.md §Configuring):
///
/// ```yaml
/// retry: {base: 5s, cap: 1h, max_failures: 30, max_failing: 3d}   # optional defaults
/// timeout: 15s                                                    # optional
/// subscriptions:
///   - name: pagerduty
///     url: https://events.example.com/ledger
///     secret_file: /etc/ledger/pagerduty.whsec
///     events: [request.*, vote.cast]
///     streams: [prod-*]          # optional
///     from: start                # optional: start | head (the default)
///     retry: {base: 1s}          # optional, over the defaults
/// ```
///
/// Every member is checked: an unknown one, a missing one, a secret written inline, a
/// duplicate name each refuse the whole file, so a typo never silently drops deliveries.
public struct WebhookConfiguration: Sendable {
    public let subscriptions: [WebhookSubscription]

    static let maxBytes = 1 << 20
    static let topMembers: Set<String> = ["subscriptions", "retry", "timeout"]
    static let subscriptionMembers: Set<String> = ["name", "url", "secret_file", "events", "streams", "from", "retry", "timeout"]
    static let retryMembers: Set<String> = ["base", "cap", "max_failures", "max_failing"]
    /// Members that would hold a secret in the file itself: refused by name, with the fix.
    static let inlineSecretMembers: Set<String> = ["secret", "signing_secret", "whsec"]

    public init(subscriptions: [WebhookSubscription]) {
        self.subscriptions = subscriptions
    }

    /// Reads and checks the file at `path`; secret files are resolved against its directory.
    /// - Throws: `WebhookConfigurationError` naming the member and what to write instead.
    public init(path: String) throws(WebhookConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebhookConfigurationError(.unreadable, "cannot read the webhooks file '\(path)'")
        }
        guard data.count <= Self.maxBytes, let text = String(data: data, encoding: .utf8) else {
            throw WebhookConfigurationError(.unreadable, "the webhooks file '\(path)' is not UTF-8 text of at most 1 MiB")
        }
        let directory = (path as NSString).deletingLastPathComponent
        try self.init(yaml: text, file: path) { (secretPath: String) throws(WebhookConfigurationError) -> WebhookSecret in
            try WebhookSecret(path: secretPath.hasPrefix("/") || directory.isEmpty ? secretPath : directory + "/" + secretPath)
        }
    }

    /// Parses `yaml`, reading each secret with `readSecret` (given the `secret_file` value).
    public init(yaml: String, file: String, readSecret: (String) throws(WebhookConfigurationError) -> WebhookSecret) throws(WebhookConfigurationError) {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            let text = "\(error)"
            throw WebhookConfigurationError(.unreadable, "the webhooks file '\(file)' is not valid YAML: \(text.count <= 300 ? text : String(text.prefix(300)) + "…")")
        }
        let reader = Reader(file: file)
        guard let root else { throw reader.invalid("", "the file is empty; it needs `subscriptions:`, a list") }
        let top = try reader.mapping(root, at: "", allowed: Self.topMembers)
        let defaults = try reader.retry(top["retry"], at: "retry", over: WebhookRetryPolicy())
        let timeout = try top["timeout"].map { node throws(WebhookConfigurationError) in try reader.duration(node, at: "timeout") } ?? .seconds(15)
        guard let listNode = top["subscriptions"] else { throw reader.invalid("subscriptions", "is missing: list the receivers") }
        guard case .sequence(let list) = listNode, !list.isEmpty else { throw reader.invalid("subscriptions", "must be a non-empty list") }
        var names = Set<String>()
        var subscriptions: [WebhookSubscription] = []
        for (index, node) in list.enumerated() {
            let at = "subscriptions[\(index)]"
            if case .mapping(let members) = node {
                for key in members.keys {
                    if let name = key.string, Self.inlineSecretMembers.contains(name) {
                        throw WebhookConfigurationError(
                            .inlineSecret,
                            "\(file): \(at).\(name): a secret is never written in the webhooks file; put it in a file only the server's user can read (chmod 600) and name it with `secret_file:`")
                    }
                }
            }
            let members = try reader.mapping(node, at: at, allowed: Self.subscriptionMembers)
            let name = try reader.string(members["name"], at: "\(at).name")
            guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", options: .regularExpression) != nil else {
                throw reader.invalid("\(at).name", "'\(Identifier.printable(name))' must be 1 to 64 letters, digits, '.', '_' or '-' (it appears in URLs and logs)")
            }
            guard names.insert(name).inserted else { throw reader.invalid("\(at).name", "'\(name)' names two subscriptions; names are unique") }
            let url = try reader.string(members["url"], at: "\(at).url")
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host?.isEmpty == false else {
                throw reader.invalid("\(at).url", "'\(Identifier.printable(url))' is not an http:// or https:// URL")
            }
            let secretPath = try reader.string(members["secret_file"], at: "\(at).secret_file")
            let secret = try readSecret(secretPath)
            let events = try reader.patterns(members["events"], at: "\(at).events")
            let streams = try members["streams"].map { node throws(WebhookConfigurationError) in try reader.patterns(node, at: "\(at).streams") }
            let fromStart: Bool
            switch try members["from"].map({ node throws(WebhookConfigurationError) in try reader.string(node, at: "\(at).from") }) {
            case nil, "head": fromStart = false
            case "start": fromStart = true
            case let other?: throw reader.invalid("\(at).from", "is 'start' (every event from seq 1) or 'head' (from now on), not '\(Identifier.printable(other))'")
            }
            subscriptions.append(
                WebhookSubscription(
                    name: name, url: url, secret: secret, filter: WebhookFilter(events: events, streams: streams), fromStart: fromStart,
                    retry: try reader.retry(members["retry"], at: "\(at).retry", over: defaults),
                    timeout: try members["timeout"].map { node throws(WebhookConfigurationError) in try reader.duration(node, at: "\(at).timeout") } ?? timeout))
        }
        self.subscriptions = subscriptions
    }
}

/// Reads the YAML nodes of one file, each refusal naming the file and the member's path.
private struct Reader {
    let file: String

    func invalid(_ path: String, _ message: String) -> WebhookConfigurationError {
        WebhookConfigurationError(.invalid, "\(file): \(path.isEmpty ? "" : path + " ")\(message)")
    }

    func mapping(_ node: Node, at path: String, allowed: Set<String>) throws(WebhookConfigurationError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw invalid(path, "must be a mapping (name: value)") }
        var members: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw invalid(path, "has a key that is not a plain string") }
            guard allowed.contains(name) else {
                throw invalid(path.isEmpty ? name : "\(path).\(name)", "is not a member this file knows (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard members.updateValue(value, forKey: name) == nil else { throw invalid(path.isEmpty ? name : "\(path).\(name)", "appears twice") }
            if case .alias = value { throw invalid("\(path).\(name)", "is a YAML alias; write the value out") }
        }
        return members
    }

    func string(_ node: Node?, at path: String) throws(WebhookConfigurationError) -> String {
        guard let node else { throw invalid(path, "is missing") }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { throw invalid(path, "must be a non-empty string") }
        return scalar.string
    }

    func patterns(_ node: Node?, at path: String) throws(WebhookConfigurationError) -> [Glob] {
        guard let node else { throw invalid(path, "is missing: list event types or globs, e.g. [request.*, vote.cast]") }
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case .sequence(let sequence): items = Array(sequence)
        default: throw invalid(path, "must be a list of names or globs")
        }
        guard !items.isEmpty else { throw invalid(path, "is empty: nothing would ever match") }
        var globs: [Glob] = []
        for (index, item) in items.enumerated() { globs.append(Glob(try string(item, at: "\(path)[\(index)]"))) }
        return globs
    }

    /// `90s`, `5m`, `1h30m` as policies write them, or `250ms`.
    func duration(_ node: Node, at path: String) throws(WebhookConfigurationError) -> Duration {
        let text = try string(node, at: path)
        if text.hasSuffix("ms"), let value = Int64(text.dropLast(2)), value > 0, value < 1_000_000_000 { return .milliseconds(value) }
        guard let milliseconds = DurationText.milliseconds(text) else {
            throw invalid(path, "'\(Identifier.printable(text))' is not a duration such as 250ms, 5s, 10m, 1h or 2d")
        }
        return .milliseconds(milliseconds)
    }

    func retry(_ node: Node?, at path: String, over defaults: WebhookRetryPolicy) throws(WebhookConfigurationError) -> WebhookRetryPolicy {
        guard let node else { return defaults }
        let members = try mapping(node, at: path, allowed: WebhookConfiguration.retryMembers)
        var policy = defaults
        if let base = members["base"] { policy.base = try duration(base, at: "\(path).base") }
        if let cap = members["cap"] { policy.cap = try duration(cap, at: "\(path).cap") }
        if let failing = members["max_failing"] { policy.maxFailingDuration = try duration(failing, at: "\(path).max_failing") }
        if let failures = members["max_failures"] {
            guard let count = Int(try string(failures, at: "\(path).max_failures")), count >= 1 else {
                throw invalid("\(path).max_failures", "must be a whole number ≥ 1")
            }
            policy.maxFailures = count
        }
        guard policy.base <= policy.cap else { throw invalid(path, "base must not exceed cap") }
        return policy
    }
}
