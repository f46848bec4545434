import Foundation
import GRDB

/// What `autoCode` did.
public struct AutoCodeSummary: Sendable, Equatable {
    /// Segments matched in this run (the others were already coded with this codebook).
    public var segmentsCoded = 0
    /// Segments that received at least one coding.
    public var segmentsWithCodings = 0
    public var codingsAdded = 0
    public var codingsRemoved = 0
}

extension Project {
    /// The coder name of the automatic coder. Its codings are the only ones it replaces.
    public static let autoCoder = "auto"

    /// Auto-codes the segments not yet coded with the current codebook (all of them with
    /// `all`), replacing only the auto-coder's earlier codings of those segments.
    ///
    /// - Throws: `QDAError.noCodebook` when no codebook is loaded.
    public func autoCode(all: Bool = false, progress: ProgressHandler? = nil) throws -> AutoCodeSummary {
        guard let codebook = try currentCodebook() else { throw QDAError.noCodebook }
        let matcher = Matcher(codebook: codebook)
        return try write { db in
            var codeIDs: [Int64] = []
            for key in matcher.codes {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [key]) else {
                    throw QDAError.notAProject(path: path, reason: "code '\(key)' of the codebook is missing")
                }
                codeIDs.append(id)
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, document_id, start_offset, text FROM segment
                    WHERE interviewer = 0 AND (? OR coded_with IS NULL OR coded_with <> ?) ORDER BY id
                    """, arguments: [all, codebook.sha256])
            var summary = AutoCodeSummary()
            guard !rows.isEmpty else { return summary }
            let segments = rows.map { SegmentText(id: $0["id"], text: $0["text"]) }
            let results = AutoCoder(matcher: matcher).code(segments, progress: progress)

            let remove = try db.cachedStatement(sql: "DELETE FROM coding WHERE segment_id = ? AND coder = 'auto'")
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO coding (segment_id, document_id, code_id, coder, start_offset, end_offset, valence,
                                        matched, created_at)
                    VALUES (?, ?, ?, 'auto', ?, ?, ?, ?, ?)
                    """)
            let mark = try db.cachedStatement(sql: "UPDATE segment SET coded_with = ? WHERE id = ?")
            let now = Self.now()
            for (row, matches) in zip(rows, results) {
                let segmentID: Int64 = row["id"]
                try remove.execute(arguments: [segmentID])
                summary.codingsRemoved += db.changesCount
                let base: Int = row["start_offset"]
                let scalars = Array((row["text"] as String).unicodeScalars)
                for match in matches {
                    let matched = String(String.UnicodeScalarView(scalars[match.start..<match.end]))
                    try insert.execute(arguments: [
                        segmentID, row["document_id"], codeIDs[match.code], base + match.start, base + match.end,
                        match.valence, matched, now,
                    ])
                }
                try mark.execute(arguments: [codebook.sha256, segmentID])
                summary.segmentsCoded += 1
                summary.codingsAdded += matches.count
                if !matches.isEmpty { summary.segmentsWithCodings += 1 }
            }
            return summary
        }
    }
}
