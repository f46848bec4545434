import Foundation
public import QDACodebook
import QDAText

/// Which factor pattern each region shows, and which regions share a pattern.
///
/// The rule (also in `PatternReport.rule` and `docs/methods.md`): for region r and group g,
/// share = coded segments / r's segments; relative attention = share / mean share of g
/// over all regions; net valence v = (positive − negative) / coded segments;
/// score = v + 0.5 × clamp(log2(relative attention), −1, 1); rated `++` from 0.75, `+`
/// from 0.25, `o` above −0.25, `-` above −0.75, `--` below. A cell with fewer than
/// `thinSegments` coded segments or `thinDocuments` documents is marked thin.
public struct PatternReport: Sendable, Equatable, Encodable {
    /// The rating rule, in words, as the report states it.
    public static let rule =
        "score = net valence + 0.5 x clamp(log2(share / mean share of all regions), -1, 1); "
        + "++ >= 0.75 > + >= 0.25 > o > -0.25 >= - > -0.75 >= --"
    /// Fewer coded segments than this make a rating thin (`*`).
    public static let thinSegments = 3
    /// Fewer documents than this make a rating thin (`*`).
    public static let thinDocuments = 2
    /// By default, regions with fewer segments than this are listed but not rated, nor
    /// counted in the mean shares the others are compared with: a literature note that
    /// names a province once says too little to place it.
    public static let defaultMinimumSegments = 5

    /// One region's numbers for one factor group.
    public struct Factor: Sendable, Equatable, Encodable {
        /// Segments coded with the group or code.
        public var segments: Int
        /// Documents with such a segment.
        public var documents: Int
        /// Coded segments as a share of the region's segments.
        public var share: Double
        /// The share relative to the share over all regions (1 = average attention).
        public var relativeAttention: Double
        /// Net valence of the coded segments, in [−1, 1].
        public var valence: Double
        /// The score the rating is read from (docs/methods.md#ratings); with no evidence it
        /// is what the formula gives (attention −0.5), but it rates nothing and JSON says null.
        public var score: Double
        /// The rating, or nil when no segment of the region is coded with the group or
        /// code: no evidence is not weak evidence, and is not rated.
        public var rating: Rating?
        /// True when the evidence is too thin to rate with confidence.
        public var thin: Bool
        /// The strongest supporting quotes (factor groups only).
        public var quotes: [Quote]? = nil
        /// Of the coded segments, the sentences of literature and other prose read by
        /// sentence: what a cell from documents rather than interviews rests on (nil when
        /// there are none, or at levels other than regions).
        public var sentences: Int? = nil

        /// Creates the value from its fields.
        public init(
            segments: Int, documents: Int, share: Double, relativeAttention: Double, valence: Double, score: Double,
            rating: Rating?, thin: Bool, quotes: [Quote]? = nil, sentences: Int? = nil
        ) {
            self.segments = segments
            self.documents = documents
            self.share = share
            self.relativeAttention = relativeAttention
            self.valence = valence
            self.score = score
            self.rating = rating
            self.thin = thin
            self.quotes = quotes
            self.sentences = sentences
        }

        /// Whether there is any evidence: a coded segment.
        public var hasEvidence: Bool { rating != nil }

        /// The rating as printed: `+*` for thin evidence, `·` for none.
        public var label: String { Self.label(rating, thin: thin) }

        /// A rating as printed, `·` for none (the coded summary prints its entries alike).
        public static func label(_ rating: Rating?, thin: Bool) -> String {
            guard let rating else { return noEvidence }
            return rating.rawValue + (thin ? "*" : "")
        }

        /// A table's cell: `+* (0.29)`, or `·` without evidence.
        public var cell: String {
            rating == nil ? Self.noEvidence : "\(label) (\(formatNumber(score)))"
        }

        /// The score as CSV writes it: empty without evidence.
        public var csvScore: String { rating == nil ? "" : formatNumber(score, decimals: 4) }

        /// The legend line of a table with a cell without evidence.
        public static let noEvidenceLegend =
            "\(noEvidence) no coded segment: no evidence, not rated (not the same as a rated -)."

        /// What a cell without evidence shows in text reports and patterns.
        public static let noEvidence = "·"

        enum CodingKeys: String, CodingKey {
            case segments, documents, share, valence, score, rating, thin, quotes, sentences
            case relativeAttention = "relative_attention"
        }

