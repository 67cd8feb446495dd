// swift-tools-version:6.0
// A package that depends on Locus the way an app does: by version, from a git repository.
// `run.sh` makes that repository (a bare clone of this checkout tagged 0.1.0), puts the README's
// embedding example in Sources/Consumer/main.swift, builds and runs it. It proves that SwiftPM
// accepts Locus as a versioned dependency (no unsafe build flags) and that the example works.
import PackageDescription

let locus = Context.environment["LOCUS_PACKAGE_URL"] ?? "https://github.com/locus-db/locus"

let package = Package(
    name: "Consumer",
    dependencies: [
        .package(url: locus, from: "0.1.0")
    ],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [.product(name: "Locus", package: "locus")],
            swiftSettings: [.swiftLanguageMode(.v6)])
    ]
)
