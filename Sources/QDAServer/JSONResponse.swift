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
            case .noSuchDocument, .noSuchCoding, .noSuchSegment: return Self.error(.notFound, error.description)
            case .textMismatch: return Self.error(.conflict, error.description)
            case .busy: return Self.error(.serviceUnavailable, error.description)
            default: return Self.error(.unprocessableContent, error.description)
            }
        case let error as CodebookError: return Self.error(.unprocessableContent, error.description)
        case let error as CorpusError: return Self.error(.unprocessableContent, error.description)
        case let error as AnalysisError: return Self.error(.unprocessableContent, error.description)
        case is DecodingError: return Self.error(.badRequest, "The request body is not the JSON this route takes.")
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
}

/// `GET /api/documents/{id}`.
struct DocumentBody: Encodable {
    struct Segment: Encodable {
        var id: Int64
        var start: Int
        var end: Int
        var speaker: String?
    }
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
    var segments: [Segment]
    var codings: [Coding]

    init(_ view: DocumentView) {
        id = view.id
        name = view.name
        region = view.region
        text = view.text
        segments = view.segments.map { Segment(id: $0.id, start: $0.start, end: $0.end, speaker: $0.speaker) }
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

    enum CodingKeys: String, CodingKey {
        case documentID = "document_id"
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
    var codings: Int
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
