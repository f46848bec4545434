import Foundation
internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

extension Project {
    /// Adds a memo; its target must exist (a code of the codebook, a document, a segment).
    @discardableResult
    public func addMemo(_ target: MemoTarget, text: String, author: String) throws -> Memo {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw QDAError.emptyMemo
        }
        let region: String? = try {
            guard case .cell(let name, _) = target else { return nil }
            return try currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(name) } ?? name
        }()
        return try write { db in
            var documentID: Int64?
            var segmentID: Int64?
            var code: String?
            let kind: String
            switch target {
            case .project:
                kind = "project"
            case .document(let name):
                kind = "document"
                guard
                    let id = try Int64.fetchOne(
                        db, sql: "SELECT id FROM document WHERE name = ? OR source = ? LIMIT 1",
                        arguments: [name, name])
                else { throw QDAError.noSuchDocument(name) }
                documentID = id
            case .code(let key):
                kind = "code"
                _ = try Self.codeID(key, db)
                code = key
            case .segment(let id):
                kind = "segment"
                guard
                    let document = try Int64.fetchOne(
                        db, sql: "SELECT document_id FROM segment WHERE id = ?", arguments: [id])
                else { throw QDAError.noSuchSegment(id) }
                segmentID = id
                documentID = document
            case .cell(_, let key):
                kind = "cell"
                _ = try Self.codeID(key, db)
                code = key
            }
            var memo = MemoRecord(
                target: kind, documentID: documentID, segmentID: segmentID, code: code, region: region,
                author: author, text: text, createdAt: Self.now())
            try memo.insert(db)
            return try Self.memos(where: "m.id = ?", [memo.id], db)[0]
        }
    }

    /// Replaces the text of memo `id`.
    ///
    /// - Throws: `QDAError.emptyMemo`; `QDAError.noSuchMemo`, also for a memo not by
    ///   `owner` when one is given (a team server's coder edits only their own).
    @discardableResult
    public func editMemo(id: Int64, text: String, ownedBy owner: String? = nil) throws -> Memo {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw QDAError.emptyMemo }
        return try write { db in
            try db.execute(
                sql: "UPDATE memo SET text = ? WHERE id = ? AND (? IS NULL OR author = ?)",
                arguments: [text, id, owner, owner])
            guard db.changesCount == 1 else { throw QDAError.noSuchMemo(id) }
            return try Self.memos(where: "m.id = ?", [id], db)[0]
        }
    }

    /// Every memo, by target then time.
    public func memos() throws -> [Memo] {
        try read { db in try Self.memos(where: "1", [], db) }
    }

    static func memos(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> [Memo] {
        try MemoListing.fetchAll(
            db,
            sql: """
                SELECT m.id, m.target, d.name AS document, m.segment_id, m.code, m.region, m.author, m.text, m.created_at
                FROM memo m LEFT JOIN document d ON d.id = m.document_id
                WHERE \(condition)
                ORDER BY CASE m.target WHEN 'project' THEN 0 WHEN 'document' THEN 1 WHEN 'segment' THEN 2
                         WHEN 'code' THEN 3 ELSE 4 END, d.name, m.segment_id, m.code, m.region, m.id
                """, arguments: arguments
        ).map(\.memo)
    }
}
