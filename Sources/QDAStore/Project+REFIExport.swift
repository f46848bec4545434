package import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
public import QDAText

/// What `qda export qdpx` wrote.
public struct REFIExportSummary: Sendable, Equatable, Encodable {
    /// How positions were counted.
    public var offsets: REFIOffsetUnit
    /// Sources written.
    public var documents: Int
    /// Codes written.
    public var codes: Int
    /// Plain-text selections written.
    public var selections: Int
    /// Codings written.
    public var codings: Int
    /// Notes written.
    public var notes: Int
    /// Users written.
    public var users: Int
}

extension Project {
    /// Writes the project as a REFI-QDA project (`.qdpx`) that NVivo, ATLAS.ti, MAXQDA
    /// and QualCoder import (the bytes of the archive): documents as UTF-8 plain-text sources, the codebook as the
    /// code tree, every coding (the auto-coder's as the user "qda auto-coder" unless
    /// `includeAuto` is false), regions and attributes as cases and variables, memos as
    /// notes, sets, and the codebook version as the project's description. Positions
    /// count `offsets` (UTF-16 code units by default, as NVivo reads them; the same as
    /// code points for text without characters beyond U+FFFF).
    public func exportQDPX(origin: String, offsets: REFIOffsetUnit = .utf16, includeAuto: Bool = true) throws
        -> (archive: Data, summary: REFIExportSummary)
    {
        let unit: REFIOffsetUnit = offsets == .utf16 ? .utf16 : .codepoints
        let snapshot = try refiSnapshot(includeAuto: includeAuto)
        let output = REFIProjectExport.render(
            snapshot, origin: unit == .utf16 ? origin : "\(origin); positions in code points", offsets: unit)
        let data = try REFIProjectExport.archive(output)
        let counts = output.counts
        return (
            data,
            REFIExportSummary(
                offsets: unit, documents: counts.documents, codes: counts.codes, selections: counts.selections,
                codings: counts.codings, notes: counts.notes, users: counts.users)
        )
    }

    /// The project as a REFI-QDA export sees it.
    func refiSnapshot(includeAuto: Bool) throws -> REFISnapshot {
        let codebook = try currentCodebook()
        let stored = try latestStoredYAML(in: "codebook")
        return try read { db in
            let name =
                try String.fetchOne(db, sql: "SELECT value FROM project_info WHERE key = 'name'")
                ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let (documents, users) = try Self.snapshotDocuments(db)
            return REFISnapshot(
                name: name, description: snapshotDescription(codebook, sha256: stored?.sha256), codebook: codebook,
                retiredCodes: try Self.snapshotRetiredCodes(includeAuto: includeAuto, db), documents: documents,
                codings: try Self.snapshotCodings(includeAuto: includeAuto, db), memos: try Self.snapshotMemos(db),
                sets: try Self.snapshotSets(db), users: users)
        }
    }

    /// "Exported by qda from FILE; codebook NAME version V (SHA-256 …)."
    private func snapshotDescription(_ codebook: Codebook?, sha256: String?) -> String {
        var description = "Exported by qda from \(URL(fileURLWithPath: path).lastPathComponent)"
        if let codebook {
            description += "; codebook \(codebook.name)"
            if let version = codebook.version { description += " version \(version)" }
            description += " (SHA-256 \(sha256 ?? codebook.sha256))"
        }
        description += "."
        return description
    }

