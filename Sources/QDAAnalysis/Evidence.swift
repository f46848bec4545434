public import QDACodebook

// What the analyses read: the project's codes, regions and coded evidence as value types.
// The store answers its queries in these terms (docs/architecture.md).

/// A code or group as the project knows it.
public struct CodeInfo: Sendable, Equatable {
    /// The code's dotted key (`market.demand`); a group's key has no dot.
    public var key: String
    /// The code's name.
    public var label: String
    /// 0 for a group, 1 for a code, 2 and more for sub-codes.
    public var depth: Int
    /// The key of the group the code belongs to.
    public var groupKey: String
    /// Whether the code belongs to a factor group or an outcome group.
    public var role: CodeGroup.Role

    /// Creates the value from its fields.
    public init(
        key: String, label: String, depth: Int, groupKey: String, role: CodeGroup.Role
    ) {
        self.key = key
        self.label = label
        self.depth = depth
        self.groupKey = groupKey
        self.role = role
    }
}

/// How many documents and codable segments (interviewer turns left out) a region has.
public struct RegionTotals: Sendable, Equatable, Codable {
    /// The region, or nil for documents that carry none.
    public var region: String?
    /// Documents in the region.
    public var documents: Int
    /// Countable segments in the region.
    public var segments: Int
    /// Words in those segments (`FullText.wordCount`).
    public var words: Int = 0

    /// Creates the value from its fields.
    public init(
        region: String? = nil, documents: Int, segments: Int, words: Int = 0
    ) {
        self.region = region
        self.documents = documents
        self.segments = segments
        self.words = words
    }
}

/// Coded evidence for one code (with its sub-codes) or group in one region.
///
/// A segment's valence for a code is the sign of the sum of its codings' valences.
public struct CodeAggregate: Sendable, Equatable, Codable {
    /// The code's (or group's) key.
    public var code: String
    /// The region, or nil for all regions together.
    public var region: String? = nil
    /// Segments coded with the code or one of its sub-codes.
    public var segments: Int
    /// Documents with a coded segment.
    public var documents: Int
    /// Coded segments with positive and negative valence.
    public var positive: Int
    /// Coded segments whose net valence is negative.
    public var negative: Int

    /// Creates the value from its fields.
    public init(
        code: String, region: String? = nil, segments: Int, documents: Int, positive: Int, negative: Int
    ) {
        self.code = code
        self.region = region
        self.segments = segments
        self.documents = documents
        self.positive = positive
        self.negative = negative
    }
}

/// Coded evidence for a set of codes together: per region, per code, and over all.
public struct CodeTotals: Sendable, Equatable, Codable {
    /// Per region: segments coded with any of the codes (each once).
    public var rows: [CodeAggregate]
    /// Per code: its coded segments over all regions (each once).
    public var columns: [CodeAggregate]
    /// Segments coded with any of the codes, over all regions.
    public var all: CodeAggregate

    /// Creates the value from its fields.
    public init(
        rows: [CodeAggregate], columns: [CodeAggregate], all: CodeAggregate
    ) {
        self.rows = rows
        self.columns = columns
        self.all = all
    }
}

/// A segment quoted as evidence for a code in a region.
public struct Quote: Sendable, Equatable, Codable {
    /// The segment's id.
    public var segment: Int64
    /// The document's name.
    public var document: String
    /// The speaker of the turn, if any.
    public var speaker: String?
    /// The segment's net valence for the code (−1, 0, 1).
    public var valence: Int
    /// The segment's text.
    public var text: String

    /// Creates the value from its fields.
    public init(
        segment: Int64, document: String, speaker: String? = nil, valence: Int, text: String
    ) {
        self.segment = segment
        self.document = document
        self.speaker = speaker
        self.valence = valence
        self.text = text
    }
}

/// How the project's segments came to their regions.
public struct RegionAttribution: Sendable, Equatable, Codable {
    /// Segments placed in their document's region.
    public var byDocument: Int
    /// Segments placed in a region because they name it (counted once however many).
    public var byMention: Int
    /// Segments in no region.
    public var unassigned: Int

    enum CodingKeys: String, CodingKey {
        case byDocument = "by_document"
        case byMention = "by_mention"
        case unassigned
    }

    /// Creates the value from its fields.
    public init(
        byDocument: Int, byMention: Int, unassigned: Int
    ) {
        self.byDocument = byDocument
        self.byMention = byMention
        self.unassigned = unassigned
    }
}

/// The level at which reports count regions.
public enum RegionLevel: Sendable, Equatable {
    /// The gazetteer's regions (provinces), or the regions as written without a gazetteer.
    case region
    /// Groupings of one set (e.g. `cluster`: Pearl River Delta, Yangtze River Delta).
    case grouping(set: String)
    /// A document attribute (`role`, `wave`) or column (`kind`, `language`, `date`,
    /// `format`) in place of the region: every countable segment counts under its
    /// document's value.
    case attribute(String)

    /// Document columns usable as `attribute` dimensions.
    public static let documentColumns = ["kind", "language", "date", "format", "title"]

    /// What the rows are called in reports ("region", "role").
    public var dimension: String {
        switch self {
        case .region, .grouping: return "region"
        case .attribute(let key): return key
        }
    }
}

/// A researcher's own judgement of one region on one group or code (Tab. 1 style): a
/// rating for rated rows, a short descriptor ("public", "high & low") for the others.
public struct GridCell: Sendable, Equatable, Codable {
    /// The region the cell judges.
    public var region: String
    /// A group or code key.
    public var code: String
    /// The researcher's rating, if the cell has one.
    public var rating: Rating?
    /// A short description instead of a rating (`public`, `high & low`).
    public var descriptor: String?
    /// The researcher's note on the cell.
    public var note: String?
    /// Who set the cell.
    public var coder: String
    /// Segments the researcher cites.
    public var evidence: [Int64]
    /// When the cell was last set (ISO 8601).
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case region, code, rating, descriptor, note, coder, evidence
        case updatedAt = "updated_at"
    }

    /// Creates the value from its fields.
    public init(
        region: String, code: String, rating: Rating? = nil, descriptor: String? = nil, note: String? = nil,
        coder: String, evidence: [Int64], updatedAt: String
    ) {
        self.region = region
        self.code = code
        self.rating = rating
        self.descriptor = descriptor
        self.note = note
        self.coder = coder
        self.evidence = evidence
        self.updatedAt = updatedAt
    }
}

/// The names of coders with a meaning of their own.
public enum Coder {
    /// The auto-coder's name in every coding it made.
    public static let auto = "auto"
    /// The name learned suggestions carry (they are kept apart from codings until accepted).
    public static let suggest = "suggest"
}
