import Foundation
public import QDACodebook

/// The coded summary a researcher takes into a paper or into R (`qda export summary`):
/// per region and per group and code, the numbers, the rating and the top quotes.
public struct CodedSummary: Sendable, Equatable, Encodable {
    /// The codebook the summary was made with.
    public struct Codebook: Sendable, Equatable, Encodable {
        /// The codebook's name.
        public var name: String
        /// The codebook's version.
        public var version: String?
        /// The SHA-256 of the codebook's YAML.
        public var sha256: String

        /// Creates the value from its fields.
        public init(name: String, version: String?, sha256: String) {
            self.name = name
            self.version = version
            self.sha256 = sha256
        }
    }

    /// One group or code in one region.
    public struct Entry: Sendable, Equatable, Encodable {
        /// The group the code belongs to.
        public var group: String
        /// The code's key; the group's key on a group's own row.
        public var code: String
        /// The code's name.
        public var label: String
        /// Segments coded with the code (or a sub-code).
        public var segments: Int
        /// Documents with such a segment.
        public var documents: Int
        /// Coded segments as a share of the region's segments.
        public var share: Double
        /// Net valence of the coded segments, in [−1, 1].
        public var valence: Double
        /// The score the rating rests on (docs/methods.md#ratings).
        public var score: Double
        /// Nil when the region has no segment coded with the code: no evidence.
        public var rating: Rating?
        /// True when the evidence is thin (few segments or documents).
        public var thin: Bool
        /// The strongest quotes behind the rating.
        public var quotes: [Quote]
        /// The researcher's cell (`qda grid set`), if any.
        public var grid: GridCell?

        enum CodingKeys: String, CodingKey {
            case group, code, label, segments, documents, share, valence, score, rating, thin, quotes, grid
        }

        /// `rating` and `score` are null for no evidence (as in the pattern report).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(code, forKey: .code)
            try c.encode(label, forKey: .label)
            try c.encode(segments, forKey: .segments)
            try c.encode(documents, forKey: .documents)
            try c.encode(share, forKey: .share)
            try c.encode(valence, forKey: .valence)
            try c.encode(rating == nil ? nil : score, forKey: .score)
            try c.encode(rating, forKey: .rating)
            try c.encode(thin, forKey: .thin)
            try c.encode(quotes, forKey: .quotes)
            try c.encodeIfPresent(grid, forKey: .grid)
        }

        /// The rating as printed: `+*` for thin evidence, `·` for none.
        public var ratingLabel: String { PatternReport.Factor.label(rating, thin: thin) }
    }

    /// One rated region with its entries.
    public struct Region: Sendable, Equatable, Encodable {
        /// The region.
        public var region: String
        /// The region's documents.
        public var documents: Int
        /// The region's countable segments.
        public var segments: Int
        /// The region's factor pattern (`++ + o`).
        public var pattern: String
        /// The types of innovation the region shows.
        public var types: [String]
        /// Every group and code, in codebook order.
        public var entries: [Entry]
    }

    /// The project file's name.
    public var project: String
    /// The codebook, or nil without one.
    public var codebook: Codebook?
    /// The rating rule, in words.
    public var rule: String
    /// The region level counted (`region`, `grouping:SET`, `attribute:KEY`).
    public var level: String
    /// Regions with fewer segments are not rated.
    public var minimumSegments: Int
    /// The rated regions.
    public var regions: [Region]
    /// Regions listed but not rated (too few segments).
    public var unrated: [String]

    enum CodingKeys: String, CodingKey {
        case project, codebook, rule, level, regions, unrated
        case minimumSegments = "minimum_segments"
    }

    /// The summary of `report` for the project file `project`: each code's numbers per
    /// rated region, with up to `quotes` quotes (the report's own, else `codeQuotes`:
    /// region → code → quotes) and the researcher's grid cell.
    public init(
        report: PatternReport, project: String, codebook: Codebook?, codes: [CodeInfo], grid: [GridCell],
        minimumSegments: Int, quotes: Int, codeQuotes: [String: [String: [Quote]]]
    ) {
        self.project = project
        self.codebook = codebook
        rule = report.rule
        self.level = report.level
        self.minimumSegments = minimumSegments
        unrated = report.unrated.map { $0.region ?? "" }
        regions = report.regions.map { region in
            var entries: [Entry] = []
            for code in codes {
                guard let factor = region.factors[code.key] ?? region.codes[code.key] else { continue }
                var cited: [Quote] = []
                if quotes > 0, factor.segments > 0 {
                    cited = factor.quotes.map { Array($0.prefix(quotes)) } ?? codeQuotes[region.region]?[code.key] ?? []
                }
                entries.append(
                    Entry(
                        group: code.groupKey, code: code.key, label: code.label, segments: factor.segments,
                        documents: factor.documents, share: factor.share, valence: factor.valence, score: factor.score,
                        rating: factor.rating, thin: factor.thin, quotes: cited,
                        grid: grid.first { $0.region == region.region && $0.code == code.key }))
            }
            return Region(
                region: region.region, documents: region.documents, segments: region.segments,
                pattern: region.pattern, types: region.types.map(\.label), entries: entries)
        }
    }
}
