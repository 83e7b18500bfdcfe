internal import LedgerFormat

extension JSONObject {
    /// An object from a literal, for the JSON forms that add optional members afterwards.
    static func members(_ value: JSONValue) -> JSONObject {
        value.objectValue ?? JSONObject()
    }
}
