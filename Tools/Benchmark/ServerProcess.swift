import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `ledger serve` child on a loopback port it picked itself (`--listen 127.0.0.1:0`), read
/// from the one line it prints when ready.
final class ServerProcess: Sendable {
    let port: Int
    private let running: ChildProcess.Running
    private let ended = DispatchSemaphore(value: 0)
    private let outcome = Mutex<ChildProcess.Outcome?>(nil)

    /// Starts `ledger serve` and returns once it listens.
    /// - Throws: `BenchmarkError.invalidRun` when it does not start or says nothing usable.
    init(ledgerBinary: String, arguments: [String], errorPath: String) throws {
        guard let running = ChildProcess.start(ledgerBinary, ["serve"] + arguments, errorPath: errorPath, timeout: 24 * 3600) else {
            throw BenchmarkError.invalidRun("cannot start \(ledgerBinary) serve")
        }
        self.running = running
        let line = running.readLine() ?? ""
        guard let range = line.range(of: "http://127.0.0.1:"),
              let port = Int(line[range.upperBound...].prefix { $0.isNumber })
        else {
            kill(running.pid, SIGKILL)
            let outcome = running.wait()
            throw BenchmarkError.invalidRun("`ledger serve` did not say where it listens (\(outcome.failureDescription)); it printed '\(line)'")
        }
        self.port = port
        // Drain its output to the end, so that it can never block writing to us.
        DispatchQueue.global().async { [self] in
            let result = running.wait()
            outcome.withLock { $0 = result }
            ended.signal()
        }
    }

    /// User + system CPU seconds the server has used so far, from /proc/PID/stat.
    var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(running.pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is 3rd overall, utime the 14th, stime the 15th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Sends SIGTERM and waits for the server to finish its in-flight requests and exit.
    func stop() -> ChildProcess.Outcome? {
        kill(running.pid, SIGTERM)
        ended.wait()
        return outcome.withLock { $0 }
    }
}