    /// The documents with their variables and GUIDs (kept from an import, else made from
    /// the name), and the users' GUIDs kept from an import.
    private static func snapshotDocuments(_ db: Database) throws -> ([REFISnapshot.Document], [String: String]) {
        let guids = try Row.fetchAll(db, sql: "SELECT kind, key, guid FROM exchange_guid")
        var documentGUIDs: [String: String] = [:]
        var users: [String: String] = [:]
        for row in guids {
            if (row["kind"] as String) == "document" { documentGUIDs[row["key"]] = row["guid"] }
            if (row["kind"] as String) == "user" { users[row["key"]] = row["guid"] }
        }
        var attributes: [Int64: [(name: String, value: String)]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT document_id, key, value FROM document_attribute ORDER BY document_id, key")
        {
            attributes[row["document_id"], default: []].append((row["key"], row["value"]))
        }
        let documents = try Row.fetchAll(
            db,
            sql: "SELECT id, name, text, kind, region, title, date, language FROM document ORDER BY name"
        ).map { row -> REFISnapshot.Document in
            let name: String = row["name"]
            var variables = attributes[row["id"]] ?? []
            for column in ["region", "kind", "title", "date", "language"] {
                if let value: String = row[column], !value.isEmpty, column != "kind" || value != "other" {
                    variables.append((column, value))
                }
            }
            return REFISnapshot.Document(
                name: name, guid: documentGUIDs[name] ?? REFICodebook.guid("document", name), text: row["text"],
                kind: row["kind"], variables: variables, region: row["region"])
        }
        return (documents, users)
    }

    /// Every coding (the auto-coder's too with `includeAuto`), one per selection, code and
    /// coder: the parts of a selection cut at segment bounds are one coding again.
    private static func snapshotCodings(includeAuto: Bool, _ db: Database) throws -> [REFISnapshot.Coding] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT d.name, COALESCE(c.selection_start, c.start_offset) AS s,
                       COALESCE(c.selection_end, c.end_offset) AS e, k.key, c.coder,
                       MIN(COALESCE(c.created_at, r.started_at)) AS created
                FROM coding c JOIN document d ON d.id = c.document_id JOIN code k ON k.id = c.code_id
                LEFT JOIN coding_run r ON r.id = c.run_id
                WHERE ? OR c.coder <> 'auto'
                GROUP BY d.name, s, e, k.key, c.coder
                """, arguments: [includeAuto]
        ).map {
            REFISnapshot.Coding(
                document: $0["name"], start: $0["s"], end: $0["e"], code: $0["key"], coder: $0["coder"],
                created: $0["created"])
        }
    }

    /// Codes no longer in the codebook that codings still use.
    private static func snapshotRetiredCodes(includeAuto: Bool, _ db: Database) throws -> [(key: String, label: String)]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT key, label FROM code WHERE active = 0
                AND id IN (SELECT code_id FROM coding WHERE ? OR coder <> 'auto') ORDER BY key
                """, arguments: [includeAuto]
        ).map { (key: $0["key"] as String, label: $0["label"] as String) }
    }

    /// The memos, oldest first, with the span of a segment's memo.
    private static func snapshotMemos(_ db: Database) throws -> [REFISnapshot.Memo] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT m.target, d.name, s.start_offset, s.end_offset, m.code, m.region, m.author, m.text,
                       m.created_at
                FROM memo m LEFT JOIN document d ON d.id = m.document_id LEFT JOIN segment s ON s.id = m.segment_id
                ORDER BY m.created_at, m.id
                """
        ).map {
            REFISnapshot.Memo(
                target: $0["target"], document: $0["name"], segmentStart: $0["start_offset"],
                segmentEnd: $0["end_offset"], code: $0["code"], region: $0["region"], author: $0["author"],
                text: $0["text"], created: $0["created_at"])
        }
    }

    /// The sets with their documents and codes.
    private static func snapshotSets(_ db: Database) throws -> [REFISnapshot.Set] {
        try Row.fetchAll(db, sql: "SELECT id, name, description, guid FROM item_set ORDER BY name")
            .map { row in
                REFISnapshot.Set(
                    name: row["name"], guid: row["guid"], description: row["description"],
                    documents: try String.fetchAll(
                        db,
                        sql: """
                            SELECT d.name FROM item_set_member m JOIN document d ON d.id = m.document_id
                            WHERE m.set_id = ? ORDER BY d.name
                            """, arguments: [row["id"]]),
                    codes: try String.fetchAll(
                        db,
                        sql: """
                            SELECT k.key FROM item_set_member m JOIN code k ON k.id = m.code_id
                            WHERE m.set_id = ? ORDER BY k.ordinal
                            """, arguments: [row["id"]]))
            }
    }

}
