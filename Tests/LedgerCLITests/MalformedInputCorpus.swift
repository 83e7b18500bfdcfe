import Foundation

/// One malformed input to one entry point of `ledger`, and the error it must give.
struct MalformedInput: CustomStringConvertible {
    /// A file the case writes before it runs.
    enum File {
        /// These bytes, with this mode.
        case bytes([UInt8], mode: Int = 0o600)
        /// The valid checkpoint of the test ledger (`good.checkpoint`), edited.
        case checkpoint(edit: (String) -> String)
        /// A copy of the test ledger's evidence bundle (`good-bundle`), then `edit` on the
        /// copy's path.
        case bundle(edit: (String) throws -> Void)
        /// A FIFO (named pipe) nobody writes to: opening it for reading would wait forever.
        case fifo(mode: Int = 0o600)
    }

    let name: String
    var files: [String: File] = [:]
    /// The full argument list, global options included.
    let arguments: [String]
    var stdin: [UInt8]?
    /// The exit status: 2 could not run, 3 refused by the approval rules, 64 bad usage.
    let status: Int32
    /// What stderr must contain: the error's stable code in brackets, and words of its sentence.
    var expected: [String] = []
    /// What stdout must contain, for a reader that reports findings (a bundle) rather than
    /// failing; nil when stdout must stay empty.
    var report: [String]?

    var description: String { name }
}

/// Every reader of untrusted input, each with the inputs it must refuse. The test
/// (`MalformedInputTests`) runs each case through the built binary against a real ledger and
/// then checks the ledger did not change.
///
/// A new reader of untrusted input is one more case here, with its cases.
enum EntryPoint: String, CaseIterable, Sendable {
    case flags, payload, jsonl, policy, keyFile, checkpoint, bundle, notARegularFile

    /// `--ledger ops.ledger` with alice's key (request, append), root's (admin), or none.
    static let alice = ["--ledger", "ops.ledger", "--key", "alice.pem"]
    static let root = ["--ledger", "ops.ledger", "--key", "root.pem"]
    static let note = ["append", "--type", "deploy.note", "--stream", "svc"]
    static let long = String(repeating: "x", count: 4097)

    var cases: [MalformedInput] {
        switch self {
        case .flags: Self.flagCases
        case .payload: Self.payloadCases
        case .jsonl: Self.jsonlCases
        case .policy: Self.policyCases
        case .keyFile: Self.keyFileCases
        case .checkpoint: Self.checkpointCases
        case .bundle: Self.bundleCases
        case .notARegularFile: Self.notARegularFileCases
        }
    }

