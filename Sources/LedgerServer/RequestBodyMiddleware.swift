import HTTPTypes
public import Hummingbird

/// Reads each request's whole body before anything else runs, within `ServerLimits`: at most
/// `maxBodyBytes` (413 `body-too-large`, refused from `Content-Length` before reading when it
/// says so) and within `readTimeout` of the headers (408 `read-timeout`, the connection
/// closed), so a client trickling bytes cannot hold a worker. Routes and the signature check
/// then read the collected buffer.
public struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let readTimeout: Duration

    public init(readTimeout: Duration) {
        self.readTimeout = readTimeout
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = ServerLimits.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit).with(header: .connection, "close")
        }
        let body = request.body
        let collected: ByteBuffer
        do {
            collected = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask {
                    var buffer = ByteBuffer()
                    for try await part in body {
                        guard buffer.readableBytes + part.readableBytes <= limit else { throw Self.tooLarge(limit) }
                        var part = part
                        buffer.writeBuffer(&part)
                    }
                    return buffer
                }
                let timeout = readTimeout
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else {
                    throw Problem(
                        status: .requestTimeout, code: "read-timeout",
                        detail: "the request body did not arrive within \(timeout); send it at once (the connection is closed)")
                }
                return buffer
            }
        } catch let problem as Problem {
            throw problem.with(header: .connection, "close")
        }
        var request = request
        request.body = RequestBody(buffer: collected)
        return try await next(request, context)
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(status: .contentTooLarge, code: "body-too-large", detail: "the request body exceeds \(limit) bytes; split a batch into smaller ones")
    }
}
