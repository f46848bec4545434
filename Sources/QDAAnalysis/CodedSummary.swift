import Foundation
public import QDACodebook

/// The coded summary a researcher takes into a paper or into R (`qda export summary`):
/// per region and per group and code, the numbers, the rating and the top quotes.
public struct CodedSummary: Sendable, Equatable, Encodable {
    public struct Codebook: Sendable, Equatable, Encodable {
        public var name: String
        public var version: String?
        public var sha256: String

        public init(name: String, version: String?, sha256: String) {
            self.name = name
            self.version = version
            self.sha256 = sha256
        }
    }

    public struct Entry: Sendable, Equatable, Encodable {
        public var group: String
        /// The code's key; the group's key on a group's own row.
        public var code: String
        public var label: String
        public var segments: Int
        public var documents: Int
        public var share: Double
        public var valence: Double
        public var score: Double
        /// Nil when the region has no segment coded with the code: no evidence.
        public var rating: Rating?
        public var thin: Bool
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

    public struct Region: Sendable, Equatable, Encodable {
        public var region: String
        public var documents: Int
        public var segments: Int
        public var pattern: String
        public var types: [String]
        public var entries: [Entry]
    }

    /// The project file's name.
    public var project: String
    public var codebook: Codebook?
    public var rule: String
    public var level: String
    public var minimumSegments: Int
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
