import QDACodebook

/// Two regions side by side: where they look alike and where they differ, group by
/// group and code by code, with the quotes behind the differences — the comparison the
/// research framework is built for (regions alike on technology may differ on market
/// orientation and mindset).
public struct RegionComparison: Sendable, Equatable, Encodable {
    /// One group or code in both regions.
    public struct Row: Sendable, Equatable, Encodable {
        /// The group's or code's key.
        public var key: String
        /// The group a code belongs to (the key itself for a group).
        public var group: String
        /// The first region's numbers and rating.
        public var a: PatternReport.Factor
        /// The second region's numbers and rating.
        public var b: PatternReport.Factor
        /// Same rating in both regions.
        public var alike: Bool
        /// Score of a minus score of b.
        public var difference: Double

        enum CodingKeys: String, CodingKey {
            case key, group, a, b, alike, difference
        }

        /// Encodes the fields as the JSON output contract has them (docs/formats.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(group, forKey: .group)
            try container.encode(a, forKey: .a)
            try container.encode(b, forKey: .b)
            try container.encode(alike, forKey: .alike)
            try container.encode(rounded(difference), forKey: .difference)
        }
    }

    /// The two regions, as `a` and `b`.
    public var regions: [String]
    /// The rating rule, in words.
    public var rule: String
    /// The factor groups in both regions.
    public var groups: [Row]
    /// The codes in both regions.
    public var codes: [Row]
    /// Groups rated alike, and groups rated differently.
    public var alikeOn: [String]
    /// Groups rated differently.
    public var differOn: [String]
    /// The codes whose scores differ most (at most three per differing group), with
    /// quotes from both regions.
    public var evidence: [Evidence]
    /// Types of innovation found in each region.
    public var types: [String: [String]]

    /// Quotes from both regions for a code whose scores differ.
    public struct Evidence: Sendable, Equatable, Encodable {
        /// The code.
        public var code: String
        /// The first region's quote.
        public var a: [Quote]
        /// The second region's quote.
        public var b: [Quote]

        /// Creates the value from its fields.
        public init(code: String, a: [Quote], b: [Quote]) {
            self.code = code
            self.a = a
            self.b = b
        }
    }

    enum CodingKeys: String, CodingKey {
        case regions, rule, groups, codes, evidence, types
        case alikeOn = "alike_on"
        case differOn = "differ_on"
    }

    /// Compares regions `first` and `second` of `report`; `quotes` finds the strongest
    /// quote of a code in a region for a rating's sign (the store's query).
    public init(
        report: PatternReport, a first: PatternReport.Region, b second: PatternReport.Region,
        codes codeList: [CodeInfo],
        quotes: (_ code: String, _ region: String, _ sign: Int) throws -> [Quote]
    ) rethrows {
        regions = [first.region, second.region]
        rule = report.rule
        func row(_ key: String, group: String, _ x: PatternReport.Factor, _ y: PatternReport.Factor) -> Row {
            var x = x
            var y = y
            x.quotes = nil
            y.quotes = nil
            return Row(key: key, group: group, a: x, b: y, alike: x.rating == y.rating, difference: x.score - y.score)
        }
        groups = report.groups.compactMap { group in
            guard let x = first.factors[group], let y = second.factors[group] else { return nil }
            return row(group, group: group, x, y)
        }
        codes = codeList.filter { $0.depth > 0 }.compactMap { code in
            guard let x = first.codes[code.key], let y = second.codes[code.key] else { return nil }
            return row(code.key, group: code.groupKey, x, y)
        }
        alikeOn = groups.filter(\.alike).map(\.key)
        differOn = groups.filter { !$0.alike }.map(\.key)
        var evidence: [Evidence] = []
        for group in differOn {
            let strongest = codes.filter { $0.group == group && !$0.alike }
                .sorted { abs($0.difference) > abs($1.difference) }.prefix(3)
            for code in strongest {
                evidence.append(
                    Evidence(
                        code: code.key,
                        a: try quotes(code.key, first.region, code.a.rating?.rank.signum() ?? 0),
                        b: try quotes(code.key, second.region, code.b.rating?.rank.signum() ?? 0)))
            }
        }
        self.evidence = evidence
        types = [first.region: first.types.map(\.label), second.region: second.types.map(\.label)]
    }
}
