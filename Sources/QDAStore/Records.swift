import Foundation
internal import GRDB
import QDAAnalysis

/// A row of `memo`, as people, merges and REFI-QDA imports write it.
struct MemoRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "memo"

    var id: Int64?
    /// `project`, `document`, `code`, `segment` or `cell`.
    var target: String
    var documentID: Int64?
    var segmentID: Int64?
    var code: String?
    var region: String?
    var author: String
    var text: String
    var createdAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, target, code, region, author, text
        case documentID = "document_id"
        case segmentID = "segment_id"
        case createdAt = "created_at"
    }

    /// Whether the same memo (target, author, text) is stored already: a merge adds a memo once.
    func exists(_ db: Database) throws -> Bool {
        try MemoRecord.filter(
            CodingKeys.target == target && CodingKeys.documentID == documentID && CodingKeys.segmentID == segmentID
                && CodingKeys.code == code && CodingKeys.region == region && CodingKeys.author == author
                && CodingKeys.text == text
        ).fetchCount(db) > 0
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A memo as listed, with its document's name.
struct MemoListing: Decodable, FetchableRecord {
    var id: Int64
    var target: String
    var document: String?
    var segmentID: Int64?
    var code: String?
    var region: String?
    var author: String
    var text: String
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, target, document, code, region, author, text
        case segmentID = "segment_id"
        case createdAt = "created_at"
    }

    var memo: Memo {
        Memo(
            id: id, target: target, document: document, segment: segmentID, code: code, region: region,
            author: author, text: text, createdAt: createdAt)
    }
}
