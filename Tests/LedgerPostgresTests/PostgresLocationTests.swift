import LedgerPostgres
import Testing

/// `--ledger postgres://…` read as libpq reads it: the URL first, then the PG* variables,
/// then libpq's defaults.
@Suite("PostgreSQL locations")
struct PostgresLocationTests {
    @Test("Every part of the URL is read; the password never shows")
    func fullURL() throws {
        let location = try PostgresLocation(
            url: "postgres://auditor:s%40cret@db.internal:6543/ops?sslmode=verify-full&sslrootcert=/etc/ca.pem", environment: [:])
        #expect(location.user == "auditor")
        #expect(location.password == "s@cret")
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.database == "ops")
        #expect(location.tls == .verifyFull)
        #expect(location.rootCertificate == "/etc/ca.pem")
        #expect(location.socketDirectory == nil)
        #expect(location.description == "postgres://auditor@db.internal:6543/ops")
        #expect(!"\(location)".contains("cret"))
    }

    @Test("What the URL leaves out comes from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE")
    func environmentFillsTheGaps() throws {
        let environment = [
            "PGHOST": "pg.example", "PGPORT": "7000", "PGUSER": "svc", "PGPASSWORD": "pw", "PGDATABASE": "ledger", "PGSSLMODE": "require",
            "PGSSLROOTCERT": "/ca.pem",
        ]
        let location = try PostgresLocation(url: "postgresql://", environment: environment)
        #expect(location.host == "pg.example")
        #expect(location.port == 7000)
        #expect(location.user == "svc")
        #expect(location.password == "pw")
        #expect(location.database == "ledger")
        #expect(location.tls == .require)
        #expect(location.rootCertificate == "/ca.pem")
        // The URL wins over the environment.
        let explicit = try PostgresLocation(url: "postgres://ops@here:5999/prod?sslmode=disable", environment: environment)
        #expect(explicit.host == "here" && explicit.port == 5999 && explicit.user == "ops" && explicit.database == "prod" && explicit.tls == .disable)
        #expect(explicit.password == "pw")
    }

    @Test("libpq's defaults: the local socket directory, port 5432, the user's own database, sslmode prefer")
    func defaults() throws {
        let location = try PostgresLocation(url: "postgres://", environment: ["USER": "alice"])
        #expect(location.socketDirectory == "/var/run/postgresql")
        #expect(location.port == 5432)
        #expect(location.user == "alice")
        #expect(location.database == "alice")
        #expect(location.tls == .prefer)
        let socket = try PostgresLocation(url: "postgres://ledger@/ops?host=/tmp/pg&port=6000", environment: [:])
        #expect(socket.socketDirectory == "/tmp/pg")
        #expect(socket.description == "postgres://ledger@/ops?host=/tmp/pg")
    }

    @Test("A wrong port, sslmode or parameter is an error naming it, with the password hidden")
    func errors() {
        func message(_ url: String) -> String? {
            do {
                _ = try PostgresLocation(url: url, environment: [:])
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message("postgres://h:99999/db")?.contains("port") == true)
        #expect(message("postgres://h/db?sslmode=always")?.contains("sslmode 'always'") == true)
        #expect(message("postgres://h/db?application_name=x")?.contains("application_name") == true)
        #expect(message("mysql://h/db") != nil)
        let hidden = message("postgres://u:topsecret@h:99999/db") ?? ""
        #expect(!hidden.contains("topsecret"))
        #expect(LedgerAddress.isFile("ops.ledger"))
    }
}
