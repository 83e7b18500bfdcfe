import Foundation
import LedgerCrypto
import LedgerFormat
import TestSupport
import Testing

/// Recomputes docs/FORMAT.md's worked example, and checks its member tables, with the library,
/// so the specification an auditor reads cannot drift from the code that writes ledgers.
///
/// The example's values live in fenced code blocks whose info string is `<lang> example=<name>`;
/// a block's value is its lines joined by line feeds, without a final one.
@Suite("docs/FORMAT.md matches the library")
struct FormatDocTests {
    let doc: String
    let blocks: [String: String]

    init() throws {
        doc = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        blocks = try Self.exampleBlocks(doc)
    }

    static func exampleBlocks(_ doc: String) throws -> [String: String] {
        var blocks: [String: String] = [:]
        var current: (name: String, lines: [Substring])?
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if var open = current {
                if line == "```" {
                    #expect(blocks[open.name] == nil, "two blocks are labelled example=\(open.name)")
                    blocks[open.name] = open.lines.joined(separator: "\n")
                    current = nil
                } else {
                    open.lines.append(line)
                    current = open
                }
            } else if line.hasPrefix("```"), let label = line.split(separator: " ").first(where: { $0.hasPrefix("example=") }) {
                current = (String(label.dropFirst("example=".count)), [])
            }
        }
        try #require(current == nil, "unterminated example block")
        return blocks
    }

    func block(_ name: String) throws -> String {
        try #require(blocks[name], "docs/FORMAT.md has no block labelled example=\(name)")
    }

    func bytes(_ name: String) throws -> [UInt8] { Array(try block(name).utf8) }

    /// The example's signing key, from its seed.
    func key() throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: try #require(Hex.decode(try block("seed"))))
    }

    /// The genesis payload the document shows, decoded and checked by the library.
    func genesis() throws -> Genesis {
        try Genesis(JSONParser.parse(try bytes("payload")))
    }

    /// The envelope the document shows, decoded (which also proves it canonical).
    func envelope() throws -> EventEnvelope {
        try EventEnvelope(canonicalBytes: try bytes("envelope"))
    }

    // MARK: The worked example

    @Test func keyEncodingsAndKeyID() throws {
        let key = try key()
        #expect(Hex.encode(key.publicKey.rawRepresentation) == (try block("public-key")))
        #expect(key.publicKey.pemRepresentation == (try block("public-key-pem")) + "\n")
        #expect(key.publicKey.keyID.rawValue == (try block("key-id")))
        let fromPEM = try Ed25519PrivateKey(pemRepresentation: Array((try block("private-key-pem") + "\n").utf8))
        #expect(fromPEM.publicKey == key.publicKey)
        #expect(try key.pemRepresentation() == Array((try block("private-key-pem") + "\n").utf8))
        #expect(try Ed25519PublicKey(pemRepresentation: try block("public-key-pem")) == key.publicKey)
    }

    @Test func payloadIsTheCanonicalGenesisOfTheKey() throws {
        let key = try key()
        let genesis = try genesis()
        let rebuilt = Genesis(
            ledgerID: genesis.ledgerID,
            rootKey: KeyRegistration(publicKey: key.publicKey, identity: genesis.rootKey.identity, capabilities: [.admin]))
        #expect(CanonicalJSON.encode(rebuilt.jsonValue) == (try bytes("payload")))
        #expect(SHA256.hash(try bytes("payload")).hex == (try block("payload-hash")))
        #expect(doc.contains("(canonical, \(try bytes("payload").count) bytes, no final LF)"))
    }

    @Test func envelopeIsTheGenesisEnvelope() throws {
        let key = try key()
        let decoded = try envelope()
        let expected = EventEnvelope(
            seq: 1, type: KeyEvents.genesisType, stream: KeyEvents.ledgerStream, streamVersion: 1,
            actor: try genesis().rootKey.identity, keyID: key.publicKey.keyID, time: decoded.time,
            previousHash: .zero, payloadHash: SHA256.hash(try bytes("payload")))
        #expect(decoded == expected)
        #expect(expected.canonicalBytes == (try bytes("envelope")))
    }

    @Test func hashPreimageHashAndSignature() throws {
        let key = try key()
        let envelopeBytes = try bytes("envelope")
        #expect(try bytes("event-preimage") == DomainSeparation.event + envelopeBytes)
        #expect(DomainSeparation.event == Array("approval-ledger/event/v1\n".utf8))
        #expect(doc.contains("The prefix is the \(DomainSeparation.event.count) bytes `\(Hex.encode(DomainSeparation.event))`"))

        let hash = DomainSeparation.eventHash(envelopeBytes: envelopeBytes)
        #expect(hash.hex == (try block("event-hash")))
        #expect(SHA256.hash(try bytes("event-preimage")) == hash)

        let event = try RecordedEvent.seal(try envelope(), payloadBytes: try bytes("payload"), signer: key)
        #expect(event.hash == hash)
        #expect(Hex.encode(event.signature) == (try block("signature")))
        #expect(key.publicKey.isValidSignature(try #require(Hex.decode(try block("signature"))), for: hash.bytes))
    }

    /// The line `ledger log --format json` prints (built here as `EventJSON` builds it).
    @Test func jsonLinesLine() throws {
        let key = try key()
        let event = try RecordedEvent.seal(try envelope(), payloadBytes: try bytes("payload"), signer: key)
        var object = JSONObject()
        object["seq"] = .integer(event.envelope.seq)
        object["hash"] = .string(event.hash.hex)
        object["signature"] = .string(Hex.encode(event.signature))
        object["envelope"] = event.envelope.jsonValue
        object["payload"] = try event.payload() ?? .null
        #expect(CanonicalJSON.encode(.object(object)) == (try bytes("json-lines")))

        // What an auditor does with the line: re-canonicalize its parts.
        let line = try JSONParser.parse(try bytes("json-lines"))
        #expect(CanonicalJSON.encode(try #require(line["envelope"])) == (try bytes("envelope")))
        #expect(CanonicalJSON.encode(try #require(line["payload"])) == (try bytes("payload")))
    }

    @Test func checkpointOfTheGenesis() throws {
        let key = try key()
        let statement = try JSONParser.parse(try bytes("checkpoint-statement"))
        let timeText = try #require(statement["time"]?.stringValue)
        let time = try #require(Timestamp(timeText))
        let checkpoint = try Checkpoint.sign(
            ledgerID: try genesis().ledgerID, size: 1, headHash: DomainSeparation.eventHash(envelopeBytes: try bytes("envelope")),
            time: time, key: key)
        #expect(CanonicalJSON.encode(checkpoint.statement) == (try bytes("checkpoint-statement")))
        #expect(checkpoint.checkpointHash == DomainSeparation.checkpointHash(statementBytes: try bytes("checkpoint-statement")))
        #expect(checkpoint.checkpointHash.hex == (try block("checkpoint-hash")))
        #expect(Hex.encode(checkpoint.signature) == (try block("checkpoint-signature")))
        #expect(checkpoint.fileBytes == (try bytes("checkpoint-file")) + [0x0A])
        #expect(DomainSeparation.checkpoint == Array("approval-ledger/checkpoint/v1\n".utf8))
        #expect(doc.contains("the \(DomainSeparation.checkpoint.count)-byte prefix `\(Hex.encode(DomainSeparation.checkpoint))`"))

        // A reader accepts the file with and without its final line feed.
        #expect(try Checkpoint(fileBytes: try bytes("checkpoint-file") + [0x0A]) == checkpoint)
        #expect(try Checkpoint(fileBytes: try bytes("checkpoint-file")) == checkpoint)
    }

    @Test func shellSessionUsesTheExampleValues() throws {
        let shell = try block("shell")
        let keyID = try block("key-id")
        #expect(keyID.hasPrefix(KeyID.prefix))
        let quoted = [
            "'\(try block("payload"))' | sha256sum",
            "printf '%s' '\(try block("envelope"))'",
            "printf '%s' '\(try block("checkpoint-statement"))'",
            try block("public-key-pem"),
            "# \(try block("public-key"))",
            "# \(keyID.dropFirst(KeyID.prefix.count))",
            "# \(try block("payload-hash"))  -",
            "# \(try block("event-hash"))  -",
            "printf '%s' \(try block("event-hash")) | xxd -r -p > hash.bin",
            "printf '%s' \(try block("signature")) | xxd -r -p > sig.bin",
            "# \(try block("checkpoint-hash"))  -",
            "printf '%s' \(try block("checkpoint-hash")) | xxd -r -p > checkpoint-hash.bin",
            "printf '%s' \(try block("checkpoint-signature")) | xxd -r -p > checkpoint-sig.bin",
        ]
        for text in quoted {
            #expect(shell.contains(text), "the shell session does not contain \(text)")
        }
    }

    // MARK: The member tables

    /// The backquoted first cells of the first table after `heading`.
    func tableNames(under heading: String) throws -> [String] {
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: Substring(heading)), "no heading \(heading)")
        var names: [String] = []
        var inTable = false
        for line in lines[(start + 1)...] {
            if line.hasPrefix("|") {
                inTable = true
                let cell = line.dropFirst().prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
                if cell.hasPrefix("`"), cell.hasSuffix("`"), cell.count > 2 { names.append(String(cell.dropFirst().dropLast())) }
            } else if inTable {
                break
            }
        }
        return names
    }

    @Test func envelopeTableListsEveryMember() throws {
        let full = EventEnvelope(
            seq: 1, type: "t", stream: "s", streamVersion: 1, actor: "a", keyID: try key().publicKey.keyID,
            time: Timestamp(millisecondsSinceEpoch: 0), previousHash: .zero, payloadHash: .zero,
            idempotencyKey: "i", correlationID: "c", origin: .relayed(via: "token:t"))
        #expect(Set(try tableNames(under: "## Envelope")) == Set(try #require(full.jsonValue.objectValue).keys))
    }

    @Test func payloadAndCheckpointTablesListEveryMember() throws {
        let key = try key()
        let registration = KeyRegistration(publicKey: key.publicKey, identity: "root", capabilities: [.admin])
        let genesis = Genesis(ledgerID: "l", rootKey: registration)
        let revocation = KeyRevocation(keyID: key.publicKey.keyID, reason: "r")
        let checkpoint = try Checkpoint.sign(
            ledgerID: "l", size: 1, headHash: .zero, time: Timestamp(millisecondsSinceEpoch: 0), key: key)
        let cases: [(String, JSONValue)] = [
            ("### Genesis", genesis.jsonValue),
            ("### Key registration", registration.jsonValue),
            ("### Key revocation", revocation.jsonValue),
            ("## Checkpoints", checkpoint.statement),
        ]
        for (heading, value) in cases {
            #expect(Set(try tableNames(under: heading)) == Set(try #require(value.objectValue).keys), "\(heading)")
        }
    }

    @Test func capabilityTableMatchesTheRules() throws {
        #expect(try tableNames(under: "## Capabilities") == Capability.all.map(\.rawValue))
        let lines = doc.split(separator: "\n").filter { line in Capability.all.contains { line.hasPrefix("| `\($0.rawValue)` |") } }
        #expect(lines.count == Capability.all.count)
        for line in lines {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let capability = Capability(rawValue: String(cells[0].dropFirst().dropLast()))
            // The last cell names the type prefixes that require this capability, in backquotes.
            let prefixes = cells[cells.count - 1].split(separator: "`", omittingEmptySubsequences: false)
                .enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            // `relay` is judged on events with an origin, whatever their type.
            if capability == .relay {
                #expect(prefixes.isEmpty)
                continue
            }
            #expect(!prefixes.isEmpty, "no type prefix for \(capability)")
            for prefix in prefixes where !prefix.contains(".") {
                #expect(Capability.required(forEventType: "\(prefix).x") == capability, "\(prefix) requires \(capability)")
            }
        }
    }

    @Test("§System events: the table is the stream rule the verifier applies, in both directions")
    func systemEventTableIsTheStreamRule() throws {
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "## System events"))
        let rows = lines[(start + 1)...].prefix { !$0.hasPrefix("### ") }.filter { $0.hasPrefix("| `") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
        }
        #expect(rows.map { $0[0] } == ["ledger.genesis", "key.registered", "key.revoked", "policy.published", "payload.redacted", "identity.linked", "identity.unlinked"])
        #expect(Set(rows.map { $0[1] }) == Set(SystemStreams.all))
        for row in rows {
            #expect(SystemStreams.violation(type: row[0], stream: row[1]) == nil, "\(row[0]) in \(row[1])")
            #expect(SystemStreams.violation(type: row[0], stream: "req-1") != nil, "\(row[0]) outside \(row[1])")
            #expect(SystemStreams.violation(type: "deploy.note", stream: row[1]) != nil, "another type in \(row[1])")
        }
        #expect(SystemStreams.violation(type: "deploy.note", stream: "$mine") != nil)
    }

    @Test func consequenceTypesNeedNoCapability() throws {
        let types = try tableNames(under: "### Consequence types")
        #expect(Set(types) == Capability.consequenceTypes)
        #expect(types.count == Capability.consequenceTypes.count)
        let keyWithoutCapabilities = KeyRegistration(publicKey: try key().publicKey, identity: "bot", capabilities: [])
        for type in types {
            #expect(Capability.required(forEventType: type) == nil, "\(type) needs no capability")
            #expect(keyWithoutCapabilities.allows(eventType: type))
        }
    }
}
