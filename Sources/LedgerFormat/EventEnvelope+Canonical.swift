internal import LedgerCrypto

// The envelope's canonical bytes, written and read directly.
//
// Every event is encoded once when appended and decoded once per read and per verification, so
// these two paths are the format's hot loop. Going through a `JSONValue` tree cost more than
// the SHA-256 and most of the SQLite work around them. The envelope's fields are fixed, so its
// RFC 8785 form is known in advance: members in this order (UTF-16 order of the names, all
// ASCII), integers as plain decimals, strings escaped as `CanonicalJSON.writeString` does.
// `EventEnvelopeTests` checks both paths against the generic encoder and parser.

extension EventEnvelope {
    /// The RFC 8785 canonical bytes: exactly what is hashed and stored.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(400)
        writeCanonical(into: &output)
        return output
    }

    /// Appends the canonical bytes to `output`.
    public func writeCanonical(into output: inout [UInt8]) {
        func member(_ name: StaticString, first: Bool = false) {
            output.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func quotedHex(_ bytes: [UInt8]) {
            output.append(UInt8(ascii: "\""))
            Hex.write(bytes, into: &output)
            output.append(UInt8(ascii: "\""))
        }
        member("actor", first: true)
        CanonicalJSON.writeString(actor, into: &output)
        if let correlationID {
            member("correlationId")
            CanonicalJSON.writeString(correlationID, into: &output)
        }
        if let idempotencyKey {
            member("idempotencyKey")
            CanonicalJSON.writeString(idempotencyKey, into: &output)
        }
        member("keyId")
        CanonicalJSON.writeString(keyID.rawValue, into: &output)
        if let origin {
            member("origin")
            CanonicalJSON.write(origin.jsonValue, into: &output)
        }
        member("payloadHash")
        quotedHex(payloadHash.bytes)
        member("prevHash")
        quotedHex(previousHash.bytes)
        member("seq")
        Self.writeInteger(seq, into: &output)
        member("stream")
        CanonicalJSON.writeString(stream, into: &output)
        member("streamVersion")
        Self.writeInteger(streamVersion, into: &output)
        member("time")
        output.append(UInt8(ascii: "\""))
        time.write(into: &output)
        output.append(UInt8(ascii: "\""))
        member("type")
        CanonicalJSON.writeString(type, into: &output)
        member("v")
        Self.writeInteger(Self.formatVersion, into: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// An integer in ECMAScript form; envelope integers are within I-JSON's exact range.
    private static func writeInteger(_ value: Int64, into output: inout [UInt8]) {
        guard value >= 0 else { return output.append(contentsOf: String(value).utf8) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = 0x30 + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            output.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// Decodes bytes that are already in canonical form without building a JSON tree; nil
    /// whenever anything is unusual (escapes, non-ASCII, unknown members, wrong types, any
    /// non-canonical detail), so that the general path in `init(canonicalBytes:)` can name
    /// the exact problem. Whatever it accepts, the general path accepts with the same values:
    /// every field passes the same validation, and the scan admits only canonical text —
    /// members in canonical order, each once; strings of printable ASCII without `"` or `\`
    /// (which RFC 8785 writes raw); integers without sign or leading zero — so the bytes are
    /// what `canonicalBytes` would write, without writing them again to compare.
    static func decodeCanonical(_ bytes: [UInt8]) -> EventEnvelope? {
        var fields = DecodedFields()
        let scanned: Bool = bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            guard scanner.take(UInt8(ascii: "{")) else { return false }
            var previousRank = -1
            repeat {
                guard let name = scanner.string(), scanner.take(UInt8(ascii: ":")) else { return false }
                guard let rank = fields.read(name, from: &scanner), rank > previousRank else { return false }
                previousRank = rank
            } while scanner.take(UInt8(ascii: ","))
            return scanner.take(UInt8(ascii: "}")) && scanner.atEnd
        }
        guard scanned, fields.version == formatVersion,
              let seq = fields.seq, seq >= 1, let streamVersion = fields.streamVersion, streamVersion >= 1,
              let type = fields.type, Identifier.isValidToken(type),
              let stream = fields.stream, Identifier.isValidToken(stream),
              let actor = fields.actor, Identifier.isValidIdentity(actor),
              let keyID = fields.keyID.flatMap(KeyID.init), let time = fields.time,
              let previousHash = fields.previousHash, let payloadHash = fields.payloadHash,
              fields.idempotencyKey.map(Identifier.isValidReference) ?? true,
              fields.correlationID.map(Identifier.isValidReference) ?? true
        else { return nil }
        let envelope = EventEnvelope(
            seq: seq, type: type, stream: stream, streamVersion: streamVersion, actor: actor, keyID: keyID, time: time,
            previousHash: previousHash, payloadHash: payloadHash,
            idempotencyKey: fields.idempotencyKey, correlationID: fields.correlationID)
        assert(envelope.canonicalBytes == bytes, "the scan admitted non-canonical envelope bytes")
        return envelope
    }

    /// The members read so far; a member of the wrong type or seen twice fails the fast path.
    /// `read` returns the member's rank in canonical order (the order `writeCanonical` uses).
    private struct DecodedFields {
        var version: Int64?, seq: Int64?, streamVersion: Int64?
        var type: String?, stream: String?, actor: String?, keyID: String?
        var idempotencyKey: String?, correlationID: String?
        var time: Timestamp?, previousHash: SHA256Digest?, payloadHash: SHA256Digest?

        mutating func read(_ name: UnsafeBufferPointer<UInt8>, from scanner: inout Scanner) -> Int? {
            func text(_ slot: inout String?) -> Bool {
                guard slot == nil, let value = scanner.string() else { return false }
                slot = String(decoding: value, as: UTF8.self)
                return true
            }
            func integer(_ slot: inout Int64?) -> Bool {
                guard slot == nil, let value = scanner.integer() else { return false }
                slot = value
                return true
            }
            func digest(_ slot: inout SHA256Digest?) -> Bool {
                guard slot == nil, let value = scanner.string(), value.count == 64,
                      let bytes = Hex.decodeLowercase(value) else { return false }
                slot = SHA256Digest(bytes: bytes)
                return true
            }
            let ok: Bool, rank: Int
            switch String(decoding: name, as: UTF8.self) {
            case Field.actor: (ok, rank) = (text(&actor), 0)
            case Field.correlationID: (ok, rank) = (text(&correlationID), 1)
            case Field.idempotencyKey: (ok, rank) = (text(&idempotencyKey), 2)
            case Field.keyID: (ok, rank) = (text(&keyID), 3)
            case Field.payloadHash: (ok, rank) = (digest(&payloadHash), 4)
            case Field.previousHash: (ok, rank) = (digest(&previousHash), 5)
            case Field.seq: (ok, rank) = (integer(&seq), 6)
            case Field.stream: (ok, rank) = (text(&stream), 7)
            case Field.streamVersion: (ok, rank) = (integer(&streamVersion), 8)
            case Field.time:
                if time == nil, let value = scanner.string(), let parsed = Timestamp(utf8: value) {
                    time = parsed
                    (ok, rank) = (true, 9)
                } else {
                    (ok, rank) = (false, 9)
                }
            case Field.type: (ok, rank) = (text(&type), 10)
            case Field.version: (ok, rank) = (integer(&version), 11)
            default: return nil
            }
            return ok ? rank : nil
        }
    }

    /// Reads the only tokens a canonical envelope holds: punctuation, escape-free printable
    /// ASCII strings and non-negative integers.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// The bytes between the quotes; nil for an escape or any byte outside 0x20…0x7E.
        mutating func string() -> UnsafeBufferPointer<UInt8>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        /// A non-negative integer in canonical form: no sign, no leading zero.
        mutating func integer() -> Int64? {
            var value: Int64 = 0
            let start = index
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "0"), bytes[index + 1] &- 0x30 < 10 { return nil }
            while index < bytes.count, bytes[index] &- 0x30 < 10 {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[index] &- 0x30))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                index += 1
            }
            // I-JSON's exact range, as the general parser enforces.
            return index > start && value <= 9_007_199_254_740_991 ? value : nil
        }
    }
}
