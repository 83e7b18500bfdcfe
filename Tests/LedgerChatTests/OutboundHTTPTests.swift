import LedgerChat
import Testing

@Suite("Outbound HTTP")
struct OutboundHTTPTests {
    @Test("A refused connection is an error, not a hang")
    func refusedConnection() async throws {
        // Port 9 (discard) on loopback has no listener here: the connect is refused at once.
        await #expect(throws: (any Error).self) {
            _ = try await OutboundHTTP(timeout: .seconds(5)).post("http://127.0.0.1:9/", headers: [], body: [])
        }
    }
}
