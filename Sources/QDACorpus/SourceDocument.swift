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
    /// What the document is (interview, literature ...).
    public var kind: DocumentKind
    /// The region the document is about, as written.
    public var region: String?
    /// The document's title.
    public var title: String?
    /// The document's date, as written.
    public var date: String?
    /// The document's language, as written.
    public var language: String?
    /// Further front-matter fields, kept as document attributes.
    public var attributes: [String: String]
    /// SHA-256 of the file's bytes as read (for one row of a spreadsheet: of its name,
    /// text and attributes).
    public var sha256: String
    /// The name of the file the document came from (differs from `name` for the rows of
    /// a spreadsheet, which are named `file.csv#id`).
    public var source: String
    /// The format the document was read from.
    public var format: DocumentFormat = .text
    /// The text encoding read, for formats without a declared one.
    public var encoding: TextEncoding?
    /// True when the encoding was detected, not given or marked.
    public var encodingDetected = false
    /// Scalar offsets at which pages 2, 3, ... begin; nil for formats without pages.
    public var pageBreaks: [Int]?
    /// Segments the format fixed itself (subtitle turns, spreadsheet rows).
    public var premadeSegments: [SegmentDraft]?
    /// What decided how the file was read besides its bytes (`IngestOptions.signature`).
    public var options = ""
    /// The segments to store, once cut (`Segmenter.segment`).
    public var segments: [SegmentDraft] = []
    /// The text's length in Unicode scalars, once counted.
    public var length = 0
    /// Whether the kind was given (front matter, manifest, command line, the format)
    /// rather than left to the default: only an undeclared kind is inferred from the text.
    public var kindDeclared = false
    /// How the document was read, once segmented (`Segmenter.segment`).
    public var reading: DocumentReading?

    /// Creates the value from its fields.
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

/// How a document was read: as a transcript or as prose, what its segments are, and why;
/// `qda ingest` prints it for each document.
public struct DocumentReading: Sendable, Equatable, Codable {
    /// How the text was cut.
    public enum Form: String, Sendable, Codable {
        /// Speaker turns.
        case transcript
        /// Paragraphs, sentences and the parts of an article.
        case prose
        /// Segments the format fixes itself: subtitle cues, spreadsheet rows.
        case fixed
    }

    /// The document's name in the project.
    public var document: String
    /// Whether the document was read as a transcript, as prose or as the format's own segments.
    public var form: Form
    /// The kind the document was stored as.
    public var kind: DocumentKind
    /// True when the kind was not given and the alternating speaker turns made it an interview.
    public var kindInferred = false
    /// Distinct speakers and their turns (transcripts).
    public var speakers = 0
    /// Speaker turns (transcripts).
    public var turns = 0
    /// Segments by role.
    public var roles: [SegmentRole: Int] = [:]
    /// Paragraphs the prose sentences were cut from.
    public var paragraphs = 0
    /// True when `--unit turn` was asked for and the document has no turns.
    public var noTurnsForUnit = false
    /// Hard-wrapped lines joined into paragraphs, and running headers or page numbers dropped.
    public var linesJoined = 0
    /// Running headers, footers and page numbers dropped.
    public var runningLinesDropped = 0
    /// Words hyphenated at a line end and joined again.
    public var hyphensMended = 0

    /// Creates the value from its fields.
    public init(document: String, form: Form, kind: DocumentKind) {
        self.document = document
        self.form = form
        self.kind = kind
    }

    /// "transcript: 3 speakers, 42 turns"; "prose: 61 paragraphs in 319 sentences, 6 headings, …".
    public var description: String { describe() }

    /// The description, with `turnUnit` naming the choice of cutting by speaker turn as the
    /// client lets a person make it (the command line: `--unit turn`).
    public func describe(turnUnit: String = "the turn unit") -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var parts: [String] = []
        switch form {
        case .transcript:
            parts.append(count(speakers, "speaker"))
            parts.append(count(turns, "turn"))
            if let other = roles[.paragraph], other > 0 {
                parts.append(count(other, "paragraph") + " before the turns")
            }
            if let sentences = roles[.sentence], sentences > 0 { parts.append(count(sentences, "sentence")) }
        case .prose:
            let sentences = roles[.sentence] ?? 0
            if sentences > 0 {
                parts.append("\(count(paragraphs, "paragraph")) in \(count(sentences, "sentence"))")
            }
            if let n = roles[.paragraph], n > 0 { parts.append(count(n, "paragraph")) }
            for (role, word) in [
                (SegmentRole.heading, "heading"), (.caption, "caption"), (.table, "table"), (.keywords, "keyword line"),
            ] {
                if let n = roles[role], n > 0 { parts.append(count(n, word)) }
            }
            if let n = roles[.reference], n > 0 { parts.append(count(n, "reference") + " (not coded)") }
        case .fixed:
            let total = roles.values.reduce(0, +)
            parts.append(count(total, "segment") + " as the file gives them")
        }
        var text = "\(form.rawValue): " + parts.joined(separator: ", ")
        var notes: [String] = []
        if kindInferred { notes.append("read as an interview: its speaker turns alternate") }
        if noTurnsForUnit { notes.append("no speaker turns, so \(turnUnit) cuts it as prose") }
        if linesJoined > 0 || runningLinesDropped > 0 {
            var repair = "hard-wrapped lines joined"
            if hyphensMended > 0 { repair += ", \(count(hyphensMended, "hyphenated word")) mended" }
            if runningLinesDropped > 0 {
                repair += ", \(runningLinesDropped) running header, footer or page-number lines dropped"
            }
            notes.append(repair)
        }
        if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
        return text
    }
}