    static var flagCases: [MalformedInput] {
        [
            MalformedInput(name: "append without --type and --stream", arguments: alice + ["append"], status: 64, expected: ["give --type and --stream"]),
            MalformedInput(name: "unknown durability", arguments: alice + ["--durability", "sometimes"] + note, status: 64, expected: ["--durability must be full or normal"]),
            MalformedInput(name: "negative busy timeout", arguments: alice + ["--busy-timeout=-1"] + note, status: 64, expected: ["--busy-timeout must be"]),
            MalformedInput(name: "NaN busy timeout", arguments: alice + ["--busy-timeout", "nan"] + note, status: 64, expected: ["--busy-timeout must be"]),
            MalformedInput(name: "zero file size limit", arguments: alice + ["--max-file-size", "0"] + note, status: 64, expected: ["--max-file-size must be"]),
            MalformedInput(name: "expected version 0", arguments: alice + note + ["--expected-version", "0"], status: 64, expected: ["expected version must be a positive number"]),
            MalformedInput(name: "expected version 1e3", arguments: alice + note + ["--expected-version", "1e3"], status: 64, expected: ["expected version must be a positive number"]),
            MalformedInput(name: "--batch without --jsonl", arguments: alice + note + ["--batch"], status: 64, expected: ["add --jsonl"]),
            MalformedInput(name: "--batch with --batch-size", arguments: alice + ["append", "--jsonl", "--batch", "--batch-size", "5"], status: 64, expected: ["not both"]),
            MalformedInput(name: "batch size 0", arguments: alice + ["append", "--jsonl", "--batch-size", "0"], status: 64, expected: ["--batch-size must be at least 1"]),
            MalformedInput(name: "event type with a space", arguments: alice + ["append", "--type", "deploy note", "--stream", "svc"], status: 2, expected: ["[invalid-event]", "event type and stream must be"]),
            MalformedInput(name: "stream with a bidi override", arguments: alice + ["append", "--type", "deploy.note", "--stream", "svc\u{202E}gpj"], status: 2, expected: ["[invalid-event]"]),
            MalformedInput(name: "reserved system stream", arguments: alice + ["append", "--type", "deploy.note", "--stream", "$keys"], status: 2, expected: ["[invalid-event]"]),
            MalformedInput(name: "workflow event type by raw append", arguments: alice + ["append", "--type", "vote.cast", "--stream", "req-1"], status: 2, expected: ["[invalid-event]", "approval workflow"]),
            MalformedInput(name: "idempotency key with a space", arguments: alice + note + ["--idempotency-key", "run 981"], status: 2, expected: ["[invalid-event]", "idempotency key"]),
            MalformedInput(name: "correlation id of 300 characters", arguments: alice + note + ["--correlation-id", String(repeating: "c", count: 300)], status: 2, expected: ["[invalid-event]", "correlation id"]),
            MalformedInput(name: "--as an identity the key is not registered to", arguments: alice + ["--as", "ro\u{202E}ot"] + note, status: 2, expected: ["[key-not-allowed]", "\\u{202e}"]),
            MalformedInput(name: "registering an invalid identity", arguments: root + ["key", "register", "--identity", "bad identity", "--public-key", "alice.pem.pub"], status: 2, expected: ["[invalid-event]", "identity"]),
            MalformedInput(name: "unknown capability", arguments: root + ["key", "register", "--identity", "eve", "--public-key", "alice.pem.pub", "--capability", "superuser"], status: 64, expected: ["unknown capability 'superuser'"]),
            MalformedInput(name: "risk input without =", arguments: alice + ["request", "open", "--action", "deploy.promote", "--resource", "svc/x", "--env", "prod", "--summary", "s", "--risk", "blast_radius"], status: 64, expected: ["--risk takes FACTOR=VALUE"]),
            MalformedInput(name: "risk input given twice", arguments: alice + ["request", "open", "--action", "deploy.promote", "--resource", "svc/x", "--env", "prod", "--summary", "s", "--risk", "blast_radius=1", "--risk", "blast_radius=90"], status: 64, expected: ["--risk blast_radius is given twice"]),
            MalformedInput(name: "action with a space", arguments: alice + ["request", "open", "--action", "deploy promote", "--resource", "svc/x", "--env", "prod", "--summary", "s"], status: 3, expected: ["[invalid-request]"]),
            MalformedInput(name: "resource with a control character", arguments: alice + ["request", "open", "--action", "deploy.promote", "--resource", "svc/x\u{1B}[2J", "--env", "prod", "--summary", "s"], status: 3, expected: ["[invalid-request]", "printable"]),
            MalformedInput(name: "summary over 4096 bytes", arguments: alice + ["request", "open", "--action", "deploy.promote", "--resource", "svc/x", "--env", "prod", "--summary", long], status: 3, expected: ["[invalid-request]", "the limit is 4096"]),
            MalformedInput(name: "change digest that is not a SHA-256", arguments: alice + ["request", "open", "--action", "deploy.promote", "--resource", "svc/x", "--env", "prod", "--summary", "s", "--change-digest", "ABC"], status: 3, expected: ["[invalid-request]", "64 lowercase hex"]),
            MalformedInput(name: "vote reason over 4096 bytes", arguments: ["--ledger", "ops.ledger", "--key", "bob.pem", "approve", "req-0000000000", "--reason", long], status: 3, expected: ["[invalid-request]", "the limit is 4096"]),
            MalformedInput(name: "wait timeout that is not a duration", arguments: ["--ledger", "ops.ledger", "request", "wait", "req-0000000000", "--timeout", "forever"], status: 64, expected: ["is not a duration"]),
        ]
    }

