import Foundation

/// Small inputs shared by several test suites.
public enum Fixtures {
    /// The repository's root folder (this file is `Sources/QDAKitTestSupport/Fixtures.swift`),
    /// where the demo corpus, codebooks and docs are.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Two groups, one code each, English and Chinese keywords, valence cues in both
    /// languages: small enough to count every coding by hand.
    public static let tinyCodebook = """
        codebook: Tiny
        version: "1"
        valence:
          positive: [strong, 强]
          negative: [weak]
        groups:
          - key: technology
            label: Technology
            codes:
              - {key: base, label: Base, keywords: [university, 研发]}
          - key: market
            label: Market
            codes:
              - {key: demand, label: Demand, keywords: [demand]}
        """
}
