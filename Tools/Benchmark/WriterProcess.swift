import ApprovalLedger
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ledger-bench --writer …`: one of the writer processes of the scaling runs, started by the
/// benchmark itself (not a user-facing mode). It opens the ledger, sleeps until the common start
/// time so that every writer starts at once, appends its events in batches (each one durable
/// transaction), and prints a `Report` as one JSON line.
enum WriterProcess {
    struct Job: Equatable {
        var ledger: String
        var key: String
        var identity: String
        /// Index of the first workload event this writer appends; the others follow in order.
        var first: Int
        var events: Int
        var batchSize: Int
        var streams: Int
        /// `MonotonicClock` nanoseconds at which to start appending.
        var startAt: UInt64

        var arguments: [String] {
            [
                "--writer", "--ledger", ledger, "--key", key, "--identity", identity, "--first", String(first),
                "--events", String(events), "--batch-size", String(batchSize), "--streams", String(streams),
                "--start-at", String(startAt),
            ]
        }

        /// Parses `arguments` after `--writer`.
        static func parse(_ arguments: [String]) throws -> Job {
            var values: [String: String] = [:]
            var remaining = arguments[...]
            while let flag = remaining.popFirst() {
                guard flag.hasPrefix("--"), let value = remaining.popFirst() else {
                    throw BenchmarkError.usage("--writer: '\(flag)' needs a value")
                }
                values[String(flag.dropFirst(2))] = value
            }
            func string(_ name: String) throws -> String {
                guard let value = values[name] else { throw BenchmarkError.usage("--writer needs --\(name)") }
                return value
            }
            func number(_ name: String) throws -> Int {
                guard let value = Int(try string(name)), value >= 0 else { throw BenchmarkError.usage("--writer: --\(name) is not a count") }
                return value
            }
            guard let startAt = UInt64(try string("start-at")) else { throw BenchmarkError.usage("--writer: --start-at is not a time") }
            return Job(
                ledger: try string("ledger"), key: try string("key"), identity: try string("identity"), first: try number("first"),
                events: try number("events"), batchSize: max(1, try number("batch-size")), streams: max(1, try number("streams")),
                startAt: startAt)
        }
    }

    /// What a writer did, on the monotonic clock all processes share.
    struct Report: Equatable {
        var events: Int
        var startNanoseconds: UInt64
        var endNanoseconds: UInt64
        /// CPU seconds of the append loop, all threads of the writer.
        var cpuSeconds: Double
        /// Seconds of the loop spent building drafts rather than appending them.
        var draftSeconds: Double
        /// The writer's own VmHWM at the end.
        var peakResidentBytes: Int

        var line: String {
            "{\"events\":\(events),\"start\":\(startNanoseconds),\"end\":\(endNanoseconds),\"cpuSeconds\":\(cpuSeconds),\"draftSeconds\":\(draftSeconds),\"peakResidentBytes\":\(peakResidentBytes)}"
        }

        static func parse(_ output: String) throws -> Report {
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                  let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let events = (object["events"] as? NSNumber)?.intValue, let start = (object["start"] as? NSNumber)?.uint64Value,
                  let end = (object["end"] as? NSNumber)?.uint64Value, let cpu = (object["cpuSeconds"] as? NSNumber)?.doubleValue,
                  let drafts = (object["draftSeconds"] as? NSNumber)?.doubleValue,
                  let peak = (object["peakResidentBytes"] as? NSNumber)?.intValue
            else { throw BenchmarkError.invalidRun("a writer process printed no report: \(output.prefix(200))") }
            return Report(
                events: events, startNanoseconds: start, endNanoseconds: end, cpuSeconds: cpu, draftSeconds: drafts, peakResidentBytes: peak)
        }
    }

    /// Runs the writer; returns the exit status.
    static func main(_ arguments: [String]) async -> Int32 {
        do {
            let job = try Job.parse(arguments)
            let ledger = try await Ledger.open(at: job.ledger)
            let signer = Signer(identity: job.identity, key: try KeyFile.readPrivateKey(atPath: job.key))
            let workload = Workload(streams: job.streams)
            MonotonicClock.sleep(until: job.startAt)
            // Each batch's drafts are built just before it is appended (holding a million drafts
            // would dwarf the memory the appends need); the time it takes is reported apart.
            let (start, cpu) = (MonotonicClock.nanoseconds, PhaseTiming.processCPUSeconds())
            var index = job.first
            var drafting: UInt64 = 0
            while index < job.first + job.events {
                let end = min(index + job.batchSize, job.first + job.events)
                let before = MonotonicClock.nanoseconds
                let drafts = workload.drafts(index..<end)
                drafting += MonotonicClock.nanoseconds - before
                _ = try await ledger.append(drafts, signer: signer)
                index = end
            }
            let report = Report(
                events: job.events, startNanoseconds: start, endNanoseconds: MonotonicClock.nanoseconds,
                cpuSeconds: PhaseTiming.processCPUSeconds() - cpu, draftSeconds: Double(drafting) / 1e9,
                peakResidentBytes: ProcessMemory.peakResidentBytes ?? 0)
            print(report.line)
            return 0
        } catch {
            FileHandle.standardError.write(Data("ledger-bench --writer: \(error)\n".utf8))
            return 2
        }
    }
}

/// CLOCK_MONOTONIC, which every process on the machine shares: writers agree on a start time.
enum MonotonicClock {
    static var nanoseconds: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func sleep(until deadline: UInt64) {
        let now = nanoseconds
        guard deadline > now else { return }
        usleep(UInt32(min((deadline - now) / 1000, UInt64(UInt32.max))))
    }
}
