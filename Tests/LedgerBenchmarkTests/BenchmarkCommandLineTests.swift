@testable import LedgerBenchmark
import Testing

@Suite("ledger-bench command lines: its own, its writers', and what it reads from `ledger`")
struct BenchmarkCommandLineTests {
    @Test func sizesAndWritersAreCommaSeparatedLists() throws {
        let options = try BenchmarkOptions.parse(["--sizes", "100000,10_000", "--writers", "4,1", "--incremental", "none", "--no-peer"])
        #expect(options.sizes == [10_000, 100_000])
        #expect(options.writers == [1, 4])
        #expect(options.incremental.isEmpty)
        #expect(!options.peer)
        #expect(try BenchmarkOptions.parse(["--sizes", "none"]).sizes.isEmpty)
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--sizes", "10k"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--sizes", "0,10"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--writers", "none"]) }
    }

    @Test func aPostgresServerIsAURLWhoseDatabaseEachRunReplaces() throws {
        #expect(try BenchmarkOptions.parse([]).postgres == nil)
        let server = "postgres://bench@127.0.0.1:5433/postgres?sslmode=disable"
        #expect(try BenchmarkOptions.parse(["--postgres", server]).postgres == server)
        #expect(try PostgresScaling.url(server, database: "ledger_bench_1") == "postgres://bench@127.0.0.1:5433/ledger_bench_1?sslmode=disable")
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--postgres", "/tmp/x.ledger"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--postgres"]) }
    }

    @Test func proofSizesAreAListAndTheProofLedgerMayBeLeftOut() throws {
        let defaults = try BenchmarkOptions.parse([])
        #expect(defaults.proofSizes == [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000])
        #expect(defaults.proofLedgerEvents == 1_000_000)
        let options = try BenchmarkOptions.parse([
            "--proof-sizes", "100_000_000,1000", "--proof-repetitions", "50", "--proof-ledger-events", "0",
        ])
        #expect(options.proofSizes == [1_000, 100_000_000])
        #expect(options.proofRepetitions == 50)
        #expect(options.proofLedgerEvents == 0)
        #expect(try BenchmarkOptions.parse(["--proof-sizes", "none"]).proofSizes.isEmpty)
        #expect(try BenchmarkOptions.parse(["--projections-only", "--projection-events", "1000"]).proofSizes.isEmpty)
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--proof-sizes", "1e8"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--proof-sizes", "0,1000"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--proof-sizes"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--proof-repetitions", "0"]) }
        #expect(throws: BenchmarkError.self) { try BenchmarkOptions.parse(["--proof-ledger-events", "-1"]) }
    }

    @Test func aWriterJobAndItsReportRoundTrip() throws {
        let job = WriterProcess.Job(
            ledger: "/tmp/a b.ledger", key: "/tmp/k.pem", identity: "deploy-bot", first: 500, events: 250, batchSize: 100, streams: 40,
            startAt: 123_456_789_000)
        #expect(job.arguments.first == "--writer")
        #expect(try WriterProcess.Job.parse(Array(job.arguments.dropFirst())) == job)
        #expect(throws: BenchmarkError.self) { try WriterProcess.Job.parse(["--ledger", "x"]) }
        let report = WriterProcess.Report(events: 250, startNanoseconds: 10, endNanoseconds: 2_000_000_010, cpuSeconds: 1.5, draftSeconds: 0.25, peakResidentBytes: 30 << 20)
        #expect(try WriterProcess.Report.parse("noise\n" + report.line + "\n") == report)
    }

    @Test func subcommandsAreReadFromTheHelp() {
        let help = """
            OVERVIEW: Record approvals.

            SUBCOMMANDS:
              demo                    Build a ledger from realistic approval scenarios,
                                      verify it, and tell what happened.
              rebuild                 Drop and replay the projection tables.
              verify                  Prove the ledger complete, untouched and correctly
                                      signed.

              See 'ledger help <subcommand>' for detailed help.
            """
        #expect(ScalingOperation.subcommands(help: help) == ["demo", "rebuild", "verify"])
    }

    @Test func aVerifyReportMustCoverEveryEvent() throws {
        let report = #"{"verified": true, "summary": {"events": 1002, "signaturesChecked": 1002}}"#
        try ScalingOperation.checkVerified(report, events: 1002)
        #expect(throws: BenchmarkError.self) { try ScalingOperation.checkVerified(report, events: 1003) }
        #expect(throws: BenchmarkError.self) {
            try ScalingOperation.checkVerified(#"{"verified": false, "summary": {"events": 2, "signaturesChecked": 2}}"#, events: 2)
        }
    }

    @Test func ratiosAndSharesPrintDifferently() {
        let ratio = Comparison(metric: .saveFull, rate: 3000, limitName: "peer", limit: 1000, fractions: [3.0, 2.5, 3.5], requiredFraction: 5, isRatio: true)
        #expect(ratio.formattedFraction == "3.00×")
        #expect(ratio.formattedBudget == "≥ 5×")
        #expect(ratio.passes == false)
        let share = Comparison(metric: .verify, rate: 9000, limitName: "verify", limit: 10000, fractions: [0.9], requiredFraction: 0.85)
        #expect(share.formattedFraction == "90.0%")
        #expect(share.formattedBudget == "≥ 85%")
        #expect(share.passes == true)
    }
}
