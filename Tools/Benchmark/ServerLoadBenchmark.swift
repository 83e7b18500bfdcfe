import ApprovalLedger
import Dispatch
import Foundation
import Synchronization

/// Durable acknowledged writes through `ledger serve`, from concurrent HTTP clients of this
/// process while the server runs as a process of its own: a fresh ledger made with the `ledger`
/// CLI (root key, the server key with the capabilities the server needs, a bearer token for
/// the `deploy-bot` identity with `append`), then `POST /v1/events` of the per-save workload
/// (`SaveWorkload`: each request's `approval.requested`, then its `approval.approved` at
/// expected version 1), each client on one kept-alive connection, sending its next write only
/// once the previous one was answered `201 Created`, which the server sends only after the
/// commit that holds it.
struct ServerLoadBenchmark {
    static let rawAppends = "server raw appends"

    let ledgerBinary: String
    let log: (String) -> Void

    /// Runs every client count against one server, on one fresh ledger in `directory`.
    func run(directory: String, clients: [Int], writes: Int, number: Int) throws -> [LoadFigures] {
        let ledger = "\(directory)/served.ledger"
        let token = try prepare(ledger: ledger, directory: directory)
        let server = try ServerProcess(
            ledgerBinary: ledgerBinary,
            arguments: ["--ledger", ledger, "--key", "\(directory)/server.pem", "--listen", "127.0.0.1:0", "--max-in-flight-writes", "1024"],
            errorPath: "\(directory)/serve.stderr")
        var figures: [LoadFigures] = []
        var first = 0
        do {
            // Connections, the server's caches and the first pages of the file, before timing.
            _ = try drive(server, token: token, clients: 4, writes: 400, first: first)
            first += 400
            for count in clients {
                log("run \(number): \(writes) durable writes through `ledger serve` (POST /v1/events, bearer token) from \(count) HTTP clients")
                figures.append(try drive(server, token: token, clients: count, writes: writes, first: first))
                first += max(count, writes / 2) * 2
            }
        } catch {
            _ = server.stop()
            throw error
        }
        let outcome = server.stop()
        guard outcome?.exitStatus == 0 else {
            throw BenchmarkError.invalidRun("`ledger serve` did not exit 0 on SIGTERM: \(outcome?.failureDescription ?? "no outcome")")
        }
        return figures
    }

    /// Makes the ledger with the CLI and returns the token's secret.
    private func prepare(ledger: String, directory: String) throws -> String {
        let (root, server) = ("\(directory)/root.pem", "\(directory)/server.pem")
        try command(["key", "generate", "--out", root])
        try command(["key", "generate", "--out", server])
        try command(["init", "--ledger", ledger, "--key", root])
        try command(
            ["key", "register", "--ledger", ledger, "--key", root, "--identity", "ledger-server", "--public-key", server + ".pub"]
                + ["append", "approve", "clock", "execute", "relay", "request"].flatMap { ["--capability", $0] })
        let secret = try command([
            "token", "create", "--ledger", ledger, "--name", "load", "--identity", "deploy-bot", "--capability", "append", "--expires-in", "1d",
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw BenchmarkError.invalidRun("`ledger token create` printed no secret") }
        return secret
    }

    @discardableResult
    private func command(_ arguments: [String]) throws -> String {
        guard let outcome = ChildProcess.run(ledgerBinary, arguments, errorPath: NSTemporaryDirectory() + "ledger-bench-\(getpid()).stderr", timeout: 120)
        else { throw BenchmarkError.invalidRun("cannot run \(ledgerBinary)") }
        guard outcome.succeeded else {
            throw BenchmarkError.invalidRun("`ledger \(arguments.prefix(2).joined(separator: " "))` \(outcome.failureDescription)")
        }
        return outcome.standardOutput
    }

    /// The request body of the raw append of `draft`.
    static func body(_ draft: EventDraft) -> [UInt8] {
        var object = JSONObject()
        object["type"] = .string(draft.type)
        object["stream"] = .string(draft.stream)
        object["payload"] = draft.payload
        switch draft.expectedVersion {
        case .noStream: object["expectedVersion"] = .string("none")
        case .exactly(let version): object["expectedVersion"] = .integer(version)
        case .any: break
        }
        return CanonicalJSON.encode(.object(object))
    }

    /// `clients` threads, each on its own connection, share `writes` writes (requests
    /// `first/2` on); timed from the moment all are connected.
    private func drive(_ server: ServerProcess, token: String, clients: Int, writes: Int, first: Int) throws -> LoadFigures {
        let requests = max(clients, writes / 2)
        let headers = "Authorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
        let port = server.port
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchGroup()
        let latencies = Mutex<[Double]>([])
        let failures = Mutex<[String]>([])
        for client in 0..<clients {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                let bodies = stride(from: client, to: requests, by: clients).flatMap { number in
                    [Self.body(SaveWorkload.requested(first / 2 + number)), Self.body(SaveWorkload.approved(first / 2 + number))]
                }
                let connection: HTTPConnection
                do { connection = try HTTPConnection(port: port) } catch {
                    failures.withLock { $0.append("\(error)") }
                    ready.signal()
                    return
                }
                ready.signal()
                go.wait()
                var mine: [Double] = []
                mine.reserveCapacity(bodies.count)
                for body in bodies {
                    let sent = ContinuousClock.now
                    do {
                        let response = try connection.request("POST", "/v1/events", headers: headers, body: body)
                        guard response.status == 201 else {
                            failures.withLock { $0.append("HTTP \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))") }
                            break
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                        break
                    }
                    mine.append((ContinuousClock.now - sent).seconds * 1000)
                }
                latencies.withLock { $0 += mine }
            }
        }
        for _ in 0..<clients { ready.wait() }
        let (serverCPU, clientCPU, start) = (server.cpuSeconds, PhaseTiming.processCPUSeconds(), ContinuousClock.now)
        for _ in 0..<clients { go.signal() }
        done.wait()
        let wall = (ContinuousClock.now - start).seconds
        let (serverUsed, clientUsed) = (server.cpuSeconds - serverCPU, PhaseTiming.processCPUSeconds() - clientCPU)
        if let failure = failures.withLock({ $0.first }) {
            throw BenchmarkError.invalidRun("a write through the server failed: \(failure)")
        }
        let measured = latencies.withLock { $0 }
        return LoadFigures(
            workload: Self.rawAppends, clients: clients, writes: measured.count, wallSeconds: wall, latencies: measured.sorted(),
            writerCPUSeconds: serverUsed, clientCPUSeconds: clientUsed, writesPerCommit: nil)
    }
}
