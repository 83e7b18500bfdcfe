/// One figure the benchmark measures in every run; its raw value is its key in the JSON file.
enum Metric: String, CaseIterable {
    case signsPerSecond = "ed25519_sign_per_s_1core"
    case verifiesPerSecond = "ed25519_verify_per_s_1core"
    case parallelVerifiesPerSecond = "ed25519_verify_per_s_all_cores"
    case opensslSignsPerSecond = "openssl_speed_sign_per_s"
    case opensslVerifiesPerSecond = "openssl_speed_verify_per_s"
    case sha256GigabytesPerSecond = "sha256_gb_per_s"
    case fsyncsPerSecond = "fdatasync_4k_per_s"
    case batchAppend = "batch_append_events_per_s"
    case singleAppendFull = "single_append_full_events_per_s"
    case singleAppendNormal = "single_append_normal_events_per_s"
    case verify = "verify_events_per_s"
    case batchAppendCPU = "batch_append_cpu_us_per_event"
    case singleAppendFullCPU = "single_append_full_cpu_us_per_event"
    case singleAppendNormalCPU = "single_append_normal_cpu_us_per_event"
    case verifyCPU = "verify_cpu_us_per_event"
    case batchAppendCores = "batch_append_cores_busy"
    case verifyCores = "verify_cores_busy"
    case residentBeforeVerifyBytes = "rss_before_verify_bytes"
    case verifyPeakBytes = "verify_peak_rss_bytes"
    case processPeakBytes = "process_peak_rss_bytes"
    case ledgerBytes = "batch_ledger_file_bytes"

    /// How the table names it.
    var label: String {
        switch self {
        case .signsPerSecond: "Ed25519 sign, 1 core (library)"
        case .verifiesPerSecond: "Ed25519 verify, 1 core (library)"
        case .parallelVerifiesPerSecond: "Ed25519 verify, all cores at once (library)"
        case .opensslSignsPerSecond: "Ed25519 sign, 1 core (openssl speed)"
        case .opensslVerifiesPerSecond: "Ed25519 verify, 1 core (openssl speed)"
        case .sha256GigabytesPerSecond: "SHA-256, 1 MiB buffers, 1 core"
        case .fsyncsPerSecond: "write 4 KiB + fdatasync, scratch dir"
        case .batchAppend: "batch append"
        case .singleAppendFull: "single append, synchronous=FULL"
        case .singleAppendNormal: "single append, synchronous=NORMAL"
        case .verify: "verify"
        case .batchAppendCPU: "batch append"
        case .singleAppendFullCPU: "single append, synchronous=FULL"
        case .singleAppendNormalCPU: "single append, synchronous=NORMAL"
        case .verifyCPU: "verify"
        case .batchAppendCores: "batch append, cores busy"
        case .verifyCores: "verify, cores busy"
        case .residentBeforeVerifyBytes: "RSS just before verifying"
        case .verifyPeakBytes: "peak RSS while verifying"
        case .processPeakBytes: "peak RSS of the process (VmHWM)"
        case .ledgerBytes: "batch ledger size on disk"
        }
    }

    var unit: String {
        switch self {
        case .signsPerSecond, .opensslSignsPerSecond: "signs/s"
        case .verifiesPerSecond, .parallelVerifiesPerSecond, .opensslVerifiesPerSecond: "verifies/s"
        case .sha256GigabytesPerSecond: "GB/s"
        case .fsyncsPerSecond: "syncs/s"
        case .batchAppend, .singleAppendFull, .singleAppendNormal, .verify: "events/s"
        case .residentBeforeVerifyBytes, .verifyPeakBytes, .processPeakBytes, .ledgerBytes: "bytes"
        case .batchAppendCPU, .singleAppendFullCPU, .singleAppendNormalCPU, .verifyCPU: "CPU µs/event"
        case .batchAppendCores, .verifyCores: "cores"
        }
    }
}
