public import ApprovalLedger
public import Hummingbird

/// Responses whose body is JSON the repo's own encoder writes (RFC 8785, as the CLI prints
/// it), never Foundation's `JSONEncoder`: one encoding of events, requests and problems.
public enum JSONResponse {
    public static let mediaType = "application/json"

    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = mediaType) -> Response {
        var bytes = CanonicalJSON.encode(value)
        bytes.append(0x0A)
        return bytesResponse(bytes, status: status, contentType: contentType)
    }

    public static func bytesResponse(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(bytes.count)
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
