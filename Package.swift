// swift-tools-version: 6.0
import PackageDescription
import Foundation

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "regctl",
    products: [
        .executable(name: "regctl", targets: ["regctl"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0")
    ],
    targets: [
        // libpq, the PostgreSQL C client library.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Calendar dates in the Asia/Shanghai day: shared by the database layer and the domain.
        .target(name: "Dates"),
        // Swift over libpq; knows nothing of physicians.
        .target(name: "Postgres", dependencies: ["CLibPQ", "Dates"]),
        // Migrations and reference data, carried as resources of their own target.
        .target(name: "Migrations", path: "sql", resources: [.copy("migrations")]),
        // The domain: value types, records, rules. Pure Swift, no SQL.
        .target(name: "Registration", dependencies: ["Dates"]),
        // Excel workbooks (.xlsx): read a sheet row by row, write sheets row by row. ZIP by ZIPFoundation.
        .target(
            name: "Spreadsheet",
            dependencies: ["Dates", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Printing results: table (CJK widths), CSV, JSON, HTML with its charts, XLSX; knows no command.
        .target(name: "Rendering", dependencies: ["Spreadsheet"]),
        // The registry's database: the only module with SQL. Takes and returns domain values.
        .target(
            name: "RegistryStore",
            dependencies: ["Postgres", "Registration", "Migrations", "Dates", "Rendering", logging]),
        // Synthetic registry data for demos and benchmarks, written through the store's bulk writer.
        .target(name: "RegistrySeed", dependencies: ["RegistryStore", "Registration", "Dates", logging]),
        // The command API: commands, handler, imports, reports, events, access. No SQL: it reaches the
        // database through RegistryStore only (scripts/test fails if a file here imports Postgres).
        .target(
            name: "API",
            dependencies: [
                "RegistryStore", "RegistrySeed", "Registration", "Dates", "Rendering", "Spreadsheet", logging
            ]),
        // The network door (`regctl serve`): Hummingbird 2 over the same Handler and commands as the CLI; a
        // pool of stores whose blocking libpq calls run on a thread pool, never on the event loop. No SQL.
        .target(
            name: "Server",
            dependencies: [
                "API", "Rendering", "Registration", "Dates", logging,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdCore", package: "hummingbird")
            ]),
        // The CLI as the server's client (`--server`, `regctl login`): HTTP/1.1 over SwiftNIO, streaming both ways.
        .target(
            name: "Remote",
            dependencies: [
                "API", "Rendering", "Registration", logging,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl")
            ]),
        // The executable: argument parsing and output formatting only.
        .executableTarget(
            name: "regctl",
            dependencies: [
                "API", "RegistrySeed", "Rendering", "Registration", "Dates", "Server", "Remote", argumentParser, logging
            ]),
        // Load generator for scripts/bench (not shipped to users).
        .executableTarget(
            name: "regctl-bench", dependencies: ["Postgres", "API", "Dates", "Spreadsheet", "Remote", argumentParser]),
        // Helpers shared by the test targets: a real embedded cluster, a database per test.
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "API", "RegistryStore", "Registration", "Dates", "Spreadsheet"],
            path: "Tests/Support"),

        .testTarget(name: "DatesTests", dependencies: ["Dates"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport", "Dates"]),
        .testTarget(name: "RegistrationTests", dependencies: ["Registration", "Dates"]),
        .testTarget(
            name: "SpreadsheetTests",
            dependencies: ["Spreadsheet", "Dates", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "APITests", dependencies: ["API", "RegistryStore", "Registration", "Postgres", "TestSupport", "Dates"]
        ),
        .testTarget(
            name: "regctlTests",
            dependencies: ["regctl", "TestSupport", "API", "Postgres", "Dates", "Spreadsheet", "Registration"])
    ]
)

// Coverage-guided fuzz targets (scripts/fuzz): only with REGCTL_FUZZ=1 and `-sanitize=fuzzer
// -parse-as-library`, which give them libFuzzer's main. Each calls one check of FuzzChecks, which the
// test suite also runs on every input kept in Tests/Fuzz/corpus (FuzzCorpusTests).
if ProcessInfo.processInfo.environment["REGCTL_FUZZ"] != nil {
    package.targets.append(.target(name: "CLibFuzzer", path: "Tests/Fuzz/CLibFuzzer"))
    package.targets.append(.target(name: "FuzzDriver", dependencies: ["CLibFuzzer"], path: "Tests/Fuzz/Driver"))
    for name in ["dates", "ids", "csv", "exec", "xlsx"] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["FuzzDriver", "TestSupport"], path: "Tests/Fuzz/Targets/\(name)"))
    }
}
