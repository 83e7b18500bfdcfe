public import ApprovalLedger
public import HTTPTypes
public import Hummingbird

/// An RFC 9457 problem-details answer (`application/problem+json`): every failure the server
/// answers, with the same stable `code` the CLI prints in brackets.
///
/// `type` is `https://approval-ledger.dev/problems/<code>`; `title` is the status's reason
/// phrase; `detail` the sentence that says what went wrong and what to do.
public struct Problem: Error, Sendable, Hashable, HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let detail: String
    /// Extra response headers (`Retry-After` on 503 and 429, `WWW-Authenticate` on 401).
    public var headers: HTTPFields

    public static let typeBase = "https://approval-ledger.dev/problems/"
    public static let mediaType = "application/problem+json"

    public init(status: HTTPResponse.Status, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = [:]
    }

    /// The problem for a classified library error: its class's status, its code and message.
    public init(_ error: some ClassifiedError) {
        self.init(status: HTTPResponse.Status(code: error.failureClass.httpStatus), code: error.stableCode, detail: error.failureMessage)
        if error.failureClass == .unavailable { headers[.retryAfter] = "1" }
    }

    public var type: String { Self.typeBase + code }
    public var title: String { status.reasonPhrase }
    public var description: String { "\(status.code) \(code): \(detail)" }

    /// The JSON body: canonical (RFC 8785), members type/title/status/detail/code.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["type"] = .string(type)
        object["title"] = .string(title)
        object["status"] = .integer(Int64(status.code))
        object["detail"] = .string(detail)
        object["code"] = .string(code)
        return .object(object)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(jsonValue, status: status, contentType: Self.mediaType)
        response.headers.append(contentsOf: headers)
        return response
    }

    public func with(header name: HTTPField.Name, _ value: String) -> Problem {
        var copy = self
        copy.headers[name] = value
        return copy
    }
}
