import QDACodebook

// What the store lists, as value types: segments with their codings and context, codings,
// memos, codebook entries. The store answers in these terms; the formats render them.

/// A segment as `qda segments` lists it.
public struct SegmentListing: Sendable, Equatable, Codable {
    public var id: Int64
    public var document: String
    public var ordinal: Int
    /// The segment's regions joined by "; ", its document's first (an interviewer's turn,
    /// which counts in no region, shows its document's region as written).
    public var region: String?
    public var speaker: String?
    public var timestamp: String?
    /// The page the segment starts on (PDF).
    public var page: Int?
    /// True for an interviewer's turn, which is not auto-coded.
    public var interviewer: Bool
    public var start: Int
    public var end: Int
    public var text: String
    /// The segment's codings, when listed by `findSegments`.
    public var codings: [SegmentCoding]?
    /// Passages to mark: codings of the filtered codes and search terms.
    public var marks: [SegmentMark]?
    /// Neighbouring segments (`--context N`).
    public var context: SegmentContext?

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
    public var code: String
    public var coder: String
    public var valence: Int
    public var start: Int
    public var end: Int
    /// The words the auto-coder matched.
    public var matched: String?

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
    public enum Kind: String, Sendable, Codable {
        case code
        case search
    }
    /// Offsets into the document text, like the segment's.
    public var start: Int
    public var end: Int
    public var kind: Kind
    /// The code, for a coding's mark.
    public var code: String?

    public init(start: Int, end: Int, kind: Kind, code: String? = nil) {
        self.start = start
        self.end = end
        self.kind = kind
        self.code = code
    }
}

/// Neighbouring segments of a listed one (`--context N`).
public struct SegmentContext: Sendable, Equatable, Codable {
    public var before: [SegmentListing]
    public var after: [SegmentListing]

    public init(
        before: [SegmentListing], after: [SegmentListing]
    ) {
        self.before = before
        self.after = after
    }
}

/// The segments a filter selects, and how many there are in all.
public struct SegmentSearchResult: Sendable, Equatable {
    public var segments: [SegmentListing]
    /// Segments matching the filter, beyond the limit too.
    public var total: Int

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
    public var id: Int64
    /// `project`, `document`, `code`, `segment` or `cell`.
    public var target: String
    public var document: String?
    public var segment: Int64?
    public var code: String?
    public var region: String?
    public var author: String
    public var text: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, target, document, segment, code, region, author, text
        case createdAt = "created_at"
    }

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
    public var id: Int64
    public var document: String
    public var segment: Int64
    public var start: Int
    public var end: Int
    public var code: String
    public var coder: String
    public var valence: Int
    public var memo: String?
    /// The coded passage.
    public var text: String

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
    public var label: String
    /// The group the code belongs to (its own key for a group).
    public var group: String
    /// 0 for a group, 1 for a code, 2 and more for sub-codes.
    public var depth: Int
    /// `factor` or `outcome`.
    public var role: String
    public var definition: String?
    /// Keywords and phrases the auto-coder looks for (the code's own).
    public var keywords: Int
    /// Codings of the code itself: by the auto-coder, and by people.
    public var autoCodings: Int
    public var manualCodings: Int
    /// Distinct segments coded with the code or any code below it.
    public var segments: Int

    enum CodingKeys: String, CodingKey {
        case key, label, group, depth, role, definition, keywords, segments
        case autoCodings = "auto_codings"
        case manualCodings = "manual_codings"
    }

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
