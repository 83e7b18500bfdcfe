import ApprovalLedger
import Foundation
import LedgerChat
import Testing
import TestSupport

@Suite("The --webhooks file")
struct WebhookConfigurationTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// Parses `yaml` with every secret_file read as the test secret.
    static func parse(_ yaml: String) throws(WebhookConfigurationError) -> WebhookConfiguration {
        try WebhookConfiguration(yaml: yaml, file: "hooks.yaml") { _ throws(WebhookConfigurationError) in
            try WebhookSecret(text: secret, source: "test")
        }
    }

    static func code(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch { return error.code.rawValue }
    }

    @Test("A full file: filters, start, defaults and per-subscription retries")
    func full() throws {
        let configuration = try Self.parse("""
            retry: {base: 2s, cap: 1m, max_failures: 5, max_failing: 1h}
            timeout: 3s
            subscriptions:
              - name: pagerduty
                url: https://events.example.com/ledger
                secret_file: pd.whsec
                events: [request.*, vote.cast]
                streams: [prod-*]
                from: start
              - name: tickets
                url: http://127.0.0.1:9000/hook
                secret_file: /etc/ledger/tickets.whsec
                events: execution.*
                retry: {base: 250ms}
                timeout: 1s
            """)
        let (first, second) = (configuration.subscriptions[0], configuration.subscriptions[1])
        #expect(first.name == "pagerduty")
        #expect(first.fromStart)
        #expect(first.filter == WebhookFilter(events: [Glob("request.*"), Glob("vote.cast")], streams: [Glob("prod-*")]))
        #expect(first.retry == WebhookRetryPolicy(base: .seconds(2), cap: .seconds(60), maxFailures: 5, maxFailingDuration: .seconds(3600)))
        #expect(first.timeout == .seconds(3))
        #expect(!second.fromStart)
        #expect(second.filter == WebhookFilter(events: [Glob("execution.*")]))
        #expect(second.retry == WebhookRetryPolicy(base: .milliseconds(250), cap: .seconds(60), maxFailures: 5, maxFailingDuration: .seconds(3600)))
        #expect(second.timeout == .seconds(1))
    }

    static let valid = """
        subscriptions:
          - name: a
            url: https://x.example/h
            secret_file: a.whsec
            events: ["*"]
        """

    @Test("Every bad file is refused with its own code", arguments: [
        ("", "webhooks-file-invalid"),
        ("subscriptions: [", "webhooks-file-unreadable"),
        ("subscriptions: []", "webhooks-file-invalid"),
        ("hooks: []", "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "secret_file: a.whsec", with: "secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "webhook-secret-inline"),
        (valid.replacingOccurrences(of: "    secret_file: a.whsec\n", with: ""), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "https://x.example/h", with: "ftp://x.example/h"), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "events: [\"*\"]", with: "events: []"), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "events: [\"*\"]", with: "events: [\"*\"]\n    from: yesterday"), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "events: [\"*\"]", with: "events: [\"*\"]\n    evnets: [x]"), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "events: [\"*\"]", with: "events: [\"*\"]\n    retry: {base: soon}"), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "events: [\"*\"]", with: "events: [\"*\"]\n    retry: {base: 1h, cap: 1m}"), "webhooks-file-invalid"),
        (valid.replacingOccurrences(of: "name: a", with: "name: a/b"), "webhooks-file-invalid"),
        (valid + "\n  - name: a\n    url: https://y.example/\n    secret_file: b\n    events: [x]", "webhooks-file-invalid"),
    ])
    func refused(yaml: String, code: String) {
        #expect(Self.code(yaml) == code, "\(yaml)")
    }

    @Test("A secret file others may read is refused like a private key; a good one is read")
    func secretFiles() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("a.whsec")
        try (Self.secret + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try Self.valid.write(toFile: directory.file("hooks.yaml"), atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        #expect { try WebhookConfiguration(path: directory.file("hooks.yaml")) } throws: { error in
            guard let error = error as? WebhookConfigurationError else { return false }
            return error.code == .secretFile && error.message.contains("chmod 600")
        }
        chmod(path, 0o600)
        // Relative to the webhooks file's directory, not the working directory.
        #expect(try WebhookConfiguration(path: directory.file("hooks.yaml")).subscriptions.count == 1)
        try "not a secret".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        #expect { try WebhookConfiguration(path: directory.file("hooks.yaml")) } throws: { error in
            (error as? WebhookConfigurationError)?.code == .secretInvalid
        }
        #expect { try WebhookConfiguration(path: directory.file("missing.yaml")) } throws: { error in
            (error as? WebhookConfigurationError)?.code == .unreadable
        }
    }
}
