import QDACodebook

/// How often codes are applied together: code × code counts over units, with the
/// c-coefficient ATLAS.ti reports.
///
/// A unit is a segment (interviewer turns aside) together with its `window` neighbours on
/// each side in the same document; with `window` 0 it is the segment alone. A code is
/// present in a unit when any of the unit's segments is coded with it (or a sub-code).
/// For codes A and B: n(A) and n(B) count the units where each is present, n(A,B) those
/// where both are; c = n(A,B) / (n(A) + n(B) − n(A,B)), from 0 (never together) to 1
/// (always together) — the Jaccard index of the two codes' unit sets.
public struct Cooccurrence: Sendable, Equatable, Encodable {
    /// Two codes present together in some units.
    public struct Pair: Sendable, Equatable, Encodable {
        /// The first code, in codebook order.
        public var a: String
        /// The second code.
        public var b: String
        /// n(A, B): units where both are present.
        public var count: Int
        /// The c-coefficient n(A,B) / (n(A) + n(B) − n(A,B)).
        public var c: Double

        /// Creates the value from its fields.
        public init(a: String, b: String, count: Int, c: Double) {
            self.a = a
            self.b = b
            self.count = count
            self.c = c
        }

        /// Encodes the fields as the JSON output contract has them (docs/formats.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(a, forKey: .a)
            try container.encode(b, forKey: .b)
            try container.encode(count, forKey: .count)
            try container.encode(rounded(c), forKey: .c)
        }

        enum CodingKeys: String, CodingKey {
            case a, b, count, c
        }
    }

    /// Neighbouring segments on each side that belong to a unit.
    public var window: Int
    /// The region the units were taken from, or nil for all.
    public var region: String?
    /// The codes (or groups) compared, in codebook order.
    public var codes: [String]
    /// Units counted.
    public var units: Int
    /// n(A): units where each code is present.
    public var presence: [String: Int]
    /// Every pair of distinct codes present together at least once, strongest c first.
    public var pairs: [Pair] {
        didSet { pairCounts = Self.pairCounts(pairs) }
    }
    /// n(A, B) by `pairKey`, for `count` (a report's matrix asks for every pair of codes).
    private var pairCounts: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case window, region, codes, units, presence, pairs
    }

    /// n(A, B) for any two codes (n(A) when they are the same).
    public func count(_ a: String, _ b: String) -> Int {
        if a == b { return presence[a] ?? 0 }
        return pairCounts[Self.pairKey(a, b)] ?? 0
    }

    private static func pairKey(_ a: String, _ b: String) -> String { a < b ? a + "\u{0}" + b : b + "\u{0}" + a }

    private static func pairCounts(_ pairs: [Pair]) -> [String: Int] {
        var counts: [String: Int] = [:]
        // The first of two equal pairs wins, as a search from the front found it.
        for pair in pairs where counts[pairKey(pair.a, pair.b)] == nil { counts[pairKey(pair.a, pair.b)] = pair.count }
        return counts
    }

    /// Co-occurrence of `codes` (keys in codebook order) from the counts of units the
    /// store made (`Counts`); `window` and `region` say what the units were.
    public init(codes: [String], window: Int, region: String?, counted: Counts) {
        self.window = window
        self.region = region
        self.codes = codes
        let units = counted.units
        let rows = zip(counted.pairs, counted.counts).map { (a: $0[0], b: $0[1], n: $1) }
        self.units = units
        var presence: [String: Int] = [:]
        var together: [(String, String, Int)] = []
        for row in rows {
            if row.a == row.b { presence[row.a] = row.n } else { together.append((row.a, row.b, row.n)) }
        }
        self.presence = presence
        let order = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        pairs = together.map { a, b, n in
            // Codebook order within the pair.
            let (first, second) = (order[a] ?? 0) <= (order[b] ?? 0) ? (a, b) : (b, a)
            let union = (presence[a] ?? 0) + (presence[b] ?? 0) - n
            return Pair(a: first, b: second, count: n, c: union > 0 ? Double(n) / Double(union) : 0)
        }.sorted {
            ($0.c, $0.count, order[$1.a] ?? 0, order[$1.b] ?? 0) > ($1.c, $1.count, order[$0.a] ?? 0, order[$0.b] ?? 0)
        }
        pairCounts = Self.pairCounts(pairs)
    }

    /// n(A) for each code (as the pair [A, A]) and n(A, B), the pairs in order of their
    /// keys, and the units counted.
    public struct Counts: Codable, Sendable {
        /// Code pairs ([A, A] for n(A)), in order of their keys.
        public var pairs: [[String]]
        /// The count of each pair.
        public var counts: [Int]
        /// Units counted.
        public var units: Int

        /// Creates the value from its fields.
        public init(pairs: [[String]], counts: [Int], units: Int) {
            self.pairs = pairs
            self.counts = counts
            self.units = units
        }
    }

}
