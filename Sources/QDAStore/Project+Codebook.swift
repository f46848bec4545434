import Foundation
internal import GRDB
package import QDAAnalysis
public import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// What loading a codebook changed.
public struct CodebookLoadSummary: Sendable, Equatable {
    /// The codebook's name.
    public var name: String
    /// Its version.
    public var version: String?
    /// The SHA-256 of its file.
    public var sha256: String
    /// Its groups.
    public var groups: Int
    /// Its codes.
    public var codes: Int
    /// Its keywords and rules.
    public var keywords: Int
    /// False when the same codebook was already the project's current one.
    public var changed: Bool
    /// Problems that did not stop the load.
    public var warnings: [ValidationProblem]
}

extension Project {
    /// Validates the codebook at `path` and makes it the project's codebook.
    ///
    /// Codes are matched by key: a kept key keeps its codings; codes that are gone lose
    /// their auto-codings and are removed, unless people coded with them (then they stay,
    /// marked inactive). Codings are refreshed by the next `autoCode()`.
    public func loadCodebook(path: String) throws -> CodebookLoadSummary {
        let yaml: String
        let sha256: String
        if path.lowercased().hasSuffix(".qdc") {
            // A REFI-QDA codebook from another tool, read into the YAML form.
            yaml = try REFICodebook.importYAML(path: path)
            sha256 = SHA256.hex(Data(yaml.utf8))
        } else {
            (yaml, sha256) = try TextDecoding.readFile(path)
        }
        // Problems in an imported codebook point at lines of its YAML form.
        let shown = path.lowercased().hasSuffix(".qdc") ? "\(path) (read as YAML)" : path
        let result = try CodebookLoader().parse(yaml: yaml, path: shown, sha256: sha256)
        return try write { db in
            try store(
                result.codebook, yaml: yaml, sourcePath: path,
                warnings: result.warnings + undoneEdits(result.codebook, db), db)
        }
    }

