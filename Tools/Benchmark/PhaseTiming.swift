#if canImport(Glibc)
import Glibc
/// Glibc imports RUSAGE_SELF as an enum case; getrusage wants its raw value.
private let RUSAGE_SELF_WHO = RUSAGE_SELF.rawValue
#elseif canImport(Darwin)
import Darwin
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// Wall-clock and CPU time (user + system, all threads of the process) spent on some events.
///
/// CPU time per event is much steadier than wall-clock rates on a shared machine, and CPU time
/// ÷ wall time says how many cores a phase kept busy.
struct PhaseTiming {
    var events = 0
    var wallSeconds = 0.0
    var cpuSeconds = 0.0

    var eventsPerSecond: Double { Double(events) / wallSeconds }
    var cpuMicrosecondsPerEvent: Double { cpuSeconds * 1e6 / Double(events) }
    /// Average number of cores busy.
    var coresBusy: Double { cpuSeconds / wallSeconds }

    /// Adds the time `body` takes, for `events` more events.
    mutating func time(events: Int, _ body: () throws -> Void) rethrows {
        let (cpu, start) = (Self.processCPUSeconds(), ContinuousClock.now)
        try body()
        wallSeconds += (ContinuousClock.now - start).seconds
        cpuSeconds += Self.processCPUSeconds() - cpu
        self.events += events
    }

    /// Adds the time the async `body` takes, for `events` more events.
    mutating func time(events: Int, _ body: () async throws -> Void) async rethrows {
        let (cpu, start) = (Self.processCPUSeconds(), ContinuousClock.now)
        try await body()
        wallSeconds += (ContinuousClock.now - start).seconds
        cpuSeconds += Self.processCPUSeconds() - cpu
        self.events += events
    }

    /// User + system CPU seconds of every thread of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
