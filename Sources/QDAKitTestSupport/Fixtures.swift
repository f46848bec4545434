/// Small inputs shared by several test suites.
public enum Fixtures {
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
