import Foundation

/// The command line of `ledger-bench`, parsed by hand so the tool needs nothing beyond the library.
struct BenchmarkOptions {
    var events = 100_000
    var batchSize = 1_000
    var requests = 2_000
    var streams = 40
    var runs = 3
    var cryptoSeconds = 2.0
    var outPath = "bench-results.json"
    var plotPath = "bench-scaling.svg"
    var directory: String?
    var keepLedgers = false
    var opensslSpeed = true
    var peer = true
    var python: String?
    var peerScript: String?
    var sizes = [10_000, 100_000, 1_000_000]
    var writers = [1, 2, 4]
    var incremental = [10_000, 100_000]
    var ledgerBinary: String?
    /// A PostgreSQL server (a user that may create databases) for the scaling runs' copy and
    /// verify there; nil skips them.
    var postgres: String?
    var projectionEvents = [100_000]
    var projectionsOnly = false
    var concurrency = [1, 16, 64]
    var loadWrites = 20_000
    var server = true
    /// Tree sizes (leaves) of the proof phase; sizes up to `proofLedgerEvents` use a real ledger.
    var proofSizes = [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
    var proofRepetitions = 1_000
    var proofLedgerEvents = 1_000_000
    var showHelp = false

    static let help = """
        USAGE: ledger-bench [options]

        Measures, in one invocation, the physical limits of this machine (OpenSSL Ed25519 sign and
        verify per core and on all cores, SHA-256 throughput, fsync and durable SQLite commits), a
        peer (Python `eventsourcing` 9.5 with its SQLite recorder) and ours on the same durable
        per-save workload, batch appends and verification against their crypto limits, then how
        the cost of append (1, 2 and 4 writer processes), verify, incremental verify, rebuild,
        metrics and export grows with the ledger, times the projection rebuild and metrics
        through the library on workflow ledgers (simulated approval traffic), and Merkle
        inclusion and consistency proofs from 10^3 to 10^8 leaves. Prints a table with
        PASS/FAIL per budget, writes every figure to a JSON file and plots time against ledger
        size as SVG.

        Build both executables in release mode, then run it from the repository:
          swift build -c release --scratch-path .build-bench --product ledger
          swift build -c release --scratch-path .build-bench --product ledger-bench
          Tools/peer/setup.sh      # once: a virtualenv with eventsourcing for the peer
          .build-bench/release/ledger-bench
        A quick subset:
          .build-bench/release/ledger-bench --sizes 10000,100000 --runs 1
        Rebuild and metrics alone:
          .build-bench/release/ledger-bench --projections-only --projection-events 100000 --projection-events 1000000

        OPTIONS:
          --events N            Events appended in batches, then verified, for the batch-append and
                                verify budgets (default 100000).
          --batch-size N        Events per append transaction, here and in the scaling runs
                                (default 1000).
          --requests N          Approval requests in the durable per-save workload, two saves each
                                (default 2000); the peer runs half of them before ours, half after.
          --streams N           Streams the batch events are spread over (default 40).
          --runs N              Repetitions of every measurement; tables show the median (default 3).
                                Scaling appends run --runs times per size and writer count; the
                                operations on the last one-writer ledger (and on one workflow
                                ledger per size) are timed --runs times.
          --crypto-seconds S    Seconds per crypto limit measurement (default 2). The limit that
                                bounds a phase is measured half before it, half after.
          --sizes LIST          Ledger sizes of the scaling runs, comma-separated (default
                                10000,100000,1000000); `none` skips them.
          --writers LIST        Writer process counts for the scaling appends (default 1,2,4).
          --incremental LIST    Events appended after a checkpoint of the largest scaling ledger
                                before each `ledger verify --since-checkpoint` (default 10000,100000;
                                cumulative); `none` skips it.
          --concurrency LIST    Concurrent writers of the load phase, comma-separated (default
                                1,16,64; none skips it): tasks appending in this process, each
                                append durable before its next (group commit shares commits).
          --load-writes N       Durable writes per measurement of the load phase, shared by the
                                writers (default 20000).
          --no-server           Skip driving `ledger serve` in the load phase (it runs whenever the
                                `ledger` binary has `serve`): the same writes as raw appends over
                                HTTP from as many clients, each its own kept-alive connection.
          --proof-sizes LIST    Merkle tree sizes (leaves) at which inclusion and consistency proofs
                                are produced and checked, comma-separated (default 1000,10000,
                                100000,1000000,10000000,100000000); `none` skips the proof phase.
          --proof-ledger-events N
                                Events of the ledger built for the proof phase (default 1000000;
                                0: none): sizes up to it are proved from its stored tree through
                                `Ledger`, every size also from a synthetic tree of equal leaves.
          --proof-repetitions N Proofs timed per position and size; the table shows the median
                                (default 1000).
          --no-peer             Skip the peer (its budget is then not checked).
          --python PATH         Python for the peer (default Tools/peer/.venv/bin/python, made by
                                Tools/peer/setup.sh, else python3).
          --peer-script PATH    The peer script (default Tools/peer/eventsourcing_bench.py).
          --ledger-binary PATH  The `ledger` executable the scaling runs time (default: the one
                                beside ledger-bench).
          --postgres URL        Also copy each size's ledger into a new database on this PostgreSQL
                                server and verify it there (the URL's user creates and drops
                                databases ledger_bench_*; psql must be on PATH).
          --dir PATH            Directory for the scratch ledgers (default: the system temp dir).
                                fsync latency depends on the file system under it; the 1M-event
                                scaling needs about 3 GB there.
          --keep                Keep the scratch ledgers instead of deleting them.
          --no-openssl-speed    Skip running `openssl speed` (the library figures are always taken).
          --projection-events N Size of a workflow ledger to time the library's rebuild and metrics
                                on (repeatable; default 100000; 0 skips this phase). Built once per size.
          --projections-only    Only that phase: skip everything else.
          --out PATH            Where to write the JSON results (default bench-results.json).
          --plot PATH           Where to write the SVG plot (default bench-scaling.svg).
          -h, --help            Show this help.

        BUDGETS:
          per-save      ours >= 5x the peer's events/s, same durable workload; the Approvals
                        API (open + approve) >= 1x the peer's saves/s, and its CPU per save
                        <= 1.5x a raw signed append's
          server load   `ledger serve` raw appends from 64 clients >= 4x the peer's durable
                        per-save events/s (same run), and their p99 latency <= 25 ms
          batch append  >= 70% of one core's Ed25519 signs/s (library figure)
          verify        >= 85% of the Ed25519 verifies/s measured on all cores at once
          rebuild       >= 100,000 events/s replayed (median of runs; the whole rebuild, with its
                        two digests, is reported beside it); at the largest scaling size the
                        whole `ledger rebuild` process >= 300,000 workflow events/s
          metrics       < 1 s for `ledger metrics --format json` as a process (median of runs);
                        < 0.2 s at the largest scaling size
          tree upkeep   batch append's share of the sign rate >= 90% of its share before the
                        Merkle tree (90.2%, 2026-11-22); the tree's own CPU alone <= 10% of a
                        batch append's CPU per event
          proofs        at the largest proof size (10^8 leaves by default): an inclusion proof
                        <= 1,000 bytes and produced + checked in < 1 ms (slowest position,
                        SQLite reads costed as measured on the stored tree); cost per proof at
                        the largest size <= 1.25 × (log2 largest / log2 smallest) × its cost at
                        the smallest, for inclusion and consistency, synthetic and stored trees
          scaling       every operation's time per event at the largest size <= 1.25x that at the
                        smallest; `ledger verify` peak RSS <= 100 MB at every size; on the
                        largest workflow ledger >= 85% of the all-cores verify rate and
                        <= 50 MiB; incremental verify time per new event <= 1.25x a full
                        verify's time per event on a ledger of as many events
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
        func list(_ flag: String) throws -> [Int] {
            let text = try value(for: flag)
            if text == "none" { return [] }
            let numbers = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
            guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw BenchmarkError.usage("\(flag) needs positive integers separated by commas (or none), got '\(text)'")
            }
            return Array(Set(numbers.compactMap { $0 })).sorted()
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--events": options.events = try positive(argument)
            case "--batch-size": options.batchSize = try positive(argument)
            case "--requests": options.requests = try positive(argument)
            case "--streams": options.streams = try positive(argument)
            case "--runs": options.runs = try positive(argument)
            case "--crypto-seconds":
                let text = try value(for: argument)
                guard let seconds = Double(text), seconds > 0 else {
                    throw BenchmarkError.usage("--crypto-seconds needs a positive number, got '\(text)'")
                }
                options.cryptoSeconds = seconds
            case "--sizes": options.sizes = try list(argument)
            case "--writers": options.writers = try list(argument)
            case "--incremental": options.incremental = try list(argument)
            case "--concurrency": options.concurrency = try list(argument)
            case "--load-writes": options.loadWrites = try positive(argument)
            case "--no-server": options.server = false
            case "--proof-sizes": options.proofSizes = try list(argument)
            case "--proof-repetitions": options.proofRepetitions = try positive(argument)
            case "--proof-ledger-events":
                let text = try value(for: argument)
                guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= 0 else {
                    throw BenchmarkError.usage("--proof-ledger-events needs a non-negative integer, got '\(text)'")
                }
                options.proofLedgerEvents = number
            case "--no-peer": options.peer = false
            case "--python": options.python = try value(for: argument)
            case "--peer-script": options.peerScript = try value(for: argument)
            case "--ledger-binary": options.ledgerBinary = try value(for: argument)
            case "--postgres":
                // Checked now, not after the hour of benchmarks before the first copy.
                let server = try value(for: argument)
                _ = try PostgresScaling.url(server, database: "check")
                options.postgres = server
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
            case "--plot": options.plotPath = try value(for: argument)
            case "-h", "--help": options.showHelp = true
            default: throw BenchmarkError.usage("unknown argument '\(argument)'; see --help")
            }
        }
        if let projectionSizes { options.projectionEvents = projectionSizes }
        if options.projectionsOnly, options.projectionEvents.isEmpty {
            throw BenchmarkError.usage("--projections-only needs a --projection-events size")
        }
        if options.projectionsOnly {
            options.sizes = []
            options.proofSizes = []
            options.peer = false
        }
        if !options.sizes.isEmpty, options.writers.isEmpty {
            throw BenchmarkError.usage("--writers needs at least one writer count when --sizes names a size")
        }
        return options
    }
}
