import Foundation

/// A throwaway PostgreSQL cluster for the tests, the way the SQLite tests use temporary
/// files: `initdb` in a temporary directory, the server on a free loopback port (and a socket
/// in that directory), stopped when the test process exits or the value is released.
///
/// Tests that need PostgreSQL fail, never skip, when it cannot start: the error says what is
/// missing (`Tools/install-system-deps.sh` installs PostgreSQL from Debian's packages). The
/// server refuses to run as root, so under root (CI) it runs as the `postgres` user the
/// Debian package creates.
public final class PostgresCluster: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let port: Int
    public let directory: String
    private let binaries: String
    private let owned: Bool

    /// One cluster for the whole test process, started on first use.
    public static func shared() throws -> PostgresCluster {
        try sharedCluster.get()
    }

    private static let sharedCluster: Result<PostgresCluster, any Error> = Result {
        let cluster = try PostgresCluster(owned: false)
        atexit {
            guard let cluster = try? PostgresCluster.sharedCluster.get() else { return }
            try? cluster.stop(mode: "immediate")
            try? FileManager.default.removeItem(atPath: cluster.directory)
        }
        return cluster
    }

    /// A cluster of its own (for a test that stops or restarts the server), stopped and removed
    /// when released. With `tls`, the server also takes TLS with a certificate for
    /// `127.0.0.1` and `localhost` signed by a CA of its own, whose PEM is `caPath`.
    public convenience init(tls: Bool = false) throws {
        try self.init(owned: true, tls: tls)
    }

    /// The CA certificate a TLS cluster's certificate chains to.
    public var caPath: String { directory + "/ca.pem" }

    private init(owned: Bool, tls: Bool = false) throws {
        self.owned = owned
        binaries = try Self.findBinaries()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { _ = try? ProcessRunner.run("/bin/chown", ["postgres:postgres", directory]) }
        port = try LoopbackPort.free()
        let initdb = try asServerUser(
            binaries + "/initdb", ["-D", dataDirectory, "-U", "ledger", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        guard initdb.status == 0 else {
            throw StartError(description: "initdb failed (exit \(initdb.status)): \(initdb.stderr)")
        }
        // Small and quick to start; fsync stays on, so a kill -9 of the server loses nothing
        // committed, which the fault tests rely on.
        let settings = """
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(directory)'
            max_connections = 100
            shared_buffers = 32MB
            """ + (tls ? "\nssl = on\nssl_cert_file = '\(directory)/server.pem'\nssl_key_file = '\(directory)/server.key'\n" : "")
        if tls { try makeCertificates() }
        try (String(contentsOfFile: dataDirectory + "/postgresql.conf", encoding: .utf8) + "\n" + settings + "\n")
            .write(toFile: dataDirectory + "/postgresql.conf", atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        if owned {
            try? stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    var dataDirectory: String { directory + "/data" }

    /// A CA and a server certificate it signs, with `openssl`; the key readable by the server
    /// alone, as PostgreSQL demands.
    private func makeCertificates() throws {
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=ledger test CA",
             "-keyout", directory + "/ca.key", "-out", caPath],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
             "-keyout", directory + "/server.key", "-out", directory + "/server.csr"],
            ["x509", "-req", "-in", directory + "/server.csr", "-CA", caPath, "-CAkey", directory + "/ca.key", "-CAcreateserial", "-days", "2",
             "-extfile", directory + "/san.ext", "-out", directory + "/server.pem"],
        ]
        try "subjectAltName = DNS:localhost, IP:127.0.0.1\n".write(toFile: directory + "/san.ext", atomically: true, encoding: .utf8)
        for arguments in steps {
            let result = try ProcessRunner.run("openssl", arguments)
            guard result.status == 0 else { throw StartError(description: "openssl \(arguments[0]) failed: \(result.stderr)") }
        }
        chmod(directory + "/server.key", 0o600)
        if getuid() == 0 { _ = try ProcessRunner.run("/bin/chown", ["postgres:postgres", directory + "/server.key", directory + "/server.pem"]) }
    }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        // The server pg_ctl leaves running must hold none of this process's pipes, its own or
        // those of a test running beside it (they are inherited, not closed on exec), or
        // reading them would never end: bash closes every descriptor but 0-2 and points those
        // away before pg_ctl starts.
        let command = """
            for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
            exec '\(binaries)/pg_ctl' -D '\(dataDirectory)' -l '\(directory)/server.log' -w -t 60 start </dev/null >/dev/null 2>&1
            """
        let result = try asServerUser("/bin/bash", ["-c", command])
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw StartError(description: "pg_ctl start failed (exit \(result.status)): \(result.stderr)\n\(log.suffix(2000))")
        }
    }

    /// Stops the server: `fast` ends sessions cleanly, `immediate` is a crash (recovery at the
    /// next start).
    public func stop(mode: String = "fast") throws {
        _ = try asServerUser(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", mode, "-w", "stop"])
    }

    /// A new, empty database, as the URL `ledger --ledger` takes.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let result = try psql("postgres", "CREATE DATABASE \(name)")
        guard result.status == 0 else { throw StartError(description: "CREATE DATABASE failed: \(result.stderr)") }
        return url(database: name)
    }

    public func url(database: String) -> String {
        "postgres://ledger@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs `sql` with `psql` on `database` (a name or a URL from `createDatabase`), as the
    /// cluster's superuser: what a database administrator can do.
    @discardableResult
    public func psql(_ database: String, _ sql: String) throws -> ProcessResult {
        let name = database.split(separator: "/").last.map { String($0.prefix { $0 != "?" }) } ?? database
        return try ProcessRunner.run(
            binaries + "/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "ledger", "-d", name, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql])
    }

    private func asServerUser(_ program: String, _ arguments: [String]) throws -> ProcessResult {
        guard getuid() == 0 else { return try ProcessRunner.run(program, arguments) }
        return try ProcessRunner.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
    }

    /// The newest PostgreSQL under /usr/lib/postgresql (Debian's layout), else `initdb` on PATH.
    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        if let newest = versions.last, FileManager.default.isExecutableFile(atPath: "\(root)/\(newest)/bin/initdb") {
            return "\(root)/\(newest)/bin"
        }
        if let initdb = try? ProcessRunner.which("initdb") {
            return URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        throw StartError(description: "PostgreSQL is not installed (no initdb): run Tools/install-system-deps.sh, which installs Debian's postgresql")
    }

}
