public import ApprovalLedger
public import Hummingbird

/// A request's JSON body, read strictly: `Content-Type: application/json` (415 otherwise),
/// parsed by the repo's own `JSONParser` (duplicate keys, lone surrogates, trailing data and
/// over-deep nesting refused: 400), an object whose members are all known (400
/// `unknown-field`), as every reader of ledger input is.
public struct JSONBody: Sendable {
    public let fields: FieldReader

    /// Reads the collected body of `request`; `allowed` are the members the route takes.
    /// An empty body reads as `{}` when `emptyAllowed` (routes whose members are all optional).
    public static func read(_ request: Request, allowed: Set<String>, emptyAllowed: Bool = false) async throws -> JSONBody {
        var request = request
        let buffer = try await request.collectBody(upTo: ServerLimits.maxBodyBytes)
        let bytes = Array(buffer: buffer)
        if bytes.isEmpty, emptyAllowed, request.headers[.contentType] == nil {
            return JSONBody(fields: try FieldReader(.object(JSONObject()), what: "the request body"))
        }
        try requireJSONContentType(request)
        let value = try JSONParser.parse(bytes)
        let fields = try FieldReader(value, what: "the request body")
        try fields.rejectUnknown(allowed: allowed)
        return JSONBody(fields: fields)
    }

    /// 415 unless the body is declared `application/json` (any parameters, e.g. charset=utf-8).
    public static func requireJSONContentType(_ request: Request) throws {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() }
        guard type == "application/json" else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported-media-type",
                detail: "send the body as Content-Type: application/json, not \(type.map { "'\(Identifier.printable($0, limit: 60))'" } ?? "without a Content-Type")")
        }
    }
}
