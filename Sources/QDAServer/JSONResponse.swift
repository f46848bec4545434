import Foundation
import Hummingbird
import QDAKit

/// JSON bodies of the API (docs/server.md), and errors as `{"error": "..."}`.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return raw(try encoder.encode(value), status: status)
    }

    static func raw(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let object = ["error": message]
        return (try? make(object, status: status)) ?? raw(Data(#"{"error":"?"}"#.utf8), status: status)
    }

    /// The status and message of a library error: a missing thing is 404, a passage that
    /// is not the stored text 409, anything else the request got wrong 422.
    static func failure(_ error: any Error) -> Response {
        switch error {
        case let error as QDAError:
            switch error {
            case .noSuchDocument, .noSuchCoding, .noSuchSegment, .noSuchMemo, .noSuchSuggestion:
                return Self.error(.notFound, error.description)
            case .textMismatch: return Self.error(.conflict, error.description)
            case .codingOfAnother(let id, _):
                // Whose it is stays unsaid: on a blind document that is another coder's secret.
                return Self.error(.notFound, "No coding #\(id) of yours.")
            case .busy: return Self.error(.serviceUnavailable, error.description)
            default: return Self.error(.unprocessableContent, error.description)
            }
        case let error as CodebookError: return Self.error(.unprocessableContent, error.description)
        case let error as CorpusError: return Self.error(.unprocessableContent, error.description)
        case let error as AnalysisError: return Self.error(.unprocessableContent, error.description)
        case let error as FormatError: return Self.error(.unprocessableContent, error.description)
        case let error as UploadError: return Self.error(.unprocessableContent, error.description)
        case let error as RequestProblem: return Self.error(error.status, error.message)
        case let error as NotAllowed: return Self.error(.forbidden, error.description)
        case let error as AccountError: return Self.error(.unprocessableContent, error.description)
        case is DecodingError: return Self.error(.badRequest, "The request body is not the JSON this route takes.")
        case let error as HTTPError: return Self.error(error.status, error.body ?? "\(error.status)")
        default: return Self.error(.internalServerError, "\(error)")
        }
    }
}

/// `GET /api/documents` items.
struct DocumentItem: Encodable {
    var id: Int64
    var name: String
    var region: String?
    var kind: String
    var length: Int
    var codings: Int
    var segments: Int
    var codedSegments: Int
    var coders: [String]
    var attributes: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, name, region, kind, length, codings, segments, coders, attributes
        case codedSegments = "coded_segments"
    }

    init(_ summary: DocumentSummary) {
        id = summary.id
        name = summary.name
        region = summary.region
        kind = summary.kind
        length = summary.length
        codings = summary.codings
        segments = summary.segments
        codedSegments = summary.codedSegments
        coders = summary.coders
        attributes = summary.attributes
    }
}

/// `GET /api/documents/{id}`.
struct DocumentBody: Encodable {
    struct Coding: Encodable {
        var id: Int64
        var code: String
        var coder: String
        var start: Int
        var end: Int
        var valence: Int
        var memo: String?
    }
    var id: Int64
    var name: String
    var region: String?
    var text: String
    /// The store's segments as they are (their field names are the contract's).
    var segments: [DocumentView.Segment]
    var codings: [Coding]

    init(_ view: DocumentView) {
        id = view.id
        name = view.name
        region = view.region
        text = view.text
        segments = view.segments
        codings = view.codings.map {
            Coding(
                id: $0.id, code: $0.code, coder: $0.coder, start: $0.start, end: $0.end, valence: $0.valence,
                memo: $0.memo)
        }
    }
}

/// `POST /api/codings`.
struct NewCoding: Decodable {
    var documentID: Int64
    var start: Int
    var end: Int
    var text: String
    var code: String
    var valence: Int?
    var memo: String?
    /// `"consensus"`: an admin records the team's consensus span instead of their own coding.
    var asCoder: String?

    enum CodingKeys: String, CodingKey {
        case documentID = "document_id"
        case asCoder = "as"
        case start, end, text, code, valence, memo
    }
}

/// `POST /api/codings/{id}/review`.
struct ReviewRequest: Decodable {
    var decision: String
    var code: String?
}

/// `GET /api/codes` items: the codebook for a picker, with how often each code is used.
struct CodeItem: Encodable {
    var key: String
    var label: String
    var group: String
    var depth: Int
    var definition: String?
    /// With `?counts=1` only.
    var codings: Int?
}

/// `POST /api/memos`: on a document (by name), a segment, a code, a region's cell (region
/// and code), or the project (none of these).
struct NewMemo: Decodable {
    var text: String
    var document: String?
    var segmentID: Int64?
    var code: String?
    var region: String?

