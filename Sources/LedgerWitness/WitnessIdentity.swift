public import LedgerFormat

/// Who a witness is: the name its cosignatures carry and the key they verify under. Kept in
/// `witness.json` so every command and the server use one name, and a wrong key is refused.
public struct WitnessIdentity: Sendable, Hashable {
    public static let type = "approval-ledger.witness"

    public var cosignerKey: CosignerKey
    public var name: String { cosignerKey.name }

    public init(cosignerKey: CosignerKey) {
        self.cosignerKey = cosignerKey
    }

    var json: JSONValue {
        ["type": .string(Self.type), "v": 1, "name": .string(name), "cosignerKey": .string(cosignerKey.description)]
    }

    init(json value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "witness.json")
        try fields.rejectUnknown(allowed: ["type", "v", "name", "cosignerKey"])
        guard try fields.string("type") == Self.type, try fields.integer("v") == 1 else {
            throw FormatError(.unsupportedVersion, "witness.json is not an approval-ledger witness of version 1")
        }
        cosignerKey = try CosignerKey(try fields.string("cosignerKey"))
        guard try fields.string("name") == cosignerKey.name else {
            throw FormatError(.invalidField, "witness.json names '\(try fields.string("name"))' but its key is '\(cosignerKey.name)'")
        }
    }
}
