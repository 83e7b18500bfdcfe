import LedgerServer
import Testing

@Suite struct ServerPlaceholderTests {
    @Test func builds() { _ = LedgerServer.self }
}
