import Foundation

/// A rating on the scale of the research framework's Tab. 1, extended by `--`.
public enum Rating: String, Sendable, Codable, CaseIterable {
    case veryStrong = "++"
    case strong = "+"
    case neutral = "o"
    case weak = "-"
    case veryWeak = "--"

    /// The rating of a score; thresholds are documented in `docs/methods.md`.
    public init(score: Double) {
        // Symmetric around zero: o is the open interval (−0.25, 0.25).
        if score >= 0.75 {
            self = .veryStrong
        } else if score >= 0.25 {
            self = .strong
        } else if score > -0.25 {
            self = .neutral
        } else if score > -0.75 {
            self = .weak
        } else {
            self = .veryWeak
        }
    }
}

/// Which factor pattern each region shows, and which regions share a pattern.
///
/// The rule (also in `PatternReport.rule` and `docs/methods.md`): for region r and group g,
/// share = coded segments / r's segments; relative attention = share / mean share of g
/// over all regions; net valence v = (positive − negative) / coded segments;
/// score = v + 0.5 × clamp(log2(relative attention), −1, 1); rated `++` from 0.75, `+`
/// from 0.25, `o` above −0.25, `-` above −0.75, `--` below. A cell with fewer than
/// `thinSegments` coded segments or `thinDocuments` documents is marked thin.
public struct PatternReport: Sendable, Equatable, Codable {
    public static let rule =
        "score = net valence + 0.5 x clamp(log2(share / mean share of all regions), -1, 1); "
        + "++ >= 0.75 > + >= 0.25 > o > -0.25 >= - > -0.75 >= --"
    public static let thinSegments = 3
    public static let thinDocuments = 2

    /// One region's numbers for one factor group.
    public struct Factor: Sendable, Equatable, Codable {
        public var segments: Int
        public var documents: Int
        public var share: Double
        public var relativeAttention: Double
        public var valence: Double
        public var score: Double
        public var rating: Rating
        /// True when the evidence is too thin to rate with confidence.
        public var thin: Bool

        enum CodingKeys: String, CodingKey {
            case segments, documents, share, valence, score, rating, thin
            case relativeAttention = "relative_attention"
        }
    }

    public struct Region: Sendable, Equatable, Codable {
        public var region: String
        public var documents: Int
        public var segments: Int
        /// Keyed by group key.
        public var factors: [String: Factor]
        /// The ratings in group order, e.g. "++ + o".
        public var pattern: String
    }

    /// Regions with the same ratings on every group.
    public struct SharedPattern: Sendable, Equatable, Codable {
        public var pattern: String
        public var regions: [String]
    }

    /// Two regions whose ratings differ on one group only.
    public struct NearPair: Sendable, Equatable, Codable {
        public var regions: [String]
        public var differsOn: String

        enum CodingKeys: String, CodingKey {
            case regions
            case differsOn = "differs_on"
        }
    }

    public var rule: String
    public var codebook: String?
    public var groups: [String]
    public var regions: [Region]
    public var sharedPatterns: [SharedPattern]
    public var nearPairs: [NearPair]
    /// Segments left out because their document names no region.
    public var unassignedSegments: Int

    enum CodingKeys: String, CodingKey {
        case rule, codebook, groups, regions
        case sharedPatterns = "shared_patterns"
        case nearPairs = "near_pairs"
        case unassignedSegments = "unassigned_segments"
    }

    /// Rates every region of `project` on every factor group.
    public init(project: Project) throws {
        let matrix = try RegionMatrix(project: project, columns: .group)
        let version = try project.codebookVersion()
        self.init(
            matrix: matrix, codebook: version.map { [$0.name, $0.version].compactMap { $0 }.joined(separator: " ") })
    }

    init(matrix: RegionMatrix, codebook: String?) {
        rule = Self.rule
        self.codebook = codebook
        groups = matrix.columns.map(\.key)
        unassignedSegments = matrix.regions.filter { $0.region == nil }.reduce(0) { $0 + $1.segments }
        let rows = matrix.regions.indices.filter { matrix.regions[$0].region != nil }
        var meanShare: [Double] = []
        for column in matrix.columns.indices {
            let shares = rows.map { matrix.cells[$0][column].share }
            meanShare.append(shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count))
        }
        regions = rows.map { row in
            var factors: [String: Factor] = [:]
            var ratings: [String] = []
            for (column, info) in matrix.columns.enumerated() {
                let cell = matrix.cells[row][column]
                let relative = meanShare[column] > 0 ? cell.share / meanShare[column] : 0
                let attention = relative > 0 ? min(1, max(-1, log2(relative))) : -1
                let valence = cell.valence ?? 0
                // Rated on the rounded score, so the printed score and its rating agree.
                let score = rounded(valence + 0.5 * attention)
                let rating = Rating(score: score)
                factors[info.key] = Factor(
                    segments: cell.segments, documents: cell.documents, share: rounded(cell.share),
                    relativeAttention: rounded(relative), valence: rounded(valence), score: score, rating: rating,
                    thin: cell.segments < Self.thinSegments || cell.documents < Self.thinDocuments)
                ratings.append(rating.rawValue)
            }
            let totals = matrix.regions[row]
            return Region(
                region: totals.region ?? "", documents: totals.documents, segments: totals.segments,
                factors: factors, pattern: ratings.joined(separator: " "))
        }
        var byPattern: [String: [String]] = [:]
        for region in regions { byPattern[region.pattern, default: []].append(region.region) }
        sharedPatterns = byPattern.filter { $0.value.count > 1 }
            .map { SharedPattern(pattern: $0.key, regions: $0.value) }
            .sorted { ($0.regions.count, $1.pattern) > ($1.regions.count, $0.pattern) }
        var pairs: [NearPair] = []
        for (i, a) in regions.enumerated() {
            for b in regions[(i + 1)...] {
                let differing = groups.filter { a.factors[$0]?.rating != b.factors[$0]?.rating }
                if differing.count == 1 {
                    pairs.append(NearPair(regions: [a.region, b.region], differsOn: differing[0]))
                }
            }
        }
        nearPairs = pairs
    }
}