        /// `rating` and `score` are null, not left out, for a cell without evidence.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(segments, forKey: .segments)
            try c.encode(documents, forKey: .documents)
            try c.encode(share, forKey: .share)
            try c.encode(relativeAttention, forKey: .relativeAttention)
            try c.encode(valence, forKey: .valence)
            if let rating {
                try c.encode(rating, forKey: .rating)
                try c.encode(score, forKey: .score)
            } else {
                try c.encodeNil(forKey: .rating)
                try c.encodeNil(forKey: .score)
            }
            try c.encode(thin, forKey: .thin)
            try c.encodeIfPresent(quotes, forKey: .quotes)
            try c.encodeIfPresent(sentences, forKey: .sentences)
        }
    }

    /// One rated region: its factors, codes, pattern and types.
    public struct Region: Sendable, Equatable, Encodable {
        /// The region.
        public var region: String
        /// The region's documents.
        public var documents: Int
        /// The region's countable segments.
        public var segments: Int
        /// Keyed by factor group key.
        public var factors: [String: Factor]
        /// Every code (outcome codes and outcome groups included), keyed by key.
        public var codes: [String: Factor]
        /// The ratings of the factor groups in order, e.g. "++ + o".
        public var pattern: String
        /// The typology's types whose every condition holds.
        public var types: [TypeMatch]
    }

    /// A type of the typology that applies to a region, with the evidence.
    public struct TypeMatch: Sendable, Equatable, Codable {
        /// The type's key.
        public var type: String
        /// The type's name.
        public var label: String
        /// Each condition of the type's rule, with the rating that meets it.
        public var evidence: [Evidence]
    }

    /// One condition of a typology rule as the region met it, with quotes.
    public struct Evidence: Sendable, Equatable, Codable {
        /// The group or code the condition names.
        public var key: String
        /// The condition as written (`market >= +`).
        public var condition: String
        /// The region's rating of the key.
        public var rating: Rating
        /// The score behind the rating.
        public var score: Double
        /// The segments that carry the rating.
        public var quotes: [Quote]
    }

    /// Regions with the same ratings on every group.
    public struct SharedPattern: Sendable, Equatable, Codable {
        /// The factor pattern the regions share.
        public var pattern: String
        /// The regions that show it.
        public var regions: [String]
    }

    /// Two regions whose ratings differ on one group only.
    public struct NearPair: Sendable, Equatable, Codable {
        /// The two regions.
        public var regions: [String]
        /// The one group on which their patterns differ.
        public var differsOn: String

        enum CodingKeys: String, CodingKey {
            case regions
            case differsOn = "differs_on"
        }
    }

    /// The rating rule, in words.
    public var rule: String
    /// The codebook's name and version.
    public var codebook: String?
    /// The level regions are counted at: `region`, or `grouping:SET`.
    public var level: String
    /// The factor groups, in codebook order.
    public var groups: [String]
    /// The rated regions.
    public var regions: [Region]
    /// Patterns two regions or more share.
    public var sharedPatterns: [SharedPattern]
    /// Regions whose patterns differ on one group only.
    public var nearPairs: [NearPair]
    /// Regions with similar profiles: linked when they share a pattern or differ on one
    /// group only, in groups of two or more (single-linkage), in report order.
    public var clusters: [[String]] = []
    /// Segments left out because they belong to no region.
    public var unassignedSegments: Int
    /// Regions with too few segments to rate.
    public var unrated: [RegionTotals]
    /// The number of segments a region needs to be rated.
    public var minimumSegments: Int
    /// How the segments came to their regions.
    public var attribution: RegionAttribution?

    enum CodingKeys: String, CodingKey {
        case rule, codebook, level, groups, regions, attribution
        case sharedPatterns = "shared_patterns"
        case nearPairs = "near_pairs"
        case clusters
        case unassignedSegments = "unassigned_segments"
        case unrated
        case minimumSegments = "minimum_segments"
    }

    /// Quotes shown per typology condition.
    public static let quotesPerCondition = 2
    /// Quotes kept per group rating.
    public static let quotesPerRating = 3

    /// Creates the value from its fields.
    public init(
        groups: RegionMatrix, codes: RegionMatrix, typology: [TypologyRule], codebook: String?, level: RegionLevel,
        minimumSegments: Int
    ) {
        rule = Self.rule
        self.minimumSegments = minimumSegments
        self.codebook = codebook
        switch level {
        case .region: self.level = "region"
        case .grouping(let set): self.level = "grouping:\(set)"
        case .attribute(let key): self.level = "attribute:\(key)"
        }
        let factorColumns = groups.columns.indices.filter { groups.columns[$0].role == .factor }
        self.groups = factorColumns.map { groups.columns[$0].key }
        unassignedSegments = groups.regions.filter { $0.region == nil }.reduce(0) { $0 + $1.segments }
        let rows = Self.ratedRows(groups, minimumSegments: minimumSegments)
        unrated = groups.regions.indices.filter { groups.regions[$0].region != nil && !rows.contains($0) }
            .map { groups.regions[$0] }
        let groupRatings = Self.rate(groups, minimumSegments: minimumSegments)
        let codeRatings = Self.rate(codes, minimumSegments: minimumSegments)
        regions = rows.map { row in
            var factors: [String: Factor] = [:]
            var all: [String: Factor] = [:]
            for (column, info) in groups.columns.enumerated() {
                all[info.key] = groupRatings[row][column]
                if info.role == .factor { factors[info.key] = groupRatings[row][column] }
            }
            for (column, info) in codes.columns.enumerated() {
                all[info.key] = codeRatings[row][column]
            }
            // A group without evidence reads `·` in the pattern: it matches no rating.
            let pattern = factorColumns.map { groupRatings[row][$0].rating?.rawValue ?? Factor.noEvidence }
                .joined(separator: " ")
            let types = typology.compactMap { rule -> TypeMatch? in
                var evidence: [Evidence] = []
                for condition in rule.conditions {
                    // Without evidence no condition holds, not even "at most -".
                    guard let factor = all[condition.key], let rating = factor.rating, condition.holds(for: rating)
                    else { return nil }
                    evidence.append(
                        Evidence(
                            key: condition.key, condition: condition.description, rating: rating,
                            score: factor.score, quotes: []))
                }
                return TypeMatch(type: rule.key, label: rule.label, evidence: evidence)
            }
            let totals = groups.regions[row]
            var codeFactors = all
            for key in factors.keys { codeFactors.removeValue(forKey: key) }
            return Region(
                region: totals.region ?? "", documents: totals.documents, segments: totals.segments,
                factors: factors, codes: codeFactors, pattern: pattern, types: types)
        }
        var byPattern: [String: [String]] = [:]
        for region in regions { byPattern[region.pattern, default: []].append(region.region) }
        sharedPatterns = byPattern.filter { $0.value.count > 1 }
            .map { SharedPattern(pattern: $0.key, regions: $0.value) }
            .sorted { ($0.regions.count, $1.pattern) > ($1.regions.count, $0.pattern) }
        var pairs: [NearPair] = []
        for (i, a) in regions.enumerated() {
            for b in regions[(i + 1)...] {
                let differing = self.groups.filter { a.factors[$0]?.rating != b.factors[$0]?.rating }
                if differing.count == 1 {
                    pairs.append(NearPair(regions: [a.region, b.region], differsOn: differing[0]))
                }
            }
        }
        nearPairs = pairs
        // Single linkage over "same pattern or one group apart".
        var cluster = Array(regions.indices)
        func root(_ i: Int) -> Int { cluster[i] == i ? i : root(cluster[i]) }
        let index = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1.region, $0) })
        let links =
            pairs.map(\.regions)
            + sharedPatterns.flatMap { shared in
                zip(shared.regions, shared.regions.dropFirst()).map { [$0, $1] }
            }
        for link in links {
            guard let a = index[link[0]], let b = index[link[1]] else { continue }
            let (x, y) = (root(a), root(b))
            if x != y { cluster[max(x, y)] = min(x, y) }
        }
        var members: [Int: [String]] = [:]
        for i in regions.indices { members[root(i), default: []].append(regions[i].region) }
        clusters = members.keys.sorted().compactMap { members[$0]!.count > 1 ? members[$0] : nil }
    }

    /// The rows of regions with enough segments to rate.
    static func ratedRows(_ matrix: RegionMatrix, minimumSegments: Int) -> [Int] {
        matrix.regions.indices.filter {
            matrix.regions[$0].region != nil && matrix.regions[$0].segments >= minimumSegments
        }
    }

    /// Rates every cell of `matrix` against the other rated regions.
    static func rate(_ matrix: RegionMatrix, minimumSegments: Int) -> [[Factor]] {
        let rows = ratedRows(matrix, minimumSegments: minimumSegments)
        var meanShare: [Double] = []
        for column in matrix.columns.indices {
            let shares = rows.map { matrix.cells[$0][column].share }
            meanShare.append(shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count))
        }
        return matrix.regions.indices.map { row in
            matrix.columns.indices.map { column in
                let cell = matrix.cells[row][column]
                let relative = meanShare[column] > 0 ? cell.share / meanShare[column] : 0
                let attention = relative > 0 ? min(1, max(-1, log2(relative))) : -1
                let valence = cell.valence ?? 0
                // Rated on the score rounded to two decimals, as printed, so that a printed
                // 0.75 is always `++`.
                let score = ((valence + 0.5 * attention) * 100).rounded() / 100
                return Factor(
                    segments: cell.segments, documents: cell.documents, share: rounded(cell.share),
                    relativeAttention: rounded(relative), valence: rounded(valence), score: score,
                    rating: cell.segments > 0 ? Rating(score: score) : nil,
                    thin: cell.segments < thinSegments || cell.documents < thinDocuments)
            }
        }
    }
}
