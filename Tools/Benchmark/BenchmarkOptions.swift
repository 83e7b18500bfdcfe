import Foundation

/// The command line of `ledger-bench`, parsed by hand so the tool needs nothing beyond the library.
struct BenchmarkOptions {
    var events = 100_000
    var batchSize = 1_000
    var singleAppends = 2_000
    var streams = 40
    var runs = 3
    var cryptoSeconds = 2.0
    var outPath = "bench-results.json"
    var directory: String?
    var keepLedgers = false
    var opensslSpeed = true
    var projectionEvents = [100_000]
    var projectionsOnly = false
    var showHelp = false

    static let help = """
        USAGE: ledger-bench [options]

        Measures, in one invocation, the physical limits of this machine (OpenSSL Ed25519 sign and
        verify on one core, SHA-256 throughput, fsync latency) and the ledger's own rates (batch
        append, single durable append, full verification), prints each rate beside its limit with
        the budget it must meet, and writes every figure to a JSON file. Then it builds workflow
        ledgers (simulated approval traffic) and times `ledger rebuild` and `ledger metrics` on them.

        Build and run it in release mode, e.g.
          swift run -c release ledger-bench --events 100000
          swift run -c release ledger-bench --projections-only --projection-events 100000 --projection-events 1000000

        OPTIONS:
          --events N            Events appended in batches, then verified (default 100000).
          --batch-size N        Events per append transaction (default 1000).
          --single N            Single-event appends, each its own transaction, per durability
                                setting (default 2000).
          --streams N           Streams the events are spread over (default 40).
          --runs N              Repetitions of the whole measurement; the table shows the median
                                (default 3).
          --crypto-seconds S    Seconds per crypto limit measurement (default 2). The limit that
                                bounds a ledger phase is measured half before it, half after.
          --dir PATH            Directory for the scratch ledgers (default: the system temp dir).
                                fsync latency depends on the file system under it.
          --keep                Keep the scratch ledgers instead of deleting them.
          --no-openssl-speed    Skip running `openssl speed` (the library figures are always taken).
          --projection-events N Size of a workflow ledger to time rebuild and metrics on (repeatable;
                                default 100000; 0 skips the projection phase). Built once per size.
          --projections-only    Only the projection phase: skip the limits, appends and verify.
          --out PATH            Where to write the JSON results (default bench-results.json).
          -h, --help            Show this help.

        BUDGETS:
          batch append  >= 70% of one core's Ed25519 signs/s (library figure)
          verify        >= 85% of cores x one core's Ed25519 verifies/s (library figure)
          rebuild       >= 100,000 events/s replayed (median of runs; the whole rebuild, with its
                        two digests, is reported beside it)
          metrics       < 1 s for `ledger metrics --format json` as a process (median of runs)
          Exit status is 0 when every budget passes, 1 when one fails, 2 on a usage or run error.
        """

    /// Parses `arguments` (without the program name).
    /// - Throws: `BenchmarkError.usage` with a sentence saying what is wrong.
    static func parse(_ arguments: [String]) throws -> BenchmarkOptions {
        var options = BenchmarkOptions()
        var remaining = arguments[...]
        var projectionSizes: [Int]?
        func value(for flag: String) throws -> String {
            guard let value = remaining.popFirst() else { throw BenchmarkError.usage("\(flag) needs a value") }
            return value
        }
        func positive(_ flag: String) throws -> Int {
            let text = try value(for: flag)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number > 0 else {
                throw BenchmarkError.usage("\(flag) needs a positive integer, got '\(text)'")
            }
            return number
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--events": options.events = try positive(argument)
            case "--batch-size": options.batchSize = try positive(argument)
            case "--single": options.singleAppends = try positive(argument)
            case "--streams": options.streams = try positive(argument)
            case "--runs": options.runs = try positive(argument)
            case "--crypto-seconds":
                let text = try value(for: argument)
                guard let seconds = Double(text), seconds > 0 else {
                    throw BenchmarkError.usage("--crypto-seconds needs a positive number, got '\(text)'")
                }
                options.cryptoSeconds = seconds
            case "--dir": options.directory = try value(for: argument)
            case "--keep": options.keepLedgers = true
            case "--no-openssl-speed": options.opensslSpeed = false
            case "--projection-events":
                let text = try value(for: argument)
                guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= 0 else {
                    throw BenchmarkError.usage("--projection-events needs a non-negative integer, got '\(text)'")
                }
                projectionSizes = (projectionSizes ?? []) + (number > 0 ? [number] : [])
            case "--projections-only": options.projectionsOnly = true
            case "--out": options.outPath = try value(for: argument)
            case "-h", "--help": options.showHelp = true
            default: throw BenchmarkError.usage("unknown argument '\(argument)'; see --help")
            }
        }
        if let projectionSizes { options.projectionEvents = projectionSizes }
        if options.projectionsOnly, options.projectionEvents.isEmpty {
            throw BenchmarkError.usage("--projections-only needs a --projection-events size")
        }
        return options
    }
}
