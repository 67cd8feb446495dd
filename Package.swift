// swift-tools-version:6.0
// The Locus package: layered modules that import only downward.
//
//   LocusErrors            the one table of ArangoDB error numbers (no dependencies)
//   LocusSyntax            lexer, parser, AST                     -> LocusErrors
//   LocusValues            AQL values, JSON, type order, collation -> LocusErrors, CICU
//   LocusGeo               spherical geometry, GeoJSON             -> LocusValues
//   LocusAnalysis          ArangoSearch analyzers: text to tokens  -> LocusValues, CStemmer
//   LocusFunctions         the function registry                   -> LocusValues, LocusGeo, LocusAnalysis, CPCRE2,
//                                                                     Crypto
//   LocusPlanner           binder, plan, optimizer, EXPLAIN        -> LocusSyntax, LocusFunctions
//   LocusStorage           SQLite collections, indexes and views   -> LocusValues, LocusGeo, LocusAnalysis, CSQLite
//   LocusExecution         executors                               -> LocusPlanner, LocusStorage
//   LocusPolicy            fabric, placement policy (pure)         -> LocusPlanner, LocusStorage
//   LocusReplication       anti-entropy sync, transports           -> LocusPolicy
//   Locus                  the embedding API (facade)              -> everything below
//   LocusFuzzing           the fuzzers' entry points (Fuzz/)       -> Locus
//   LocusShell             the interactive shell core              -> Locus, CEditLine
//   LocusServer            ArangoDB's and Macrometa's HTTP API, change-stream WebSockets and
//                          the sync endpoint on Hummingbird (SwiftNIO), the sync client on
//                          AsyncHTTPClient                         -> Locus
//   LocusCLI (`locus`)     command line on swift-argument-parser   -> LocusShell, LocusServer
//
// Only LocusServer and LocusCLI compile NIO.
import Foundation
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Locus",
    products: [
        .library(name: "Locus", targets: ["Locus"]),
        .executable(name: "locus", targets: ["LocusCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        .systemLibrary(
            name: "CICU", path: "Sources/CICU",
            providers: [.apt(["libicu-dev"])]),
        .systemLibrary(
            name: "CStemmer", path: "Sources/CStemmer",
            providers: [.apt(["libstemmer0d"])]),
        .systemLibrary(
            name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        .target(name: "LocusErrors", swiftSettings: strict),
        .target(name: "LocusSyntax", dependencies: ["LocusErrors"], swiftSettings: strict),
        .target(
            name: "LocusValues", dependencies: ["LocusErrors", "CICU"], swiftSettings: strict,
            linkerSettings: [.linkedLibrary("m")]),
        .target(
            name: "LocusGeo", dependencies: ["LocusValues"], swiftSettings: strict,
            linkerSettings: [.linkedLibrary("m")]),
        .target(
            name: "LocusAnalysis", dependencies: ["LocusValues", "LocusErrors", "CStemmer"], swiftSettings: strict),
        .target(
            name: "LocusFunctions",
            dependencies: [
                "LocusValues", "LocusGeo", "LocusAnalysis", "LocusErrors", "CPCRE2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "LocusPlanner",
            dependencies: ["LocusSyntax", "LocusValues", "LocusFunctions", "LocusErrors"],
            swiftSettings: strict),
        .target(
            name: "LocusStorage",
            dependencies: [
                "LocusValues", "LocusGeo", "LocusAnalysis", "LocusErrors", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "LocusExecution",
            dependencies: [
                "LocusPlanner", "LocusFunctions", "LocusAnalysis", "LocusStorage", "LocusValues",
                "LocusSyntax", "LocusErrors",
            ],
            swiftSettings: strict),
        .target(
            name: "LocusPolicy",
            dependencies: [
                "LocusPlanner", "LocusFunctions", "LocusSyntax", "LocusStorage", "LocusValues",
                "LocusErrors", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "LocusReplication",
            dependencies: [
                "LocusPolicy", "LocusStorage", "LocusValues", "LocusErrors",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "Locus",
            dependencies: [
                "LocusReplication", "LocusPolicy", "LocusExecution", "LocusPlanner", "LocusStorage", "LocusFunctions",
                "LocusAnalysis", "LocusValues", "LocusSyntax", "LocusErrors",
            ],
            swiftSettings: strict),
        .target(
            name: "LocusFuzzing", dependencies: ["Locus", "LocusPolicy", "LocusValues"], swiftSettings: strict),
        .target(
            name: "LocusShell",
            dependencies: [
                "Locus", "CEditLine", "LocusPlanner", "LocusFunctions", "LocusSyntax", "LocusValues", "LocusErrors",
            ],
            swiftSettings: strict),
        .target(
            name: "LocusServer",
            dependencies: [
                "Locus", "LocusValues", "LocusErrors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "LocusCLI",
            dependencies: [
                "Locus", "LocusShell", "LocusServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .target(
            name: "LocusTestSupport", dependencies: ["CSQLite"], path: "Tests/LocusTestSupport", swiftSettings: strict),
        // The fault-injecting SQLite VFS of the reliability tests (a C shim; never in a product).
        .target(name: "CFaultVFS", path: "Tests/CFaultVFS", linkerSettings: [.linkedLibrary("sqlite3")]),
        .testTarget(
            name: "LocusValuesTests", dependencies: ["LocusValues", "LocusErrors", "LocusTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusSyntaxTests", dependencies: ["LocusSyntax", "LocusErrors", "LocusTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusErrorsTests", dependencies: ["LocusErrors", "LocusTestSupport"], swiftSettings: strict),
        .testTarget(name: "LocusGeoTests", dependencies: ["LocusGeo", "LocusValues"], swiftSettings: strict),
        .testTarget(
            name: "LocusAnalysisTests", dependencies: ["LocusAnalysis", "LocusValues", "LocusErrors"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusFunctionsTests",
            dependencies: ["LocusFunctions", "LocusValues", "LocusErrors", "LocusTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusPlannerTests", dependencies: ["LocusPlanner", "LocusSyntax", "LocusValues", "LocusErrors"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusExecutionTests",
            dependencies: [
                "LocusExecution", "LocusPlanner", "LocusStorage", "LocusSyntax", "LocusValues", "LocusErrors",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LocusPolicyTests",
            dependencies: ["LocusPolicy", "LocusStorage", "LocusValues", "LocusErrors", "LocusTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusStorageTests",
            dependencies: [
                "LocusStorage", "LocusAnalysis", "LocusValues", "LocusErrors", "LocusTestSupport", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LocusTests",
            dependencies: [
                "Locus", "LocusReplication", "LocusStorage", "LocusTestSupport", "LocusSyntax", "LocusPlanner",
                "LocusFunctions", "LocusValues", "LocusErrors", "CFaultVFS", "CSQLite",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LocusReplicationTests",
            dependencies: [
                "LocusReplication", "LocusPolicy", "LocusStorage", "LocusTestSupport", "LocusValues", "LocusErrors",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LocusShellTests", dependencies: ["LocusShell", "Locus", "LocusValues", "LocusTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LocusCLITests", dependencies: ["LocusValues", "LocusTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "LocusFuzzingTests",
            dependencies: [
                "LocusFuzzing", "Locus", "LocusPolicy", "LocusReplication", "LocusValues", "LocusErrors", "LocusSyntax",
                "LocusTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LocusServerTests", dependencies: ["LocusServer", "Locus", "LocusValues", "LocusTestSupport"],
            swiftSettings: strict),
    ]
)

// The libFuzzer executable (Fuzz/Driver) over the surfaces of `LocusFuzzing`. Fuzz/run.sh builds
// it with LOCUS_FUZZ=1 in its own build folder; every other build leaves it out, since it
// links only with -sanitize=fuzzer.
if ProcessInfo.processInfo.environment["LOCUS_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "FuzzLocus", dependencies: ["LocusFuzzing", "LocusServer"], path: "Fuzz/Driver", swiftSettings: strict
        )
    )
}
