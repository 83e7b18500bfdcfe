import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program, collects its standard output and what it cost: wall time and CPU time from
/// `wait4`'s resource usage of that one child, and its peak resident memory.
///
/// The peak is the child's VmHWM, polled from /proc while it runs. `ru_maxrss` cannot be used:
/// posix_spawn starts the child with vfork, and Linux records the hiwater mark of the address
/// space a process leaves at exec (here, this process's) into its maxrss, so every child would
/// report at least this benchmark's own RSS.
///
/// Not `Foundation.Process`: its children inherit this process's signal mask, in which the
/// Swift runtime and Dispatch block SIGALRM and SIGTERM, and `openssl speed` times itself
/// with `alarm()`, so it would never stop. Here the child starts with an empty mask and
/// default handlers.
enum ChildProcess {
    /// How a child ended and what it used.
    struct Outcome: Sendable {
        /// The exit status, or nil when it was killed by a signal (or by the timeout).
        var exitStatus: Int32?
        var standardOutput: String
        /// The last lines of its standard error (kept in a file beside the ledger under test).
        var standardErrorTail: String
        var wallSeconds: Double
        /// User + system CPU seconds of the child, all its threads.
        var cpuSeconds: Double
        /// Peak resident set size of the child (VmHWM, polled; `ru_maxrss` where /proc is missing).
        var peakResidentBytes: Int

        var succeeded: Bool { exitStatus == 0 }

        /// A sentence for an error message: the command's exit and its last stderr line.
        var failureDescription: String {
            let status = exitStatus.map { "exited with status \($0)" } ?? "was killed"
            let tail = standardErrorTail.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return status + tail
        }
    }

    /// A started child whose output is being read.
    final class Running: Sendable {
        let pid: pid_t
        let path: String
        private let readEnd: Int32
        private let errorPath: String?
        private let started: ContinuousClock.Instant
        private let timeout: Double
        private let peak = Atomic<Int>(0)
        private let reaped = Atomic<Bool>(false)

        fileprivate init(pid: pid_t, path: String, readEnd: Int32, errorPath: String?, timeout: Double) {
            self.pid = pid
            self.path = path
            self.readEnd = readEnd
            self.errorPath = errorPath
            self.started = .now
            self.timeout = timeout
            // posix_spawn returns after the child's exec, so its VmHWM is already its own.
            let status = "/proc/\(pid)/status"
            DispatchQueue.global().async { [self] in
                while !reaped.load(ordering: .acquiring), let bytes = ProcessMemory.field("VmHWM:", in: status) {
                    peak.store(max(peak.load(ordering: .relaxed), bytes), ordering: .relaxed)
                    usleep(2_000)
                }
            }
        }

        /// Reads one line of the child's output (without its LF), before `wait()`; nil at the
        /// end of its output. For a server that says where it listens.
        func readLine() -> String? {
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
                    line.append(byte)
                } else if count == 0 || errno != EINTR {
                    return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
                }
            }
        }

        /// Reads the child's output to its end and reaps it. Call once.
        func wait() -> Outcome {
            let finished = Atomic<Bool>(false)
            let child = pid
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if !finished.load(ordering: .acquiring) { kill(child, SIGKILL) }
            }
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count > 0 { output += buffer[0..<count] } else if count == 0 || errno != EINTR { break }
            }
            close(readEnd)
            var status: Int32 = 0
            var usage = rusage()
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            finished.store(true, ordering: .releasing)
            reaped.store(true, ordering: .releasing)
            let polled = peak.load(ordering: .relaxed)
            let wall = (ContinuousClock.now - started).seconds
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
            var tail = ""
            if let errorPath, let data = FileManager.default.contents(atPath: errorPath) {
                tail = String(decoding: data.suffix(2048), as: UTF8.self)
                unlink(errorPath)
            }
            // Exited normally when the low 7 bits are zero; the status is the next byte.
            let exitStatus: Int32? = status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
            return Outcome(
                exitStatus: exitStatus, standardOutput: String(decoding: output, as: UTF8.self), standardErrorTail: tail,
                wallSeconds: wall, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
                peakResidentBytes: polled > 0 ? polled : Int(usage.ru_maxrss) * 1024)
        }
    }

    /// Starts `path arguments`. Its standard error goes to `errorPath` (read back, then
    /// deleted, by `wait()`), or to /dev/null. Nil when it cannot start.
    static func start(
        _ path: String, _ arguments: [String], errorPath: String? = nil, environment: [String: String] = [:], timeout: Double
    ) -> Running? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            return nil
        }
        return Running(pid: pid, path: path, readEnd: readEnd, errorPath: errorPath, timeout: timeout)
    }

    /// Runs `path arguments` to its end; nil when it cannot start.
    static func run(
        _ path: String, _ arguments: [String], errorPath: String? = nil, environment: [String: String] = [:], timeout: Double = 3600
    ) -> Outcome? {
        start(path, arguments, errorPath: errorPath, environment: environment, timeout: timeout)?.wait()
    }

    /// The standard output of `path arguments`, or nil when it cannot start, exits non-zero
    /// or runs longer than `timeout` seconds (it is then killed).
    static func output(of path: String, _ arguments: [String], timeout: Double = 60) -> String? {
        guard let outcome = run(path, arguments, timeout: timeout), outcome.succeeded else { return nil }
        return outcome.standardOutput
    }

    /// The first executable called `name` in a PATH directory.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The directory of this executable (where SwiftPM also puts `ledger`).
    static var executableDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }
}
