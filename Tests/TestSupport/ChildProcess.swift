#if canImport(Glibc)
public import Glibc
#elseif canImport(Darwin)
public import Darwin
#endif
internal import Foundation

/// A child process the test talks to while it runs, and may kill: `ProcessRunner` only runs
/// one to completion. Started with `posix_spawn`; every pipe end is close-on-exec, so a process
/// another test starts meanwhile cannot inherit one and keep it open.
public struct ChildProcess: Sendable {
    public let pid: pid_t
    /// The write end of the child's stdin.
    public let stdin: Int32
    /// The read ends of the child's stdout and stderr.
    public let stdout: Int32
    public let stderr: Int32

    /// How the child ended.
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Starts `executable` with `arguments` and the test's environment minus `LEDGER_PATH` and
    /// `LEDGER_KEY`.
    public init(_ executable: String, _ arguments: [String]) throws {
        let input = try Self.pipe(), output = try Self.pipe(), errors = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "LEDGER_PATH" && $0.key != "LEDGER_KEY" }
            .map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let status = Self.withCStrings([executable] + arguments) { argv in
            Self.withCStrings(environment) { envp in posix_spawn(&child, executable, &actions, nil, argv, envp) }
        }
        close(input.read)
        close(output.write)
        close(errors.write)
        guard status == 0 else {
            close(input.write)
            close(output.read)
            close(errors.read)
            throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL)
        }
        pid = child
        stdin = input.write
        stdout = output.read
        stderr = errors.read
    }

    /// Sends `signal` to the child.
    public func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// Waits for the child to end and closes the pipe ends this side still holds.
    public func wait() -> Ending {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        for descriptor in [stdin, stdout, stderr] { close(descriptor) }
        // WIFEXITED / WTERMSIG, which Swift does not import as functions.
        if status & 0x7F == 0 { return .exited((status >> 8) & 0xFF) }
        return .signalled(status & 0x7F)
    }

    /// Writes all of `bytes` to the child's stdin; false once the child has closed it.
    public func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(stdin, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Reads what is available from `descriptor`, blocking until there is some; empty at the end.
    public static func read(_ descriptor: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno != EINTR { return [] }
        }
    }

    /// Everything left on `descriptor`, up to its end.
    public static func readToEnd(_ descriptor: Int32) -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = read(descriptor)
            if chunk.isEmpty { return all }
            all += chunk
        }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        // pipe2(O_CLOEXEC) is not visible from Swift; the window until fcntl is a few
        // instructions long.
        guard Glibc.pipe(&descriptors) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    private static func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
