public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One POST to a server outside the ledger (Slack's Web API, a webhook receiver), through
/// AsyncHTTPClient with a deadline, its answer read up to a bound. The one place outbound
/// HTTP goes through, so every caller gets the same timeout and the same errors.
public struct OutboundHTTP: Sendable {
    /// What came back.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first header named `name`, compared case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    let client: HTTPClient
    let timeout: Duration
    /// Answers longer than this are refused, not read: no receiver can make us hold more.
    static let maxAnswerBytes = 1 << 20

    public init(client: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    /// POSTs `body` to `url` with `headers`.
    /// - Throws: what AsyncHTTPClient throws for a refused connection, a timeout or a bad URL,
    ///   and `NIOTooManyBytesError` for an answer over 1 MiB.
    public func post(_ url: String, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        let collected = try await response.body.collect(upTo: Self.maxAnswerBytes)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { (name: $0.name, value: $0.value) },
            body: Array(collected.readableBytesView))
    }
}

extension Duration {
    /// Whole nanoseconds, as NIO's `TimeAmount` takes them.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
