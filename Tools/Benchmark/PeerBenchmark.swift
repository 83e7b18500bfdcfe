import Foundation

/// Runs the peer, Python's `eventsourcing` with its SQLite recorder, on `SaveWorkload`'s
/// workload as a child process (`Tools/peer/eventsourcing_bench.py`).
struct PeerBenchmark {
    let python: String
    let script: String

    /// The script and interpreter to use: the given paths, else the script in the source tree
    /// (searched from the working directory, then from this executable up) and the virtualenv
    /// `Tools/peer/setup.sh` makes beside it, else `python3` on PATH.
    /// - Throws: `BenchmarkError.usage` saying how to install the peer when it is not there.
    static func locate(python: String?, script: String?) throws -> PeerBenchmark {
        let relative = "Tools/peer/eventsourcing_bench.py"
        var candidates = [FileManager.default.currentDirectoryPath]
        var directory = ChildProcess.executableDirectory
        while directory.path != "/" {
            candidates.append(directory.path)
            directory.deleteLastPathComponent()
        }
        guard let script = script ?? candidates.map({ "\($0)/\(relative)" }).first(where: FileManager.default.fileExists(atPath:)) else {
            throw BenchmarkError.usage("cannot find \(relative); run from the repository, pass --peer-script PATH, or --no-peer")
        }
        let venv = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path
        guard let python = python ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : ChildProcess.find("python3")) else {
            throw BenchmarkError.usage("no python3 for the peer; run Tools/peer/setup.sh, pass --python PATH, or --no-peer")
        }
        return PeerBenchmark(python: python, script: script)
    }

    /// One run of `requests` approval requests (two saves each) in a new database in `directory`.
    func run(requests: Int, directory: String) throws -> PeerResult {
        let database = "\(directory)/peer-\(UUID().uuidString.prefix(8)).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        }
        guard let outcome = ChildProcess.run(
            python, [script, "--db", database, "--requests", String(requests)], errorPath: database + ".stderr", timeout: 600)
        else { throw BenchmarkError.invalidRun("cannot start \(python)") }
        guard outcome.succeeded else {
            let hint = outcome.standardErrorTail.contains("No module named 'eventsourcing'")
                ? " (eventsourcing is not installed for \(python): run Tools/peer/setup.sh, or pass --no-peer)" : ""
            throw BenchmarkError.invalidRun("the peer \(outcome.failureDescription)\(hint)")
        }
        return try PeerResult.parse(outcome.standardOutput)
    }

    /// "eventsourcing 9.5.6 (Python 3.11.7, SQLite 3.40.1)", or nil when the interpreter cannot say.
    func describe() -> String? {
        let program = """
            import platform, sqlite3
            from importlib.metadata import version
            print(f"eventsourcing {version('eventsourcing')} (Python {platform.python_version()}, SQLite {sqlite3.sqlite_version})")
            """
        return ChildProcess.output(of: python, ["-c", program])?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