    enum CodingKeys: String, CodingKey {
        case text, document, code, region
        case segmentID = "segment_id"
    }

    /// What the memo is on; nil for a region without a code.
    var target: MemoTarget? {
        switch (document, segmentID, code, region) {
        case (let document?, nil, nil, nil): return .document(document)
        case (nil, let segment?, nil, nil): return .segment(segment)
        case (nil, nil, let code?, nil): return .code(code)
        case (nil, nil, let code?, let region?): return .cell(region: region, code: code)
        case (nil, nil, nil, nil): return .project
        default: return nil
        }
    }
}

/// `PATCH /api/codings/{id}`: what changes (the rest stays); new boundaries come with the
/// text there, as a new coding does.
struct CodingChange: Decodable {
    var start: Int?
    var end: Int?
    var text: String?
    var code: String?
    var valence: Int?
    var memo: String?

    /// `selection` with this change.
    func applied(to selection: CodingSelection) throws -> CodingSelection {
        var changed = selection
        if start != nil || end != nil {
            guard let text else {
                throw QDAError.textMismatch(document: "", start: start ?? 0, end: end ?? 0, stored: "")
            }
            changed.start = start ?? selection.start
            changed.end = end ?? selection.end
            changed.text = text
        }
        if let code { changed.code = code }
        if let valence { changed.valence = valence }
        if let memo { changed.memo = memo.isEmpty ? nil : memo }
        return changed
    }
}

/// `POST /api/undo` and `/api/redo`.
struct HistoryAnswer: Encodable {
    var step: String
    var documentID: Int64
    var undo: Int
    var redo: Int

    enum CodingKeys: String, CodingKey {
        case step, undo, redo
        case documentID = "document_id"
    }
}

/// `GET /api/reviews` items: an automatic coding with its segment around it.
struct ReviewItem: Encodable {
    var id: Int64
    var document: String
    var documentID: Int64?
    var code: String
    var start: Int
    var end: Int
    var text: String
    var segment: DocumentView.Segment?
    var segmentText: String?

    enum CodingKeys: String, CodingKey {
        case id, document, code, start, end, text, segment
        case documentID = "document_id"
        case segmentText = "segment_text"
    }

    /// The items of `records`, each with its segment's text (documents read once each).
    static func items(_ records: [CodingRecord], workbench: Workbench) throws -> [ReviewItem] {
        let ids = try workbench.documentIDs()
        var views: [Int64: DocumentView] = [:]
        return try records.map { record in
            var item = ReviewItem(
                id: record.id, document: record.document, documentID: ids[record.document], code: record.code,
                start: record.start, end: record.end, text: record.text)
            guard let documentID = item.documentID else { return item }
            if views[documentID] == nil { views[documentID] = try workbench.documentView(id: documentID) }
            guard let view = views[documentID], let segment = view.segments.first(where: { $0.id == record.segment })
            else { return item }
            item.segment = segment
            item.segmentText = String(
                String.UnicodeScalarView(
                    view.text.unicodeScalars.dropFirst(segment.start).prefix(segment.end - segment.start)))
            return item
        }
    }
}

/// A learned suggestion in the review queue: the whole segment, its code and score.
struct SuggestionItem: Encodable {
    var id: Int64
    var kind = "suggestion"
    var document: String
    var documentID: Int64?
    var code: String
    var score: Double
    var segment: DocumentView.Segment?
    var segmentText: String

    enum CodingKeys: String, CodingKey {
        case id, kind, document, code, score, segment
        case documentID = "document_id"
        case segmentText = "segment_text"
    }

    /// The items of `suggestions`, each with its segment (documents read once each).
    static func items(_ suggestions: [Suggestion], workbench: Workbench) throws -> [SuggestionItem] {
        let ids = try workbench.documentIDs()
        var views: [Int64: DocumentView] = [:]
        return try suggestions.map { suggestion in
            var item = SuggestionItem(
                id: suggestion.id, document: suggestion.document, documentID: ids[suggestion.document],
                code: suggestion.code, score: suggestion.score, segmentText: suggestion.text)
            guard let documentID = item.documentID else { return item }
            if views[documentID] == nil { views[documentID] = try workbench.documentView(id: documentID) }
            item.segment = views[documentID]?.segments.first { $0.id == suggestion.segment }
            return item
        }
    }
}

