import QDACodebook

// What the store lists, as value types: segments with their codings and context, codings,
// memos, codebook entries. The store answers in these terms; the formats render them.

/// A segment as `qda segments` lists it.
public struct SegmentListing: Sendable, Equatable, Codable {
    /// The segment's id.
    public var id: Int64
    /// The document's name.
    public var document: String
    /// The segment's position in its document (0 first).
    public var ordinal: Int
    /// The segment's regions joined by "; ", its document's first (an interviewer's turn,
    /// which counts in no region, shows its document's region as written).
    public var region: String?
    /// The speaker of the turn, if any.
    public var speaker: String?
    /// The turn's timestamp, if the transcript gives one.
    public var timestamp: String?
    /// The page the segment starts on (PDF).
    public var page: Int?
    /// True for an interviewer's turn, which is not auto-coded.
    public var interviewer: Bool
    /// Where the segment starts in the document's text, in code points.
    public var start: Int
    /// Where it ends (exclusive).
    public var end: Int
    /// The segment's text.
    public var text: String
    /// The segment's codings, when listed by `findSegments`.
    public var codings: [SegmentCoding]?
    /// Passages to mark: codings of the filtered codes and search terms.
    public var marks: [SegmentMark]?
    /// Neighbouring segments (`--context N`).
    public var context: SegmentContext?

    /// Creates the value from its fields.
    public init(
        id: Int64, document: String, ordinal: Int, region: String?, speaker: String?, timestamp: String?, page: Int?,
        interviewer: Bool, start: Int, end: Int, text: String
    ) {
        self.id = id
        self.document = document
        self.ordinal = ordinal
        self.region = region
        self.speaker = speaker
        self.timestamp = timestamp
        self.page = page
        self.interviewer = interviewer
        self.start = start
        self.end = end
        self.text = text
    }
}

/// A coding as a segment listing shows it; offsets into the document text.
public struct SegmentCoding: Sendable, Equatable, Codable {
    /// The code's key.
    public var code: String
    /// Who coded (`auto` for the auto-coder).
    public var coder: String
    /// The coding's valence (−1, 0, 1).
    public var valence: Int
    /// Where the coded span starts, in code points into the segment.
    public var start: Int
    /// Where it ends (exclusive).
    public var end: Int
    /// The words the auto-coder matched.
    public var matched: String?

    /// Creates the value from its fields.
    public init(
        code: String, coder: String, valence: Int, start: Int, end: Int, matched: String? = nil
    ) {
        self.code = code
        self.coder = coder
        self.valence = valence
        self.start = start
        self.end = end
        self.matched = matched
    }
}

/// A passage to mark in a listed segment: a filtered code's coding or a search term.
public struct SegmentMark: Sendable, Equatable, Codable {
    /// Whether a mark is a coding or a search hit.
    public enum Kind: String, Sendable, Codable {
        case code
        case search
    }
    /// Offsets into the document text, like the segment's.
    public var start: Int
    /// Where the mark ends (exclusive).
    public var end: Int
    /// What the mark is.
    public var kind: Kind
    /// The code, for a coding's mark.
    public var code: String?

    /// Creates the value from its fields.
    public init(start: Int, end: Int, kind: Kind, code: String? = nil) {
        self.start = start
        self.end = end
        self.kind = kind
        self.code = code
    }
}

/// Neighbouring segments of a listed one (`--context N`).
public struct SegmentContext: Sendable, Equatable, Codable {
    /// Segments before, nearest last.
    public var before: [SegmentListing]
    /// Segments after, nearest first.
    public var after: [SegmentListing]

    /// Creates the value from its fields.
    public init(
        before: [SegmentListing], after: [SegmentListing]
    ) {
        self.before = before
        self.after = after
    }
}

/// The segments a filter selects, and how many there are in all.
public struct SegmentSearchResult: Sendable, Equatable {
    /// The segments found (at most the filter's limit).
    public var segments: [SegmentListing]
    /// Segments matching the filter, beyond the limit too.
    public var total: Int