    static var payloadCases: [MalformedInput] {
        func payload(_ name: String, _ text: String, _ expected: [String], status: Int32 = 2) -> MalformedInput {
            MalformedInput(name: name, arguments: alice + note + ["--payload", text], status: status, expected: expected)
        }
        return [
            payload("duplicate key", #"{"a":1,"a":2}"#, ["[duplicate-key]"]),
            payload("duplicate key after unescaping", #"{"a":1,"\u0061":2}"#, ["[duplicate-key]"]),
            payload("an array, not an object", "[1,2]", ["[invalid-event]", "must be a JSON object"]),
            payload("NaN", #"{"n":NaN}"#, ["[unexpected-character]"]),
            payload("number overflowing a double", #"{"n":1e400}"#, ["[number-out-of-range]"]),
            payload("integer beyond 2^53-1", #"{"n":9007199254740993}"#, ["[number-out-of-range]", "send it as a string"]),
            payload("1e20, whose canonical form is an unsafe integer (found by fuzzing)", #"{"n":1e20}"#, ["[invalid-event]", "send it as a string"]),
            payload("lone surrogate", #"{"s":"\ud800"}"#, ["[lone-surrogate]"]),
            payload("trailing data", #"{"a":1} {"b":2}"#, ["[trailing-data]"]),
            payload("single quotes", "{'a':1}", ["[unexpected-character]"]),
            payload("leading zero", #"{"n":012}"#, ["[invalid-number]"]),
            payload("raw control character in a string", "{\"s\":\"a\u{01}b\"}", ["[control-character]"]),
            payload("65 levels of nesting", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), ["[too-deep]"]),
            payload("65 levels under an object", "{\"a\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}", ["[too-deep]", "nesting deeper than 64"]),
            payload("byte order mark", "\u{FEFF}{}", ["[unexpected-character]"]),
        ]
    }

    static var jsonlCases: [MalformedInput] {
        func line(_ name: String, _ bytes: [UInt8], status: Int32, _ expected: [String], batch: Bool = false) -> MalformedInput {
            MalformedInput(name: name, arguments: alice + ["append", "--jsonl"] + (batch ? ["--batch"] : []), stdin: bytes, status: status, expected: expected)
        }
        let good = #"{"type":"deploy.note","stream":"svc","payload":{}}"#
        return [
            line("invalid UTF-8", Array(#"{"type":"deploy.note","stream":"svc","payload":{"s":""#.utf8) + [0xC3, 0x28] + Array("\"}}\n".utf8), status: 64, ["stdin line 1", "invalid UTF-8"]),
            line("unknown field", Array(#"{"type":"deploy.note","stream":"svc","payload":{},"sudo":true}"#.utf8 + [0x0A]), status: 2, ["[unknown-field]", "sudo"]),
            line("missing payload", Array(#"{"type":"deploy.note","stream":"svc"}"#.utf8 + [0x0A]), status: 2, ["[missing-field]", "payload"]),
            line("type that is a number", Array(#"{"type":7,"stream":"svc","payload":{}}"#.utf8 + [0x0A]), status: 2, ["[invalid-field]", "type"]),
            line("expectedVersion 1.5", Array(#"{"type":"deploy.note","stream":"svc","payload":{},"expectedVersion":1.5}"#.utf8 + [0x0A]), status: 2, ["[invalid-field]", "expectedVersion"]),
            line("expectedVersion true", Array(#"{"type":"deploy.note","stream":"svc","payload":{},"expectedVersion":true}"#.utf8 + [0x0A]), status: 2, ["[invalid-field]", "expectedVersion"]),
            line("expectedVersion \"-3\"", Array(#"{"type":"deploy.note","stream":"svc","payload":{},"expectedVersion":"-3"}"#.utf8 + [0x0A]), status: 64, ["expected version must be"]),
            line("a line that is not an object", Array("[\"deploy.note\"]\n".utf8), status: 2, ["[invalid-field]", "must be a JSON object"]),
            line("a line over 1 MiB", Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 10) + [0x0A], status: 64, ["stdin line 1 is longer than 1048576 bytes"]),
            line("a payload over 256 KiB", Array((#"{"type":"deploy.note","stream":"svc","payload":{"big":""# + String(repeating: "x", count: 300_000) + "\"}}\n").utf8), status: 2, ["[payload-too-large]"]),
            line("byte order mark", [0xEF, 0xBB, 0xBF] + Array((good + "\n").utf8), status: 64, ["stdin line 1", "invalid JSON at byte 0"]),
            line("a bad line ends a batch before anything is written", Array((good + "\n" + good + "\n{\n").utf8), status: 64, ["stdin line 3"], batch: true),
        ]
    }

    static var policyCases: [MalformedInput] {
        func policy(_ name: String, _ bytes: [UInt8], _ expected: [String], status: Int32 = 2) -> MalformedInput {
            let file = "policy-\(name.filter(\.isLetter).prefix(24)).yaml"
            return MalformedInput(name: name, files: [file: .bytes(bytes)], arguments: root + ["policy", "publish", file], status: status, expected: expected)
        }
        func yaml(_ name: String, _ text: String, _ expected: [String]) -> MalformedInput { policy(name, Array(text.utf8), expected) }
        let head = "version: 1\nname: p\ngroups:\n  sre: [bob]\n"
        let rule = "rules:\n  - name: r\n    require: {groups: {sre: 1}}\n"
        var laughs = "version: 1\nname: laughs\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...10 { laughs += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n" }
        return [
            yaml("empty file", "", ["the file is empty"]),
            yaml("not YAML", "version: [1\n", ["not valid YAML"]),
            yaml("billion laughs", laughs, ["anchors and aliases"]),
            yaml("unknown key", head + rule + "colour: blue\n", ["unknown key 'colour'"]),
            yaml("unsupported schema version", "version: 2\nname: p\n" + rule, ["policy schema version 2 is not supported"]),
            yaml("member with a bidi override", "version: 1\nname: p\ngroups:\n  sre: [\"b\\u202Eob\"]\n" + rule, ["is not a valid identity", "\\u{202e}"]),
            yaml("duplicate key", head + "name: q\n" + rule, ["duplicated key(s): 'name'"]),
            yaml("two documents", head + rule + "---\n" + head + rule, ["not valid YAML", "single document"]),
            yaml("duration that is not one", head + rule + "    ttl: forever\n", ["'forever' is not a duration"]),
            yaml("nesting 5,000 deep", String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), ["not valid YAML"]),
            yaml("rule that requires nobody", head + "rules:\n  - name: r\n    require: {total: 0}\n", ["requires no approvals"]),
            policy("not UTF-8", Array(head.utf8) + [0xFF, 0xFE] + Array(rule.utf8), ["the file is not UTF-8 text"]),
            policy("over 1 MiB", Array((head + rule + "# " + String(repeating: "x", count: 1 << 20) + "\n").utf8), ["larger than 1 MiB"]),
            MalformedInput(name: "missing file", arguments: root + ["policy", "publish", "nowhere.yaml"], status: 2, expected: ["[not-found]", "cannot read policy file"]),
        ]
    }

    static var keyFileCases: [MalformedInput] {
        let edPEM = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHCuXdkV1nreL8jNaUlOOXq/2MunzXgW7OGxsZFqiwS7\n-----END PRIVATE KEY-----\n"
        let ecPEM = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgK7tUtbehvajxc2ag
            m/tFNl0oVFZbgnzgKAVoCuBsafmhRANCAASBSifxJ/hC0ammX3k6TEWxTnD5d4Tj
            seooDFvqzdz80UqkcjNKktIoxntx1orfeh+cOgfXc79KbKIbvPSRoWB5
            -----END PRIVATE KEY-----

            """
        let publicPEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAQKPKuAX1EuuoZIaMUl1IXx31+iD16zyxTa2rwYS76eY=\n-----END PUBLIC KEY-----\n"
        func key(_ name: String, _ file: String, _ bytes: [UInt8], mode: Int = 0o600, _ expected: [String]) -> MalformedInput {
            MalformedInput(name: name, files: [file: .bytes(bytes, mode: mode)], arguments: ["--ledger", "ops.ledger", "--key", file] + note, status: 2, expected: expected)
        }
        return [
            key("world-readable private key", "open.pem", Array(edPEM.utf8), mode: 0o644, ["[insecure-key-file]", "chmod 600"]),
            key("group-writable private key", "group.pem", Array(edPEM.utf8), mode: 0o620, ["[insecure-key-file]"]),
            key("not PEM", "garbage.pem", Array("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 alice@laptop\n".utf8), ["[invalid-pem]"]),
            key("empty file", "empty.pem", [], ["[invalid-pem]"]),
            key("a public key where the private key goes", "public.pem", Array(publicPEM.utf8), ["[invalid-pem]"]),
            key("an EC P-256 key, not Ed25519", "ec.pem", Array(ecPEM.utf8), ["[invalid-key]"]),
            key("PEM with its base64 cut short", "cut.pem", Array("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2Vw\n-----END PRIVATE KEY-----\n".utf8), ["[invalid-"]),
            key("100 KiB file", "huge.pem", Array(repeating: UInt8(ascii: "A"), count: 100 * 1024), ["[key-file-io]", "larger than 64 KiB"]),
            MalformedInput(name: "missing key file", arguments: ["--ledger", "ops.ledger", "--key", "nowhere.pem"] + note, status: 2, expected: ["[key-file-io]", "nowhere.pem"]),
            MalformedInput(
                name: "garbage public key to register", files: ["bad.pub": .bytes(Array("not a key\n".utf8), mode: 0o644)],
                arguments: root + ["key", "register", "--identity", "eve", "--public-key", "bad.pub"], status: 2, expected: ["[invalid-pem]"]),
        ]
    }

    static var checkpointCases: [MalformedInput] {
        func anchor(_ name: String, _ file: MalformedInput.File, _ expected: [String]) -> MalformedInput {
            let path = "anchor-\(name.filter(\.isLetter).prefix(24)).checkpoint"
            return MalformedInput(name: name, files: [path: file], arguments: ["--ledger", "ops.ledger", "verify", "--anchor", path], status: 2, expected: expected)
        }
        func edited(_ name: String, _ expected: [String], _ edit: @escaping (String) -> String) -> MalformedInput {
            anchor(name, .checkpoint(edit: edit), expected)
        }
        func replacing(_ pattern: String, with template: String) -> (String) -> String {
            { text in text.replacingOccurrences(of: pattern, with: template, options: .regularExpression) }
        }
        return [
            edited("signature with one digit changed", ["[bad-signature]", "does not verify"]) { text in
                guard let range = text.range(of: #""signature":""#) else { return text }
                let digit = range.upperBound...range.upperBound
                return text.replacingCharacters(in: digit, with: text[digit] == "0" ? "1" : "0")
            },
            edited("unknown member", ["[unknown-field]", "merkleRoot"], replacing("^\\{", with: #"{"merkleRoot":"00","#)),
            edited("duplicate member", ["[invalid-json]", "duplicate"], replacing("^\\{", with: #"{"v":1,"#)),
            edited("format version 2", ["[unsupported-version]"], replacing(#""v":1"#, with: #""v":2"#)),
            edited("size 0", ["[invalid-field]", "size"], replacing(#""size":[0-9]+"#, with: #""size":0"#)),
            edited("size as a string", ["[invalid-field]", "size"], replacing(#""size":([0-9]+)"#, with: #""size":"$1""#)),
            edited("uppercase head hash", ["[invalid-field]", "lowercase hex"]) { text in
                guard let range = text.range(of: #""headHash":"[0-9a-f]{64}""#, options: .regularExpression) else { return text }
                return text.replacingCharacters(in: range, with: text[range].uppercased().replacingOccurrences(of: "HEADHASH", with: "headHash"))
            },
            edited("key id of another key", ["[invalid-field]", "does not match its publicKey"], replacing(#""keyId":"ed25519:[0-9a-f]{32}""#, with: #""keyId":"ed25519:00000000000000000000000000000000""#)),
            edited("wrong type", ["[invalid-field]", "type"], replacing(#""type":"approval-ledger.checkpoint""#, with: #""type":"approval-ledger.bundle""#)),
            edited("nested 5 deep", ["[invalid-json]", "nesting deeper than 4"], replacing("^\\{", with: #"{"x":[[[[1]]]],"#)),
            anchor("empty file", .bytes([]), ["[invalid-json]"]),
            anchor("100 KiB of spaces", .bytes(Array(repeating: 0x20, count: 100 * 1024)), ["[invalid-json]", "the limit is 65536"]),
            MalformedInput(name: "an endless file (/dev/zero)", arguments: ["--ledger", "ops.ledger", "verify", "--anchor", "/dev/zero"], status: 2, expected: ["[not-a-regular-file]", "is a device"]),
            MalformedInput(name: "missing file", arguments: ["--ledger", "ops.ledger", "verify", "--anchor", "nowhere.checkpoint"], status: 2, expected: ["[not-found]", "cannot read checkpoint file"]),
        ]
    }

    /// Every file the CLI reads, named as a FIFO, a directory or a device: refused before one
    /// byte is read, never waited on. (`verify --bundle` meets FIFOs inside a bundle as
    /// findings: see `bundleCases`.)
    static var notARegularFileCases: [MalformedInput] {
        func fifo(_ name: String, _ file: String, _ arguments: [String], _ expected: [String], mode: Int = 0o600) -> MalformedInput {
            MalformedInput(name: name, files: [file: .fifo(mode: mode)], arguments: arguments, status: 2, expected: expected)
        }
        let refused = ["[not-a-regular-file]", "is a FIFO (named pipe), not a regular file"]
        let keyRefused = ["[key-file-io]", "is not a regular file"]
        return [
            fifo("policy check of a FIFO", "policy-check.fifo", ["policy", "check", "policy-check.fifo"], refused + ["policy file"]),
            fifo("policy publish of a FIFO", "policy-publish.fifo", root + ["policy", "publish", "policy-publish.fifo"], refused + ["policy file"]),
            fifo("verify --anchor FIFO", "anchor.fifo", ["--ledger", "ops.ledger", "verify", "--anchor", "anchor.fifo"], refused + ["checkpoint file"]),
            fifo("verify --since-checkpoint FIFO", "since.fifo", ["--ledger", "ops.ledger", "verify", "--since-checkpoint", "since.fifo"], refused + ["checkpoint file"]),
            fifo("export --anchor FIFO", "export-anchor.fifo", ["--ledger", "ops.ledger", "export", "--format", "csv", "--out", "never.csv", "--anchor", "export-anchor.fifo"], refused),
            fifo("--key naming a FIFO", "key.fifo", ["--ledger", "ops.ledger", "--key", "key.fifo"] + note, keyRefused),
            fifo("export --key naming a FIFO", "export-key.fifo", ["--ledger", "ops.ledger", "--key", "export-key.fifo", "export", "--format", "bundle", "--out", "never-bundle"], keyRefused),
            fifo("key register --public-key FIFO", "public.fifo", root + ["key", "register", "--identity", "eve", "--public-key", "public.fifo"], keyRefused, mode: 0o644),
            fifo("key show of a FIFO", "show.fifo", ["key", "show", "show.fifo"], refused + ["key file"], mode: 0o644),
            fifo("--ledger naming a FIFO", "ledger.fifo", ["--ledger", "ledger.fifo", "log"], refused + ["ledger 'ledger.fifo'"]),
            fifo("init over a FIFO", "init.fifo", ["--ledger", "init.fifo", "--key", "root.pem", "init"], refused + ["ledger 'init.fifo'"]),
            fifo("demo --dir naming a FIFO", "demo.fifo", ["demo", "--dir", "demo.fifo"], ["[already-exists]", "is not a directory"]),
            MalformedInput(name: "--ledger naming a directory", arguments: ["--ledger", ".", "log"], status: 2, expected: ["[not-a-regular-file]", "is a directory"]),
            MalformedInput(name: "a policy that is a device", arguments: ["policy", "check", "/dev/zero"], status: 2, expected: ["[not-a-regular-file]", "is a device"]),
        ]
    }

    static var bundleCases: [MalformedInput] {
        /// `ledger verify --bundle` on an edited copy of the good bundle: findings, exit 1.
        func bundle(_ name: String, _ report: [String], _ edit: @escaping (String) throws -> Void) -> MalformedInput {
            let path = "bundle-\(name.filter(\.isLetter).prefix(24))"
            return MalformedInput(name: name, files: [path: .bundle(edit: edit)], arguments: ["verify", "--bundle", path], status: 1, report: ["NOT VERIFIED"] + report)
        }
        func write(_ text: String, to path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        func edit(_ path: String, _ change: (String) -> String) throws {
            try write(change(try String(contentsOfFile: path, encoding: .utf8)), to: path)
        }
        return [
            MalformedInput(
                name: "a file, not a bundle directory", files: ["bundle.tar": .bytes(Array("not a directory".utf8))],
                arguments: ["verify", "--bundle", "bundle.tar"], status: 2, expected: ["[not-a-bundle]"]),
            bundle("no manifest", []) { try FileManager.default.removeItem(atPath: $0 + "/manifest.json") }
                .with(status: 2, expected: ["[not-a-bundle]", "no manifest.json"]),
            bundle("manifest that is not JSON", ["bundle-manifest-invalid"]) { try write("manifest\n", to: $0 + "/manifest.json") },
            bundle("manifest with an unknown member", ["bundle-manifest-invalid", "unknown field"]) { path in
                try edit(path + "/manifest.json") { $0.replacingOccurrences(of: "{\"files\"", with: "{\"extra\":1,\"files\"") }
            },
            bundle("manifest over 1 MiB", ["bundle-manifest-invalid", "larger than 1 MiB"]) { try write(String(repeating: " ", count: (1 << 20) + 10), to: $0 + "/manifest.json") },
            bundle("manifest listing a path out of the bundle", ["bundle-manifest-invalid", "not a valid bundle path"]) { path in
                try edit(path + "/manifest.json") { $0.replacingOccurrences(of: "\"path\":\"README.md\"", with: "\"path\":\"../README.md\"") }
            },
            bundle("an event line with a duplicate member", ["bundle-line-invalid", "bundle-file-mismatch"]) { path in
                try edit(path + "/events.jsonl") { $0.replacingOccurrences(of: "{\"envelope\"", with: "{\"seq\":1,\"envelope\"") }
            },
            bundle("the last event cut off", ["bundle-file-mismatch", "bundle-head-mismatch"]) { path in
                try edit(path + "/events.jsonl") { text in text.split(separator: "\n").dropLast().map { $0 + "\n" }.joined() }
            },
            bundle("no events.jsonl", ["bundle-file-missing"]) { try FileManager.default.removeItem(atPath: $0 + "/events.jsonl") },
            bundle("a file the manifest does not list", ["bundle-file-unlisted"]) { try write("#!/bin/sh\n", to: $0 + "/run-me.sh") },
            bundle("a FIFO in the bundle, which is never opened", ["bundle-file-unlisted", "not a regular file"]) { path in
                guard mkfifo(path + "/pipe", 0o600) == 0 else { throw POSIXError(.EIO) }
            },
            bundle("manifest.json as a FIFO, which is never opened", ["bundle-manifest-invalid", "not a regular file"]) { path in
                try FileManager.default.removeItem(atPath: path + "/manifest.json")
                guard mkfifo(path + "/manifest.json", 0o600) == 0 else { throw POSIXError(.EIO) }
            },
            bundle("a checkpoint with a changed signature", ["bundle-checkpoint-invalid", "bundle-unanchored"]) { path in
                let directory = path + "/checkpoints"
                for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                    // A JSON checkpoint's signature, and a note's signature line (renamed away from its origin).
                    try edit(directory + "/" + name) {
                        $0.replacingOccurrences(of: "\"signature\":\"", with: "\"signature\":\"00").replacingOccurrences(of: "\n\u{2014} ", with: "\n\u{2014} x")
                    }
                }
            },
        ]
    }
}

extension MalformedInput {
    /// The same case with another exit status and stderr, and no report.
    func with(status: Int32, expected: [String]) -> MalformedInput {
        MalformedInput(name: name, files: files, arguments: arguments, stdin: stdin, status: status, expected: expected, report: nil)
    }
}
