import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// What merging one project file brought in.
public struct MergeSummary: Sendable, Equatable, Encodable {
    /// The project merged from.
    public var path: String
    /// Documents found here by content.
    public var matchedDocuments = 0
    /// Codings added.
    public var codingsAdded = 0
    /// Codings already present (a repeated merge adds nothing).
    public var codingsPresent = 0
    /// Memos added.
    public var memosAdded = 0
    /// Review decisions added.
    public var reviewsAdded = 0
    /// The coders whose codings were merged.
    public var coders: [String] = []
    /// Documents with the same name but other text, documents this project lacks, codes
    /// it does not know, spans its segments do not hold: each skipped, with the reason.
    public var conflicts: [String] = []

    enum CodingKeys: String, CodingKey {
        case path, coders, conflicts
        case matchedDocuments = "matched_documents"
        case codingsAdded = "codings_added"
        case codingsPresent = "codings_present"
        case memosAdded = "memos_added"
        case reviewsAdded = "reviews_added"
    }
}

extension Project {
    /// Merges the people's codings, memos and review decisions of another project coded
    /// in parallel on the same documents. Documents are matched by content (SHA-256 of
    /// the file and the same text); each coder's codings stay theirs; codes are matched
    /// by key. Everything that cannot be placed is reported, not guessed. The other file
    /// is read from a copy (so it is neither migrated nor locked), and the merge is one
    /// transaction; merging the same file again adds nothing.
    public func merge(path other: String) throws -> MergeSummary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qda-merge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let theirs = try Self.rowsToMerge(from: other, copyingInto: folder)
        var summary = MergeSummary(path: other)
        try write { db in
            let documents = try Self.matchDocuments(theirs.documents, summary: &summary, db)
            try Self.mergeCodings(theirs.codings, documents: documents, summary: &summary, db)
            try Self.mergeMemos(theirs.memos, documents: documents, summary: &summary, db)
            try Self.mergeReviews(theirs.reviews, documents: documents, summary: &summary, db)
            // Codings came to the documents both projects hold, nothing else changed.
            try Self.codingsChanged(documents: Array(documents.values), db)
        }
        return summary
    }

    /// What another project holds that a merge takes: its documents, people's codings,
    /// memos and review decisions, read from a copy in `folder` (so that the other file is
    /// neither migrated nor locked).
    private static func rowsToMerge(from other: String, copyingInto folder: URL) throws -> (
        documents: [Row], codings: [Row], memos: [Row], reviews: [Row]
    ) {
        guard FileManager.default.fileExists(atPath: other) else { throw QDAError.projectNotFound(path: other) }
        let copy = folder.appendingPathComponent("other.sqlite").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: other, toPath: copy)
            for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: other + suffix) {
                try FileManager.default.copyItem(atPath: other + suffix, toPath: copy + suffix)
            }
        } catch {
            throw QDAError.unreadable(path: other, reason: "it cannot be copied (\(error.localizedDescription))")
        }
        let source: Project
        do {
            source = try Project.open(at: copy)
        } catch QDAError.notAProject(_, let reason) {
            throw QDAError.notAProject(path: other, reason: reason)
        }
        return try source.read { db in
            (
                documents: try Row.fetchAll(db, sql: "SELECT id, name, sha256, text FROM document ORDER BY name"),
                codings: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.document_id, k.key, c.coder, c.start_offset, c.end_offset, c.valence, c.memo,
                               COALESCE(c.created_at, r.started_at) AS created_at
                        FROM coding c JOIN code k ON k.id = c.code_id LEFT JOIN coding_run r ON r.id = c.run_id
                        WHERE c.coder <> 'auto' ORDER BY c.document_id, c.start_offset, c.id
                        """),
                memos: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT m.target, m.document_id, s.start_offset, s.end_offset, m.code, m.region, m.author,
                               m.text, m.created_at
                        FROM memo m LEFT JOIN segment s ON s.id = m.segment_id ORDER BY m.id
                        """),
                reviews: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.document_id, k.key, r.start_offset, r.end_offset, r.decision, r.reviewer,
                               t.key AS recoded, r.decided_at
                        FROM coding_review r JOIN code k ON k.id = r.code_id LEFT JOIN code t ON t.id = r.recoded_to
                        """)
            )
        }
    }

    /// Their document ids → ours, for the documents both hold with the same text; the
    /// others are reported.
    private static func matchDocuments(_ rows: [Row], summary: inout MergeSummary, _ db: Database) throws
        -> [Int64: Int64]
    {
        var documents: [Int64: Int64] = [:]
        for row in rows {
            let name: String = row["name"]
            let sha: String = row["sha256"]
            let text: String = row["text"]
            if let ours = try Row.fetchOne(
                db, sql: "SELECT id, text FROM document WHERE sha256 = ?", arguments: [sha])
            {
                guard (ours["text"] as String) == text else {
                    summary.conflicts.append(
                        "\(name): same file, but read into other text (different ingest options); skipped")
                    continue
                }
                documents[row["id"]] = ours["id"]
                summary.matchedDocuments += 1
            } else if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE name = ?", arguments: [name])
                ?? 0 > 0
            {
                summary.conflicts.append("\(name): same document name, different text; skipped")
            } else {
                summary.conflicts.append("\(name): not in this project; ingest it first to merge its codings")
            }
        }
        return documents
    }

    /// Our segment that holds the span `start`–`end` of `document`, if one does.
    private static func segment(_ document: Int64, _ start: Int, _ end: Int, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db,
            sql: """
                SELECT id FROM segment WHERE document_id = ? AND start_offset <= ? AND end_offset >= ?
                ORDER BY ordinal LIMIT 1
                """, arguments: [document, start, end])
    }

    /// Adds their people's codings that are not here yet, each coder's staying theirs.
    private static func mergeCodings(
        _ rows: [Row], documents: [Int64: Int64], summary: inout MergeSummary, _ db: Database
    ) throws {
        var unknownCodes: [String: Int] = [:]
        var coders: Set<String> = []
        for row in rows {
            guard let document = documents[row["document_id"]] else { continue }
            let key: String = row["key"]
            guard let code = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [key])
            else {
                unknownCodes[key, default: 0] += 1
                continue
            }
            let start: Int = row["start_offset"]
            let end: Int = row["end_offset"]
            let coder: String = row["coder"]
            guard let segmentID = try segment(document, start, end, db) else {
                summary.conflicts.append(
                    "a coding of \(key) by \(coder) at \(start)–\(end) crosses this project's segments; skipped")
                continue
            }
            let added = try Self.insertCodingIfNew(
                segment: segmentID, document: document, code: code, coder: coder, start: start, end: end,
                valence: row["valence"], memo: row["memo"], createdAt: row["created_at"], db)
            guard added else {
                summary.codingsPresent += 1
                continue
            }
            summary.codingsAdded += 1
            coders.insert(coder)
        }
        for (key, count) in unknownCodes.sorted(by: { $0.key < $1.key }) {
            summary.conflicts.append(
                "code \(key) is not in this project's codebook; \(plural(count, "coding")) skipped")
        }
        summary.coders = coders.sorted()
    }

    /// Adds their memos that are not here yet (a segment's memo where the segment is).
    private static func mergeMemos(
        _ rows: [Row], documents: [Int64: Int64], summary: inout MergeSummary, _ db: Database
    ) throws {
        for row in rows {
            let target: String = row["target"]
            var document: Int64?
            var segmentID: Int64?
            if let theirs = row["document_id"] as Int64? {
                guard let ours = documents[theirs] else { continue }
                document = ours
                if target == "segment" {
                    segmentID = try segment(ours, row["start_offset"], row["end_offset"], db)
                    guard segmentID != nil else { continue }
                }
            }
            var memo = MemoRecord(
                target: target, documentID: document, segmentID: segmentID, code: row["code"], region: row["region"],
                author: row["author"], text: row["text"], createdAt: row["created_at"])
            guard try !memo.exists(db) else { continue }
            try memo.insert(db)
            summary.memosAdded += 1
        }
    }

    /// Adds their review decisions on auto codings that are not here yet.
    private static func mergeReviews(
        _ rows: [Row], documents: [Int64: Int64], summary: inout MergeSummary, _ db: Database
    ) throws {
        for row in rows {
            guard let document = documents[row["document_id"]],
                let code = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [row["key"]])
            else { continue }
            let recoded = try (row["recoded"] as String?).flatMap {
                try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [$0])
            }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO coding_review (document_id, code_id, start_offset, end_offset, decision,
                                                         reviewer, recoded_to, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    document, code, row["start_offset"], row["end_offset"], row["decision"], row["reviewer"],
                    recoded, row["decided_at"],
                ])
            summary.reviewsAdded += db.changesCount
        }
    }
}
