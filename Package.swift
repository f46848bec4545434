// swift-tools-version:6.2
import PackageDescription

/// Every target: an import is a decision (internal unless marked `public import`), and a
/// member is visible only from a module the file imports.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "qda",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "QDAKit", targets: ["QDAKit"]),
        .executable(name: "qda", targets: ["qda"]),
        .executable(name: "qda-bench", targets: ["qda-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The browser workbench's HTTP server (`qda serve`, QDAServer) and its route tests.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // bcrypt for team accounts' passwords (HummingbirdBcrypt: the C reference code, no
        // server dependency), rather than a hand-written hash.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // A connection's remote address, for the login rate limit (Hummingbird's own dependency).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // HTTP header names (Hummingbird's own dependency; named for the server's headers).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Graceful shutdown (Hummingbird's own dependency): live-update streams end on Ctrl-C.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // `swift package generate-documentation` (the QDAKit catalog; .ci/run builds it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Text: script classes, normalisation for matching, hygiene, sentences, code-point
        // and UTF-16 offsets. Foundation only (docs/architecture.md).
        .target(name: "QDAText"),
        // The codebook and the gazetteer: models, YAML loading and validation, the rating
        // scale their rules use.
        .target(name: "QDACodebook", dependencies: ["QDAText", .product(name: "Yams", package: "Yams")]),
        // The automaton, the matcher with valence and negation, region finding: no I/O
        // beyond mapping a file for the benchmark's counter, no store.
        .target(name: "QDAMatching", dependencies: ["QDAText", "QDACodebook"]),
        // Reading every input format into documents and cutting them into segments. Front
        // matter and manifests are YAML read by the codebook's YAML rules (QDACodebook, Yams);
        // .docx and .odt are zip archives.
        .target(
            name: "QDACorpus",
            dependencies: [
                "QDAText", "QDACodebook", .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The evidence model (codes, regions, quotes, segments, codings, memos as value types)
        // and the analyses on it: matrices, ratings and patterns, typology, co-occurrence,
        // comparison, agreement, QCA. No store, no SQL, no rendering.
        .target(name: "QDAAnalysis", dependencies: ["QDAText", "QDACodebook"]),
        // Every format written or parsed for another program: REFI-QDA projects and codebooks
        // (read into neutral models the store writes), CSV, JSON, Markdown, text tables, HTML
        // and SVG. The safe readers of zip archives, XML and CSV are QDACorpus's.
        .target(
            name: "QDAFormats",
            dependencies: [
                "QDAText", "QDACodebook", "QDAAnalysis", "QDACorpus",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The project file: schema, migrations, transactions, the queries that answer in
        // value types, the report cache. GRDB is an internal import: no GRDB type is in its
        // API. It stores what the readers made (QDACorpus), codes and places segments with
        // the matcher as it stores them (QDAMatching: in the ingest transaction, on the
        // reading workers), answers in the analysis's value types (QDAAnalysis) and writes
        // the REFI-QDA models the formats read (QDAFormats).
        .target(
            name: "QDAStore",
            dependencies: [
                "QDAText", "QDACodebook", "QDAMatching", "QDACorpus", "QDAAnalysis", "QDAFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C interface, for binding bulk rows without boxing each value (RowInserter).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The facade: a Workbench that opens a project and offers the use cases, and each
        // report made from a project.
        .target(
            name: "QDAKit",
            dependencies: [
                "QDAText", "QDACodebook", "QDAMatching", "QDACorpus", "QDAAnalysis", "QDAFormats", "QDAStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // The browser workbench: a Hummingbird server over the Workbench, the second client of
        // the facade (it runs no SQL of its own).
        .target(
            name: "QDAServer",
            dependencies: [
                "QDAKit", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // The pages' ES modules and stylesheet, served as they are.
            resources: [.copy("Static")]
        ),
        .executableTarget(
            name: "qda",
            dependencies: [
                "QDAKit", "QDAServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "qda-bench",
            dependencies: ["QDAKit"]
        ),
        .target(
            name: "QDAKitTestSupport",
            dependencies: ["QDAKit", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "QDATextTests", dependencies: ["QDAText"]),
        .testTarget(name: "QDACodebookTests", dependencies: ["QDACodebook"]),
        .testTarget(name: "QDAAnalysisTests", dependencies: ["QDAAnalysis", "QDAKitTestSupport"]),
        // The facade as a second client sees it: import QDAKit, no @testable. (QDAStore is
        // listed only so that an incremental build recompiles the tests when the store's types
        // change: QDAKit re-exports them, and the build did not notice.)
        .testTarget(name: "WorkbenchTests", dependencies: ["QDAKit", "QDAStore", "QDAKitTestSupport"]),
        .testTarget(
            name: "QDAServerTests",
            dependencies: [
                "QDAServer", "QDAKit", "QDAStore", "QDAKitTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "QDACorpusTests", dependencies: ["QDACorpus", "QDAKitTestSupport"]),
        .testTarget(
            name: "QDAKitTests",
            dependencies: [
                "QDAKit", "QDAText", "QDACodebook", "QDACorpus", "QDAAnalysis", "QDAStore", "QDAKitTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "qdaTests",
            dependencies: [
                "qda", "QDAKit", "QDAText", "QDACodebook", "QDACorpus", "QDAStore", "QDAKitTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + strict
}
