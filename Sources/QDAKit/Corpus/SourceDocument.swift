import Foundation

/// What a document is, as the researcher declares it in front matter.
public enum DocumentKind: String, Codable, Sendable, CaseIterable {
    case interview
    case literature
    case statistics
    case other
}

/// A document read from disk, before it is segmented and stored.
public struct SourceDocument: Sendable, Equatable {
    /// The name the project knows the document by: its path relative to the folder
    /// that was ingested (or its file name when a single file was given).
    public var name: String
    /// The path the document was read from.
    public var path: String
    /// The text after the front matter, with line endings normalised to LF.
    public var text: String
    public var kind: DocumentKind
    public var region: String?
    public var title: String?
    public var date: String?
    public var language: String?
    /// Further front-matter fields, kept as document attributes.
    public var attributes: [String: String]
    /// SHA-256 of the file's bytes as read (for one row of a spreadsheet: of its name,
    /// text and attributes).
    public var sha256: String
    /// The name of the file the document came from (differs from `name` for the rows of
    /// a spreadsheet, which are named `file.csv#id`).
    public var source: String
    public var format: DocumentFormat = .text
    public var encoding: TextEncoding?
    /// True when the encoding was detected, not given or marked.
    public var encodingDetected = false
    /// Scalar offsets at which pages 2, 3, ... begin; nil for formats without pages.
    public var pageBreaks: [Int]?
    /// Segments the format fixed itself (subtitle turns, spreadsheet rows).
    public var premadeSegments: [SegmentDraft]?
    /// What decided how the file was read besides its bytes (`IngestOptions.signature`).
    public var options = ""
    /// The segments to store, once cut (`Project.segmentDrafts`).
    public var segments: [SegmentDraft] = []
    /// The text's length in Unicode scalars, once counted.
    public var length = 0
    /// The auto-coder's matches per segment (empty for interviewer turns), when the
    /// document was coded as it was read.
    var autoCodes: [[AutoCodeRow]]?
    /// The places each segment names, when the document was read with a gazetteer.
    var places: [SegmentPlaces]?

    public init(
        name: String, path: String, text: String, kind: DocumentKind = .other, region: String? = nil,
        title: String? = nil, date: String? = nil, language: String? = nil,
        attributes: [String: String] = [:], sha256: String, source: String? = nil
    ) {
        self.source = source ?? name
        self.name = name
        self.path = path
        self.text = text
        self.kind = kind
        self.region = region
        self.title = title
        self.date = date
        self.language = language
        self.attributes = attributes
        self.sha256 = sha256
    }
}
