internal import LedgerFormat

/// JSON indented for people to read (payloads in the HTML report). Members keep their
/// canonical order; strings and numbers are written as in the canonical form.
enum JSONPretty {
    static func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: "", into: &output)
        return output
    }

    private static func write(_ value: JSONValue, indent: String, into output: inout String) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += indent + "  "
                write(element, indent: indent + "  ", into: &output)
                output += index < elements.count - 1 ? ",\n" : "\n"
            }
            output += indent + "]"
        case .object(let object) where object.count > 0:
            output += "{\n"
            for (index, member) in object.members.enumerated() {
                output += indent + "  " + String(decoding: CanonicalJSON.encode(.string(member.key)), as: UTF8.self) + ": "
                write(member.value, indent: indent + "  ", into: &output)
                output += index < object.count - 1 ? ",\n" : "\n"
            }
            output += indent + "}"
        default:
            output += String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        }
    }
}
