import Foundation
internal import GRDB
import QDAAnalysis
package import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// What an edit did.
public struct CodebookEditSummary: Sendable, Equatable {
    /// Codings now under the new or target key.
    public var codingsMoved = 0
    /// Codings dropped because the target already had the same coding by the same coder.
    public var duplicatesDropped = 0
    /// Old key → new key, for every code the edit renamed (sub-codes included).
    public var renamed: [String: String] = [:]
    /// The edited codebook, as stored in the project (comments are not kept).
    public var yaml = ""
}

extension Project {
    /// Applies `edit` to the project's codebook and to everything keyed by code: codings,
    /// review decisions, grid cells and memos, in one transaction. The edited codebook is
    /// validated like a loaded one and becomes the project's (the next `qda code` re-codes
    /// with it); the edit is recorded, and loading a file that still has the old key later
    /// warns that it would undo the edit.
    @discardableResult
    public func editCodebook(_ edit: CodebookEdit) throws -> CodebookEditSummary {
        guard let stored = try latestStoredYAML(in: "codebook") else { throw QDAError.noCodebook }
        let keys = try codes().map(\.key)
        let (yaml, renames) = try CodebookYAMLEdit.apply(edit, to: stored.yaml, keys: keys)
        var summary = CodebookEditSummary()
        let sha = SHA256.hex(Data(yaml.utf8))
        let result = try CodebookLoader().parse(yaml: yaml, path: stored.path, sha256: sha)
        summary.yaml = yaml
        try write { db in
            let now = Self.now()
            var touched: Set<Int64> = []
            switch edit {
            case .rename, .move:
                for (old, new) in renames {
                    for row in try Row.fetchAll(
                        db, sql: "SELECT id, key FROM code WHERE key = ? OR key LIKE ? ORDER BY depth",
                        arguments: [old, old + ".%"])
                    {
                        let key: String = row["key"]
                        let renamed = new + key.dropFirst(old.count)
                        summary.renamed[key] = renamed
                        try db.execute(
                            sql: "UPDATE code SET key = ?, group_key = ? WHERE id = ?",
                            arguments: [renamed, String(renamed.split(separator: ".")[0]), row["id"]])
                        try Self.rekey(from: key, to: renamed, db)
                    }
                    summary.codingsMoved +=
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT COUNT(*) FROM coding WHERE code_id IN (SELECT id FROM code WHERE key = ? OR key LIKE ?)
                                """, arguments: [new, new + ".%"]) ?? 0
                    try db.execute(
                        sql: "INSERT INTO codebook_edit (kind, from_key, to_key, edited_at) VALUES (?, ?, ?, ?)",
                        arguments: [Self.kind(edit), old, new, now])
                }
            case .merge(let source, let target):
                let targetID = try Self.codeID(target, db)
                let sourceIDs = try Int64.fetchAll(
                    db, sql: "SELECT id FROM code WHERE key = ? OR key LIKE ?", arguments: [source, source + ".%"])
                let list = placeholders(sourceIDs.count)
                touched = Set(sourceIDs + [targetID])
                // A coding the target already has (same segment, coder, span) is a duplicate.
                try db.execute(
                    sql: """
                        DELETE FROM coding WHERE code_id IN (\(list)) AND EXISTS (
                            SELECT 1 FROM coding t WHERE t.code_id = ? AND t.segment_id = coding.segment_id
                              AND t.coder = coding.coder AND t.start_offset = coding.start_offset
                              AND t.end_offset = coding.end_offset)
                        """, arguments: StatementArguments(sourceIDs) + [targetID])
                summary.duplicatesDropped = db.changesCount
                try db.execute(
                    sql: "UPDATE coding SET code_id = ? WHERE code_id IN (\(list))",
                    arguments: [targetID] + StatementArguments(sourceIDs))
                summary.codingsMoved = db.changesCount
                try db.execute(
                    sql: "UPDATE OR IGNORE coding_review SET code_id = ? WHERE code_id IN (\(list))",
                    arguments: [targetID] + StatementArguments(sourceIDs))
                try db.execute(
                    sql: "DELETE FROM coding_review WHERE code_id IN (\(list))",
                    arguments: StatementArguments(sourceIDs))
                try db.execute(sql: "UPDATE memo SET code = ? WHERE code = ?", arguments: [target, source])
                try db.execute(
                    sql: "UPDATE OR IGNORE grid_cell SET code = ? WHERE code = ?", arguments: [target, source])
                try db.execute(sql: "DELETE FROM grid_cell WHERE code = ?", arguments: [source])
                try db.execute(
                    sql: "INSERT INTO codebook_edit (kind, from_key, to_key, edited_at) VALUES ('merge', ?, ?, ?)",
                    arguments: [source, target, now])
            }
            let stored = try store(
                result.codebook, yaml: yaml, sourcePath: stored.path, warnings: result.warnings, touched: touched, db)
            // Storing a changed codebook brought the report cache up to date.
            if !stored.changed { try Self.markSegmentCodesStale(db) }
        }
        return summary
    }

    private static func kind(_ edit: CodebookEdit) -> String { edit.kind }

    /// Moves what is keyed by a code key (memos, grid cells) to its new key.
    private static func rekey(from old: String, to new: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE memo SET code = ? WHERE code = ?", arguments: [new, old])
        try db.execute(sql: "UPDATE grid_cell SET code = ? WHERE code = ?", arguments: [new, old])
    }

    /// Warnings for a codebook about to be loaded that would undo earlier edits: it still
    /// has a key this project renamed, moved or merged away.
    func undoneEdits(_ codebook: Codebook, _ db: Database) throws -> [ValidationProblem] {
        let keys = Set(codebook.groups.map(\.key) + codebook.allCodes.map(\.key))
        return try Row.fetchAll(db, sql: "SELECT kind, from_key, to_key, edited_at FROM codebook_edit ORDER BY id")
            .compactMap { row in
                let from: String = row["from_key"]
                let to: String = row["to_key"]
                guard keys.contains(from), !keys.contains(to) || row["kind"] == "merge" else { return nil }
                return ValidationProblem(
                    .warning, line: nil,
                    "'\(from)' was \(row["kind"] as String == "merge" ? "merged into" : "renamed to") '\(to)' in this "
                        + "project on \(row["edited_at"] as String); this codebook still has '\(from)', so the edit is "
                        + "undone for the auto-coder (people's codings stay under '\(to)'). Keep the edited codebook "
                        + "in a file (the edit can write it) and load that file.")
            }
    }
}
