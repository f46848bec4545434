internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// A person's decision on an auto-coder's coding.
public enum ReviewDecision: Sendable, Equatable {
    /// The coding stands; it becomes the reviewer's.
    case accept
    /// The coding is wrong; it goes, and the auto-coder will not add it again.
    case reject
    /// The passage is right but the code is not: the reviewer's coding of `code` replaces it.
    case recode(String)
}

/// What a review changed.
public struct ReviewSummary: Sendable, Equatable {
    /// Codings accepted.
    public var accepted = 0
    /// Codings rejected.
    public var rejected = 0
    /// Codings recoded.
    public var recoded = 0

    /// Creates the value from its fields.
    public init() {}
}

extension Project {
    /// The auto-coder's codings no person has decided on yet, in document order; only
    /// codes under `codes` (keys or prefixes) and segments in `region` when given.
    public func pendingReviews(codes: [String] = [], region: String? = nil, limit: Int? = nil) throws
        -> [CodingRecord]
    {
        let codeIDs = try resolveCodeFilter(codes)
        return try read { db in
            var condition = "c.coder = 'auto'"
            var arguments: StatementArguments = []
            if let codeIDs {
                condition += " AND " + Self.underCodes("c.code_id", codeIDs.count)
                arguments += StatementArguments(codeIDs)
            }
            if let region {
                condition += " AND c.segment_id IN (SELECT segment_id FROM segment_region WHERE region = ?)"
                arguments += [region]
            }
            var records = try Self.codingRecords(where: condition, arguments, db)
            if let limit { records = Array(records.prefix(limit)) }
            return records
        }
    }

    /// Applies `decision` to the auto-coder's codings `ids`, as `reviewer`, in one
    /// transaction: an id that is not a pending auto coding stops it with nothing changed.
    /// Decisions are remembered by document, code and span, so re-running the auto-coder
    /// brings none of them back.
    @discardableResult
    public func review(_ ids: [Int64], decision: ReviewDecision, reviewer: String) throws -> ReviewSummary {
        guard reviewer != Self.autoCoder else {
            throw QDAError.autoIsNotAPerson(role: "reviewer")
        }
        return try write { db in
            var summary = ReviewSummary()
            var recodeID: Int64?
            if case .recode(let key) = decision { recodeID = try Self.codeID(key, db) }
            let now = Self.now()
            var documents: [Int64] = []
            for id in ids {
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT segment_id, document_id, code_id, start_offset, end_offset, valence, coder
                            FROM coding WHERE id = ?
                            """, arguments: [id])
                else { throw QDAError.noSuchCoding(id) }
                documents.append(row["document_id"])
                guard (row["coder"] as String) == Self.autoCoder else {
                    throw QDAError.notAnAutoCoding(id, coder: row["coder"])
                }
                let label: String
                switch decision {
                case .accept:
                    try db.execute(sql: "UPDATE coding SET coder = ? WHERE id = ?", arguments: [reviewer, id])
                    label = "accepted"
                    summary.accepted += 1
                case .reject:
                    try db.execute(sql: "DELETE FROM coding WHERE id = ?", arguments: [id])
                    label = "rejected"
                    summary.rejected += 1
                case .recode:
                    try db.execute(
                        sql: """
                            UPDATE coding SET coder = ?, code_id = ?, matched = NULL,
                                created_at = COALESCE(created_at, (SELECT started_at FROM coding_run WHERE id = run_id)),
                                run_id = NULL
                            WHERE id = ?
                            """,
                        arguments: [reviewer, recodeID, id])
                    label = "recoded"
                    summary.recoded += 1
                }
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO coding_review (document_id, code_id, start_offset, end_offset, decision,
                                                              reviewer, recoded_to, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row["document_id"], row["code_id"], row["start_offset"], row["end_offset"], label, reviewer,
                        recodeID, now,
                    ])
            }
            try Self.codingsChanged(documents: documents, db)
            return summary
        }
    }

    /// The (code, start, end) spans of a document a person has decided on.
    static func reviewedSpans(documents: [Int64], _ db: Database) throws -> Set<ReviewedSpan> {
        guard !documents.isEmpty else { return [] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT document_id, code_id, start_offset, end_offset FROM coding_review
                WHERE document_id IN (\(placeholders(documents.count)))
                """, arguments: StatementArguments(documents))
        return Set(rows.map { ReviewedSpan(document: $0[0], code: $0[1], start: $0[2], end: $0[3]) })
    }
}

struct ReviewedSpan: Hashable {
    var document: Int64
    var code: Int64
    var start: Int
    var end: Int
}