    /// Stores `codebook` as the project's; `touched` names codes whose codings the caller
    /// moved or removed in the same transaction (a merge of codes), so that their rows of
    /// the report cache are computed again with those of every code whose place in the tree
    /// changed.
    func store(
        _ codebook: Codebook, yaml: String, sourcePath: String, warnings: [ValidationProblem],
        touched: Set<Int64> = [], _ db: Database
    ) throws -> CodebookLoadSummary {
        let current = try String.fetchOne(db, sql: "SELECT sha256 FROM codebook ORDER BY id DESC LIMIT 1")
        var summary = CodebookLoadSummary(
            name: codebook.name, version: codebook.version, sha256: codebook.sha256, groups: codebook.groups.count,
            codes: codebook.allCodes.count, keywords: codebook.allCodes.reduce(0) { $0 + $1.keywords.count },
            changed: current != codebook.sha256, warnings: warnings)
        guard summary.changed else { return summary }
        try db.execute(
            sql: "INSERT INTO codebook (name, version, sha256, source_path, yaml, loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [codebook.name, codebook.version, codebook.sha256, sourcePath, yaml, Self.now()])

        let tree = try Self.codeTree(db)
        // Upsert every group and code by key, in codebook order.
        try db.execute(sql: "UPDATE code SET active = 0")
        var ids: [String: Int64] = [:]
        var ordinal = 0
        func upsert(
            key: String, parent: String?, group: String, depth: Int, label: String, definition: String?,
            role: CodeGroup.Role
        ) throws {
            try db.execute(
                sql: """
                    INSERT INTO code (key, parent_id, group_key, depth, ordinal, label, definition, role, active)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                    ON CONFLICT (key) DO UPDATE SET parent_id = excluded.parent_id, group_key = excluded.group_key,
                        depth = excluded.depth, ordinal = excluded.ordinal, label = excluded.label,
                        definition = excluded.definition, role = excluded.role, active = 1
                    """,
                arguments: [key, parent.flatMap { ids[$0] }, group, depth, ordinal, label, definition, role.rawValue])
            ids[key] = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [key])
            ordinal += 1
        }
        for group in codebook.groups {
            try upsert(
                key: group.key, parent: nil, group: group.key, depth: 0, label: group.label,
                definition: group.definition, role: group.role)
            for code in group.codes.flatMap(\.flattened) {
                try upsert(
                    key: code.key, parent: code.parentKey, group: group.key,
                    depth: code.key.split(separator: ".").count - 1, label: code.label, definition: code.definition,
                    role: group.role)
            }
        }
        // Codes that left the codebook: drop their auto-codings; keep those people used.
        let dropped = try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT code_id FROM coding
                WHERE coder = 'auto' AND code_id IN (SELECT id FROM code WHERE active = 0)
                """)
        try db.execute(
            sql: "DELETE FROM coding WHERE coder = 'auto' AND code_id IN (SELECT id FROM code WHERE active = 0)")
        try db.execute(
            sql: "DELETE FROM code WHERE active = 0 AND id NOT IN (SELECT DISTINCT code_id FROM coding)")

        try db.execute(sql: "DELETE FROM code_closure")
        try db.execute(
            sql: """
                WITH RECURSIVE up(descendant_id, ancestor_id) AS (
                    SELECT id, id FROM code
                    UNION ALL
                    SELECT up.descendant_id, code.parent_id FROM up JOIN code ON code.id = up.ancestor_id
                    WHERE code.parent_id IS NOT NULL
                )
                INSERT INTO code_closure (ancestor_id, descendant_id) SELECT ancestor_id, descendant_id FROM up
                """)
        try Self.codeTreeChanged(before: tree, codings: touched.union(dropped), db)
        try db.execute(
            sql: "INSERT OR REPLACE INTO project_info (key, value) VALUES ('codebook_sha256', ?)",
            arguments: [codebook.sha256])
        summary.changed = true
        return summary
    }

    /// The project's current codebook, parsed from the copy stored in the project.
    public func currentCodebook() throws -> Codebook? {
        guard let stored = try latestStoredYAML(in: "codebook") else { return nil }
        return try CodebookLoader().parse(yaml: stored.yaml, path: stored.path, sha256: stored.sha256).codebook
    }

    /// The newest YAML copy kept in `table` (`codebook` or `gazetteer`), with its source
    /// path and SHA-256.
    func latestStoredYAML(in table: String) throws -> (yaml: String, path: String, sha256: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT yaml, source_path, sha256 FROM \(table) ORDER BY id DESC LIMIT 1")
                .map { (yaml: $0["yaml"], path: $0["source_path"], sha256: $0["sha256"]) }
        }
    }
}

extension Project {
    /// The active codes of the codebook in its order, with their keyword counts and how
    /// often each is used; empty when no codebook is loaded.
    ///
    /// Without `counts`, the usage counts are zero and nothing is counted (a code picker's
    /// list, at the same cost whatever the number of codings).
    public func codebookEntries(counts: Bool = true) throws -> [CodebookEntry] {
        let codebook = try currentCodebook()
        var details: [String: (definition: String?, keywords: Int)] = [:]
        for group in codebook?.groups ?? [] {
            details[group.key] = (group.definition, 0)
            for code in group.codes.flatMap(\.flattened) {
                details[code.key] = (code.definition, code.keywords.count)
            }
        }
        return try read { db in
            let used =
                try !counts
                ? [:]
                : Row.fetchAll(
                    db,
                    sql: """
                        SELECT code_id, SUM(coder = 'auto') AS auto, SUM(coder <> 'auto') AS manual
                        FROM coding GROUP BY code_id
                        """
                ).reduce(into: [Int64: (Int, Int)]()) { $0[$1["code_id"]] = ($1["auto"], $1["manual"]) }
            let segments =
                try !counts
                ? [:]
                : Row.fetchAll(
                    db,
                    sql: """
                        SELECT cc.ancestor_id AS id, COUNT(DISTINCT k.segment_id) AS n
                        FROM coding k JOIN code_closure cc ON cc.descendant_id = k.code_id
                        GROUP BY cc.ancestor_id
                        """
                ).reduce(into: [Int64: Int]()) { $0[$1["id"]] = $1["n"] }
            return try Row.fetchAll(
                db, sql: "SELECT id, key, label, depth, group_key, role FROM code WHERE active = 1 ORDER BY ordinal"
            ).map { row in
                let id: Int64 = row["id"]
                let key: String = row["key"]
                return CodebookEntry(
                    key: key, label: row["label"], group: row["group_key"], depth: row["depth"], role: row["role"],
                    definition: details[key]?.definition, keywords: details[key]?.keywords ?? 0,
                    autoCodings: used[id]?.0 ?? 0, manualCodings: used[id]?.1 ?? 0, segments: segments[id] ?? 0)
            }
        }
    }
}