/// `POST /api/codebook`: `{"op":"rename","code","to"}`, `{"op":"move","code","group"}` or
/// `{"op":"merge","code","into"}` — the edits of `qda codebook`.
struct CodebookChange: Decodable {
    var op: String
    var code: String
    var to: String?
    var group: String?
    var into: String?

    var edit: CodebookEdit? {
        switch (op, to, group, into) {
        case ("rename", let to?, _, _): return .rename(code, to: to)
        case ("move", _, let group?, _): return .move(code, toGroup: group)
        case ("merge", _, _, let into?): return .merge(code, into: into)
        default: return nil
        }
    }
}

/// The answer to a codebook edit.
struct CodebookChangeAnswer: Encodable {
    var codingsMoved: Int
    var duplicatesDropped: Int
    var renamed: [String: String]

    enum CodingKeys: String, CodingKey {
        case renamed
        case codingsMoved = "codings_moved"
        case duplicatesDropped = "duplicates_dropped"
    }
}

/// `GET /api/evidence?code=K&region=R`: the segments behind a cell.
struct EvidenceAnswer: Encodable {
    struct Coding: Encodable {
        var code: String
        var coder: String
        var valence: Int
        var start: Int
        var end: Int
    }
    struct Segment: Encodable {
        var id: Int64
        var document: String
        var documentID: Int64?
        var region: String?
        var speaker: String?
        var interviewer: Bool
        var start: Int
        var end: Int
        var text: String
        var codings: [Coding]

        enum CodingKeys: String, CodingKey {
            case id, document, region, speaker, interviewer, start, end, text, codings
            case documentID = "document_id"
        }

        /// The segment with only the codings `visibility` shows.
        func shown(by visibility: Visibility) -> Segment {
            var segment = self
            segment.codings = codings.filter { visibility.shows(coder: $0.coder, document: document) }
            return segment
        }

        init(_ listing: SegmentListing, documentID: Int64?) {
            id = listing.id
            document = listing.document
            self.documentID = documentID
            region = listing.region
            speaker = listing.speaker
            interviewer = listing.interviewer
            start = listing.start
            end = listing.end
            text = listing.text
            codings = (listing.codings ?? []).map {
                Coding(code: $0.code, coder: $0.coder, valence: $0.valence, start: $0.start, end: $0.end)
            }
        }
    }
    var total: Int
    var segments: [Segment]
}

/// `POST /api/documents?name=FILE`: one uploaded file, read as `qda ingest` reads it.
struct UploadAnswer: Encodable {
    var added: Int
    var replaced: Int
    var skipped: Int
    var segments: Int
    var coded: Int
}

/// `PATCH /api/memos/{id}`.
struct MemoText: Decodable {
    var text: String
}

/// `PUT /api/grid`: the researcher's judgement of a region on a group or code.
struct GridChange: Decodable {
    var region: String
    var code: String
    var rating: String?
    var descriptor: String?
    var note: String?
    var evidence: [Int64]?
}

/// A request the route cannot take, for a reason its message says (422, or 403 for one
/// the user may not make).
struct RequestProblem: Error {
    var message: String
    var status: HTTPResponse.Status = .unprocessableContent
    init(_ message: String) { self.message = message }

    static func forbidden(_ message: String) -> RequestProblem {
        var problem = RequestProblem(message)
        problem.status = .forbidden
        return problem
    }
}

extension Optional where Wrapped == String {
    /// The text, or nil when it is empty or only spaces.
    var nonEmpty: String? {
        guard let text = self?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}

/// `POST /api/assignments`: coders assigned to a document, blind until revealed.
struct AssignmentRequest: Decodable {
    var document: String
    var coders: [String]
    var blind: Bool?
    var showAuto: Bool?

    enum CodingKeys: String, CodingKey {
        case document, coders, blind
        case showAuto = "show_auto"
    }
}

/// `GET /api/assignments` items.
struct AssignmentItem: Encodable {
    var document: String
    var coders: [String]
    var blind: Bool
    var showAuto: Bool

    enum CodingKeys: String, CodingKey {
        case document, coders, blind
        case showAuto = "show_auto"
    }
}

/// `POST /api/reveal`: one document, or all.
struct RevealRequest: Decodable {
    var document: String?
    var all: Bool?
}

/// `POST /api/consensus`: whether `segment` has `code` in the team's consensus.
struct ConsensusRequest: Decodable {
    var segment: Int64
    var code: String
    var decision: String
}

/// The answer to a consensus decision: the `consensus` coding made (if any), and how many
/// earlier consensus codings of that segment and code it replaced.
struct ConsensusAnswer: Encodable {
    var ids: [Int64]
    var removed: Int
}
