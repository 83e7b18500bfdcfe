import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP/1.1 connection to a loopback server, kept alive between requests: the load
/// generator's client. Blocking, one per client thread, so that a request costs the generator
/// one `write` and a `read` or two, and nothing it does competes with the server for long
/// (an event-loop client on two shared cores would take its own share of them).
final class HTTPConnection {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    private let port: UInt16
    private var socket: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 65536)
    private var pending: [UInt8] = []

    init(port: Int) throws {
        self.port = UInt16(port)
        try connect()
    }

    deinit { if socket >= 0 { close(socket) } }

    private func connect() throws {
        if socket >= 0 { close(socket) }
        pending.removeAll()
        #if canImport(Glibc)
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw BenchmarkError.invalidRun("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard result == 0 else { throw BenchmarkError.invalidRun("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    /// Sends `method path` with `headers` (complete lines, each ending CRLF) and `body`, and
    /// reads the whole response. Reconnects when the server closed the connection.
    func request(_ method: String, _ path: String, headers: String, body: [UInt8] = []) throws -> Response {
        var message = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(headers)Content-Length: \(body.count)\r\n\r\n".utf8)
        message += body
        try send(message)
        let response = try readResponse()
        return response
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw BenchmarkError.invalidRun("write to the server failed: errno \(errno)")
            }
            sent += count
        }
    }

    /// Reads more bytes into `pending`; false at end of stream.
    private func fill() throws -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count > 0 {
                pending += buffer[0..<count]
                return true
            }
            if count == 0 { return false }
            if errno != EINTR { throw BenchmarkError.invalidRun("read from the server failed: errno \(errno)") }
        }
    }

    private func readResponse() throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find(separator, in: pending)
            if headerEnd == nil, try !fill() { throw BenchmarkError.invalidRun("the server closed the connection before answering") }
        }
        let head = String(decoding: pending[0..<headerEnd!], as: UTF8.self)
        var bodyStart = headerEnd! + 4
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw BenchmarkError.invalidRun("not an HTTP response: \(lines.first ?? "")")
        }
        var length: Int?
        var chunked = false
        var closes = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding", value.contains("chunked") { chunked = true }
            if name == "connection", value == "close" { closes = true }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                var lineEnd = Self.find([13, 10], in: pending, from: bodyStart)
                while lineEnd == nil {
                    if try !fill() { throw BenchmarkError.invalidRun("the server closed the connection inside a chunked body") }
                    lineEnd = Self.find([13, 10], in: pending, from: bodyStart)
                }
                let sizeText = String(decoding: pending[bodyStart..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw BenchmarkError.invalidRun("bad chunk size '\(sizeText)'")
                }
                let dataStart = lineEnd! + 2
                while pending.count < dataStart + size + 2 {
                    if try !fill() { throw BenchmarkError.invalidRun("the server closed the connection inside a chunk") }
                }
                body += pending[dataStart..<(dataStart + size)]
                bodyStart = dataStart + size + 2
                if size == 0 { break }
            }
        } else {
            let count = length ?? 0
            while pending.count < bodyStart + count {
                if try !fill() { throw BenchmarkError.invalidRun("the server closed the connection inside a body") }
            }
            body = Array(pending[bodyStart..<(bodyStart + count)])
            bodyStart += count
        }
        pending.removeFirst(bodyStart)
        if closes { try connect() }
        return Response(status: status, body: body)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count + start else { return nil }
        var index = start
        search: while index <= haystack.count - needle.count {
            for offset in 0..<needle.count where haystack[index + offset] != needle[offset] {
                index += 1
                continue search
            }
            return index
        }
        return nil
    }
}
