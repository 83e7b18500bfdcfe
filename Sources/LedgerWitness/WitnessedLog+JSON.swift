import LedgerFormat

extension WitnessedLog {
    static let type = "approval-ledger.witnessed-log"

    /// The state file's form. Sizes are decimal strings: a JSON number cannot hold every u64.
    var json: JSONValue {
        [
            "type": .string(Self.type), "v": 1,
            "origin": .string(origin),
            "logKeys": .array(logKeys.map { .string($0.description) }),
            "size": .string(String(size)),
            "rootHash": rootHash.map { .string(Base64.encode($0)) } ?? .null,
            "checkpoint": checkpoint.map { .string(String(decoding: $0.bytes, as: UTF8.self)) } ?? .null,
        ]
    }

    init(json value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "witnessed log")
        try fields.rejectUnknown(allowed: ["type", "v", "origin", "logKeys", "size", "rootHash", "checkpoint"])
        guard try fields.string("type") == Self.type, try fields.integer("v") == 1 else {
            throw FormatError(.unsupportedVersion, "not an approval-ledger witnessed log of version 1")
        }
        var keys: [NoteVerifierKey] = []
        for key in try fields.stringArray("logKeys") { keys.append(try NoteVerifierKey(key)) }
        self.init(origin: try fields.string("origin"), logKeys: keys)
        guard let size = CheckpointText.decimal(try fields.string("size")) else {
            throw FormatError(.invalidField, "a witnessed log's size is a decimal string")
        }
        self.size = size
        if let root = try Self.nullable(fields, "rootHash") {
            guard let bytes = Base64.decode(root), bytes.count == 32 else { throw FormatError(.invalidField, "a witnessed log's rootHash is 32 bytes of base64") }
            rootHash = bytes
        }
        if let note = try Self.nullable(fields, "checkpoint") { checkpoint = try SignedNote(Array(note.utf8)) }
        guard size == 0 || rootHash != nil else {
            throw FormatError(.invalidField, "a witnessed log with a size has a rootHash")
        }
    }

    private static func nullable(_ fields: FieldReader, _ name: String) throws(FormatError) -> String? {
        if case .null? = fields.object[name] { return nil }
        return try fields.optionalString(name)
    }
}
