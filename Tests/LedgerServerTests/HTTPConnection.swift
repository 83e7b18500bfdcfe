import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 client over a POSIX socket, written for these tests so that what the
/// server sends is read byte for byte, independent of the server's own stack: one request
/// per connection (`Connection: close`), or a partial request for the slow-client tests, or
/// a stream read until the test has seen enough.
///
/// A class, so that closing is idempotent: a second `close()` of a bare descriptor number
/// would close whatever another test opened under that number since (a pipe, say).
final class HTTPConnection {
    private(set) var socket: Int32

    struct Response: CustomStringConvertible {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw HTTPFailure(message: "not a JSON object: \(text)")
            }
            return object
        }

        /// The problem's `code` (after checking it is `application/problem+json` with all members).
        func problemCode() throws -> String {
            guard header("Content-Type") == "application/problem+json" else { throw HTTPFailure(message: "not a problem: \(self)") }
            let object = try json()
            guard let code = object["code"] as? String, object["status"] as? Int == status, object["title"] is String,
                  object["detail"] is String, object["type"] as? String == "https://approval-ledger.dev/problems/" + code
            else { throw HTTPFailure(message: "malformed problem: \(text)") }
            return code
        }

        var description: String { "\(status) \(text)" }
    }

    struct HTTPFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HTTPFailure(message: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close()
            throw HTTPFailure(message: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw HTTPFailure(message: "send: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads whatever arrives next; empty at the end of the stream.
    func receive() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[..<count]) : []
    }

    /// Reads until the peer closes.
    func receiveAll() -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = receive()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }

    /// Reads until `predicate` holds for what arrived so far (or the peer closes).
    func receive(until predicate: ([UInt8]) -> Bool) -> [UInt8] {
        var all: [UInt8] = []
        while !predicate(all) {
            let chunk = receive()
            if chunk.isEmpty { break }
            all += chunk
        }
        return all
    }

    func close() {
        guard socket >= 0 else { return }
        Glibc.close(socket)
        socket = -1
    }

    deinit { close() }

    /// Parses one response (Content-Length or read to the end; no chunked bodies are expected
    /// except event streams, which tests read raw).
    static func parse(_ bytes: [UInt8]) throws -> Response {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { throw HTTPFailure(message: "no header end in \(String(decoding: bytes, as: UTF8.self))") }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPFailure(message: "bad status line \(head[0])") }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[end.upperBound...])
        if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            body = Array(body.prefix(length))
        } else if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            body = dechunk(body)
        }
        return Response(status: status, headers: headers, body: body)
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var rest = bytes[...]
        while let lineEnd = rest.firstRange(of: Array("\r\n".utf8)) {
            guard let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            guard rest.endIndex - start >= size else { break }
            out += rest[start..<(start + size)]
            rest = rest[(start + size + 2)...]
        }
        return out
    }

    /// One request on a fresh connection.
    static func request(
        port: Int, _ method: String, _ path: String, token: String? = nil, json: String? = nil, contentType: String? = nil,
        headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> Response {
        let connection = try HTTPConnection(port: port)
        defer { connection.close() }
        let payload = body ?? json.map { Array($0.utf8) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let payload {
            head += "Content-Type: \(contentType ?? "application/json")\r\nContent-Length: \(payload.count)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try connection.send(Array(head.utf8) + (payload ?? []))
        return try parse(connection.receiveAll())
    }
}
