import Foundation

/// The PostgreSQL side of the scaling runs (`--postgres URL`): the service ledger one writer
/// built, copied into a fresh database (`ledger copy FILE URL`), then verified there
/// (`ledger verify --ledger URL`), beside the file's own verify in the same table.
///
/// Appends to a PostgreSQL ledger are not driven here yet, so the copy's insert rate stands
/// where the append rate will.
struct PostgresScaling {
    /// A server URL whose user may create databases; its database part is replaced.
    let server: String
    let benchmark: ScalingBenchmark
    let binary: String
    let directory: String

    static let copyCommand = "ledger copy FILE postgres://…/DB"
    static let verifyCommand = "ledger verify --ledger postgres://…/DB --format json"

    /// One point each of the copy and the verify series, on the ledger at `path` of `events` rows.
    func measure(ledger path: String, events: Int, log: (String) -> Void) throws -> (copy: ScalingSeries.Point, verify: ScalingSeries.Point) {
        var copies: [ScalingSeries.Sample] = [], verifies: [ScalingSeries.Sample] = []
        var last: String?
        for run in 1...benchmark.options.runs {
            let database = try createDatabase()
            if let last { dropDatabase(last) }
            last = database
            log("scaling: ledger copy of \(events) events into PostgreSQL, run \(run)")
            let copy = ScalingOperation(
                name: "copy into PostgreSQL", subcommand: "copy", subject: .serviceEvents, plotted: false,
                arguments: { path, _ in ["copy", path, database, "--format", "json"] },
                check: { output, events, _ in
                    let report = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
                    guard (report?["events"] as? NSNumber)?.intValue == events else {
                        throw BenchmarkError.invalidRun("`ledger copy` did not report \(events) events: \(output.prefix(200))")
                    }
                })
            copies.append(try benchmark.measure(copy, binary: binary, ledger: path, events: events, directory: directory))
        }
        for run in 1...benchmark.options.runs {
            log("scaling: ledger verify of \(events) events in PostgreSQL, run \(run)")
            verifies.append(try benchmark.measure(ScalingOperation.verify, binary: binary, ledger: last!, events: events, directory: directory))
        }
        if let last { dropDatabase(last) }
        return (.init(ledgerEvents: events, events: events, samples: copies), .init(ledgerEvents: events, events: events, samples: verifies))
    }

    /// A new empty database on the server, as a URL `ledger` takes.
    private func createDatabase() throws -> String {
        let name = "ledger_bench_\(UUID().uuidString.prefix(8).lowercased())"
        guard let outcome = ChildProcess.run("/usr/bin/env", ["psql", server, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"], timeout: 60),
              outcome.succeeded
        else { throw BenchmarkError.usage("cannot create a database with `psql \(server)`: is the server up, and may its user create databases?") }
        return try Self.url(server, database: name)
    }

    private func dropDatabase(_ url: String) {
        guard let name = URLComponents(string: url)?.path.dropFirst() else { return }
        _ = ChildProcess.run("/usr/bin/env", ["psql", server, "-qAt", "-c", "DROP DATABASE IF EXISTS \(name)"], timeout: 120)
    }

    /// `server` with its database replaced by `database`, its query (sslmode…) kept.
    static func url(_ server: String, database: String) throws -> String {
        guard var components = URLComponents(string: server), components.scheme?.hasPrefix("postgres") == true else {
            throw BenchmarkError.usage("--postgres takes a postgres:// URL, not '\(server)'")
        }
        components.path = "/" + database
        return components.string!
    }
}
