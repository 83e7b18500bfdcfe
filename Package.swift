// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "approval-ledger",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ApprovalLedger", targets: ["ApprovalLedger"]),
        .executable(name: "ledger", targets: ["LedgerCLI"]),
        .executable(name: "ledger-bench", targets: ["LedgerBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-structured-headers", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Layer 1: OpenSSL libcrypto, wrapped so no C type escapes LedgerCrypto.
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "LedgerCrypto", dependencies: ["CLibCrypto"], swiftSettings: strict),
        // Layer 2: pure Swift, no I/O. Everything an independent verifier re-implements.
        .target(name: "LedgerFormat", dependencies: ["LedgerCrypto"], swiftSettings: strict),
        // Layer 3: the approval domain, pure: fold(events) -> state, decide(state, command) -> events.
        .target(
            name: "LedgerDomain",
            dependencies: ["LedgerCrypto", "LedgerFormat", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Layer 4: the SQLite event store and its projections (which fold events with the
        // domain). Schema files live in top-level Migrations/.
        .target(
            name: "LedgerMigrations",
            path: "Migrations",
            exclude: ["README.md"],
            resources: [
                .embedInCode("0001_events.sql"),
                .embedInCode("0002_requests.sql"),
                .embedInCode("0003_projections.sql"),
                .embedInCode("0004_tokens.sql"),
                .embedInCode("0005_merkle.sql"),
                .embedInCode("0006_redactions.sql"),
                .embedInCode("0007_webhooks.sql"),
                .embedInCode("0008_slack_messages.sql"),
                // PostgreSQL's own schema (docs/STORAGE.md), applied by LedgerPostgres.
                .embedInCode("postgres/pg0001_events.sql"),
                .embedInCode("postgres/pg0002_projections.sql"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerCrypto", "LedgerFormat", "LedgerDomain", "LedgerMigrations",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The PostgreSQL backend (PostgresNIO): the same rows, byte for byte, in a database
        // several hosts share.
        .target(
            name: "LedgerPostgres",
            dependencies: [
                "LedgerCrypto", "LedgerFormat", "LedgerStore", "LedgerMigrations",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Layer 5: reads the store, never writes events.
        .target(name: "LedgerVerify", dependencies: ["LedgerCrypto", "LedgerFormat", "LedgerDomain", "LedgerStore"], swiftSettings: strict),
        .target(
            name: "LedgerExport",
            dependencies: ["LedgerCrypto", "LedgerFormat", "LedgerDomain", "LedgerStore", "LedgerVerify"],
            swiftSettings: strict
        ),
        // A C2SP tlog-witness: the add-checkpoint checks (pure) and its state directory.
        .target(name: "LedgerWitness", dependencies: ["LedgerCrypto", "LedgerFormat"], swiftSettings: strict),
        // The public library: re-exports the layers services need.
        .target(
            name: "ApprovalLedger",
            dependencies: ["LedgerCrypto", "LedgerFormat", "LedgerDomain", "LedgerStore", "LedgerVerify", "LedgerExport", "LedgerWitness"],
            swiftSettings: strict
        ),
        // HTTP Message Signatures (RFC 9421) with Ed25519 and Content-Digest (RFC 9530): pure,
        // shared by the server (verifying) and the clients (signing).
        .target(
            name: "HTTPSignatures",
            dependencies: [
                "LedgerCrypto",
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
            ],
            swiftSettings: strict
        ),
        // `ledger serve`: the ledger over HTTP (Hummingbird 2), over the same `Approvals`.
        .target(
            name: "LedgerServer",
            dependencies: [
                "ApprovalLedger", "HTTPSignatures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // docs/openapi.yaml links to this copy: SwiftPM embeds only files inside a target.
            resources: [.embedInCode("openapi.yaml")],
            swiftSettings: strict
        ),
        // The Slack gateway and webhook delivery, as extensions of `ledger serve`; outbound
        // HTTP (Slack's Web API, webhook receivers) through AsyncHTTPClient.
        .target(
            name: "LedgerChat",
            dependencies: [
                "ApprovalLedger", "LedgerServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LedgerCLI",
            dependencies: [
                "ApprovalLedger", "LedgerServer", "LedgerChat", "LedgerPostgres", "HTTPSignatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("demo-policy.yaml")],
        ),
        // Tools/: the benchmark behind docs/PERFORMANCE.md (run it with -c release).
        .executableTarget(
            name: "LedgerBenchmark",
            dependencies: ["ApprovalLedger", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tools/Benchmark",
            swiftSettings: strict
        ),
        .testTarget(
            name: "LedgerCryptoTests",
            dependencies: ["LedgerCrypto", "TestSupport"],
        ),
        .testTarget(
            name: "LedgerFormatTests",
            dependencies: ["LedgerFormat", "TestSupport"],
        ),
        .testTarget(
            name: "LedgerWitnessTests",
            dependencies: ["LedgerWitness", "TestSupport"]
        ),
        .testTarget(
            name: "LedgerDomainTests",
            dependencies: ["LedgerDomain", "TestSupport"]
        ),
        .testTarget(
            name: "LedgerStoreTests",
            dependencies: ["ApprovalLedger", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "LedgerExportTests",
            dependencies: ["ApprovalLedger", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "LedgerCLITests",
            dependencies: ["LedgerCLI", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "HTTPSignaturesTests",
            dependencies: ["HTTPSignatures", "TestSupport"]
        ),
        .testTarget(
            name: "LedgerServerTests",
            dependencies: [
                // LedgerChat: the routes of the extensions `ledger serve` installs are held to
                // docs/openapi.yaml too, and the chat end-to-end tests.
                "LedgerServer", "LedgerChat", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // Reads the Prometheus rule files whose expressions the Prometheus test runs.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "LedgerChatTests",
            dependencies: [
                "LedgerChat", "LedgerServer", "ApprovalLedger", "TestSupport",
                // The end-to-end tests ask the running server for its webhooks' state.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "LedgerPostgresTests",
            dependencies: ["LedgerPostgres", "ApprovalLedger", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "LedgerBenchmarkTests",
            dependencies: ["LedgerBenchmark"]
        ),
        .target(
            name: "TestSupport", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], path: "Tests/TestSupport",
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
