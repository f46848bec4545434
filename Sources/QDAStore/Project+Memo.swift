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
            try db.execute(
                sql: """
                    INSERT INTO memo (target, document_id, segment_id, code, region, author, text, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [kind, documentID, segmentID, code, region, author, text, Self.now()])
            return try Self.memos(where: "m.id = ?", [db.lastInsertedRowID], db)[0]
        }
    }

    /// Every memo, by target then time.
    public func memos() throws -> [Memo] {
        try read { db in try Self.memos(where: "1", [], db) }
    }

    static func memos(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> [Memo] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT m.id, m.target, d.name, m.segment_id, m.code, m.region, m.author, m.text, m.created_at
                FROM memo m LEFT JOIN document d ON d.id = m.document_id
                WHERE \(condition)
                ORDER BY CASE m.target WHEN 'project' THEN 0 WHEN 'document' THEN 1 WHEN 'segment' THEN 2
                         WHEN 'code' THEN 3 ELSE 4 END, d.name, m.segment_id, m.code, m.region, m.id
                """, arguments: arguments
        ).map {
            Memo(
                id: $0[0], target: $0[1], document: $0[2], segment: $0[3], code: $0[4], region: $0[5], author: $0[6],
                text: $0[7], createdAt: $0[8])
        }
    }
}