    /// Creates the value from its fields.
    public init(
        segments: [SegmentListing], total: Int
    ) {
        self.segments = segments
        self.total = total
    }
}

/// What a memo is about.
public enum MemoTarget: Sendable, Equatable {
    case project
    case document(String)
    case code(String)
    case segment(Int64)
    /// A region's cell for a group or code.
    case cell(region: String, code: String)
}

/// A memo as listed and exported.
public struct Memo: Sendable, Equatable, Codable {
    /// The memo's id.
    public var id: Int64
    /// `project`, `document`, `code`, `segment` or `cell`.
    public var target: String
    /// The document the memo is on, if any.
    public var document: String?
    /// The segment the memo is on, if any.
    public var segment: Int64?
    /// The code the memo is on, if any.
    public var code: String?
    /// The region the memo is on, if any.
    public var region: String?
    /// Who wrote it.
    public var author: String
    /// What it says.
    public var text: String
    /// When it was written (ISO 8601).
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, target, document, segment, code, region, author, text
        case createdAt = "created_at"
    }

    /// Creates the value from its fields.
    public init(
        id: Int64, target: String, document: String? = nil, segment: Int64? = nil, code: String? = nil,
        region: String? = nil, author: String, text: String, createdAt: String
    ) {
        self.id = id
        self.target = target
        self.document = document
        self.segment = segment
        self.code = code
        self.region = region
        self.author = author
        self.text = text
        self.createdAt = createdAt
    }
}

/// A coding as people add, list, import and export it.
public struct CodingRecord: Sendable, Equatable, Codable {
    /// The coding's id.
    public var id: Int64
    /// The document's name.
    public var document: String
    /// The segment's id.
    public var segment: Int64
    /// Where the coded span starts, in code points into the document.
    public var start: Int
    /// Where it ends (exclusive).
    public var end: Int
    /// The code's key.
    public var code: String
    /// Who coded (`auto` for the auto-coder).
    public var coder: String
    /// The coding's valence (−1, 0, 1).
    public var valence: Int
    /// The coder's memo on the coding.
    public var memo: String?
    /// The coded passage.
    public var text: String

    /// Creates the value from its fields.
    public init(
        id: Int64, document: String, segment: Int64, start: Int, end: Int, code: String, coder: String, valence: Int,
        memo: String? = nil, text: String
    ) {
        self.id = id
        self.document = document
        self.segment = segment
        self.start = start
        self.end = end
        self.code = code
        self.coder = coder
        self.valence = valence
        self.memo = memo
        self.text = text
    }
}

/// One code (or group) of the project's codebook with how much it is used, for `qda
/// codebook show`.
public struct CodebookEntry: Sendable, Equatable, Codable {
    /// The dotted key (`market.income`); a group's key has no dot.
    public var key: String
    /// The code's name.
    public var label: String
    /// The group the code belongs to (its own key for a group).
    public var group: String
    /// 0 for a group, 1 for a code, 2 and more for sub-codes.
    public var depth: Int
    /// `factor` or `outcome`.
    public var role: String
    /// What the code means.
    public var definition: String?
    /// Keywords and phrases the auto-coder looks for (the code's own).
    public var keywords: Int
    /// Codings of the code itself: by the auto-coder, and by people.
    public var autoCodings: Int
    /// Codings people made with the code.
    public var manualCodings: Int
    /// Distinct segments coded with the code or any code below it.
    public var segments: Int

    enum CodingKeys: String, CodingKey {
        case key, label, group, depth, role, definition, keywords, segments
        case autoCodings = "auto_codings"
        case manualCodings = "manual_codings"
    }

    /// Creates the value from its fields.
    public init(
        key: String, label: String, group: String, depth: Int, role: String, definition: String? = nil, keywords: Int,
        autoCodings: Int, manualCodings: Int, segments: Int
    ) {
        self.key = key
        self.label = label
        self.group = group
        self.depth = depth
        self.role = role
        self.definition = definition
        self.keywords = keywords
        self.autoCodings = autoCodings
        self.manualCodings = manualCodings
        self.segments = segments
    }
}
