import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// One invariant `qda check` verified, and what broke it.
public struct CheckResult: Sendable, Equatable, Encodable {
    /// The invariant checked.
    public var name: String
    /// Rows that break it.
    public var problems: Int
    /// A few of the offending rows, described.
    public var examples: [String]
    /// True when nothing breaks it.
    public var ok: Bool { problems == 0 }

    enum CodingKeys: String, CodingKey {
        case name, problems, examples, ok
    }

    /// Encodes the fields as the JSON output contract has them (docs/formats.md).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(problems, forKey: .problems)
        try container.encode(examples, forKey: .examples)
        try container.encode(ok, forKey: .ok)
    }
}

/// What `qda backup` wrote.
public struct BackupSummary: Sendable, Equatable, Encodable {
    /// The backup file.
    public var path: String
    /// Its size.
    public var bytes: Int64
    /// Documents in it.
    public var documents: Int
    /// Codings in it.
    public var codings: Int
}

extension Project {
    /// Copies the project to `destination` with SQLite's online backup, a consistent
    /// snapshot even while other commands write: the copy is made in a temporary file
    /// beside the destination, checked (`PRAGMA integrity_check`), and renamed into place.
    /// An existing file is not overwritten.
    public func backup(to destination: String) throws -> BackupSummary {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw QDAError.fileExists(path: destination)
        }
        let target = URL(fileURLWithPath: destination)
        let folder = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw QDAError.unreadable(path: destination, reason: "the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp").path
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: temporary + suffix)
            }
        }
        do {
            let copy = try DatabaseQueue(path: temporary)
            try database.backup(to: copy)
            let integrity = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            guard integrity == ["ok"] else {
                throw QDAError.copyFailed(
                    path: destination,
                    reason: "it failed its integrity check (\(integrity.prefix(3).joined(separator: "; ")))")
            }
            let counts = try copy.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM coding") ?? 0
                )
            }
            try copy.close()
            guard rename(temporary, destination) == 0 else {
                throw QDAError.copyFailed(
                    path: destination, reason: "cannot be written (\(String(cString: strerror(errno))))")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int64) ?? 0
            return BackupSummary(path: destination, bytes: size, documents: counts.0, codings: counts.1)
        } catch let error as DatabaseError {
            throw translate(error)
        }
    }

    /// Checks the file and the invariants the rest of qda relies on: SQLite's integrity
    /// and foreign keys; every segment a span of its document's text; every coding inside
    /// its segment and its document; every auto-coded document marked with a codebook
    /// the project holds; the current codebook's hash recorded.
    public func check(progress: ProgressHandler? = nil) throws -> [CheckResult] {
        try read { db in
            var results: [CheckResult] = []
            let total = 8
            func rows(_ name: String, _ sql: String, _ describe: (Row) -> String) throws {
                progress?(WorkProgress(stage: "check", done: results.count, total: total))
                let found = try Row.fetchAll(db, sql: sql)
                let count = found.count
                results.append(CheckResult(name: name, problems: count, examples: found.prefix(5).map(describe)))
            }
            progress?(WorkProgress(stage: "check", done: 0, total: total))
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            results.append(
                CheckResult(
                    name: "SQLite integrity", problems: integrity == ["ok"] ? 0 : integrity.count,
                    examples: integrity == ["ok"] ? [] : Array(integrity.prefix(5))))
            try rows("foreign keys", "PRAGMA foreign_key_check") {
                "\($0[0] as String? ?? "?") row \($0[1] as Int64? ?? 0) points at a missing \($0[2] as String? ?? "?")"
            }
            try rows(
                "segments lie in their document's text",
                """
                SELECT s.id, d.name, s.start_offset, s.end_offset, d.length FROM segment s
                JOIN document d ON d.id = s.document_id
                WHERE s.start_offset < 0 OR s.end_offset <= s.start_offset OR s.end_offset > d.length
                """
            ) {
                "segment #\($0["id"] as Int64) of \($0["name"] as String): \($0["start_offset"] as Int)–"
                    + "\($0["end_offset"] as Int) (document length \($0["length"] as Int))"
            }
            try rows(
                "codings lie inside their segment and document",
                """
                SELECT c.id, d.name, c.start_offset, c.end_offset, s.start_offset AS s0, s.end_offset AS s1
                FROM coding c JOIN segment s ON s.id = c.segment_id JOIN document d ON d.id = c.document_id
                WHERE s.document_id <> c.document_id OR c.start_offset < s.start_offset
                   OR c.end_offset > s.end_offset OR c.end_offset <= c.start_offset
                """
            ) {
                "coding #\($0["id"] as Int64) in \($0["name"] as String): \($0["start_offset"] as Int)–"
                    + "\($0["end_offset"] as Int), its segment \($0["s0"] as Int)–\($0["s1"] as Int)"
            }
            try rows(
                "codings point at codes that exist",
                "SELECT c.id, c.code_id FROM coding c LEFT JOIN code k ON k.id = c.code_id WHERE k.id IS NULL"
            ) { "coding #\($0["id"] as Int64): no code #\($0["code_id"] as Int64)" }
            try rows(
                "coded documents name a codebook the project holds",
                """
                SELECT d.name, s.codebook_sha256 FROM coding_state s JOIN document d ON d.id = s.document_id
                WHERE s.codebook_sha256 NOT IN (SELECT sha256 FROM codebook)
                """
            ) { "\($0["name"] as String): codebook \(String(($0["codebook_sha256"] as String).prefix(12)))…" }
            try rows(
                "the current codebook's hash is recorded",
                """
                SELECT (SELECT sha256 FROM codebook ORDER BY id DESC LIMIT 1) AS latest,
                       (SELECT value FROM project_info WHERE key = 'codebook_sha256') AS recorded
                WHERE latest IS NOT recorded
                """
            ) {
                "latest codebook \($0["latest"] as String? ?? "none"), recorded \($0["recorded"] as String? ?? "none")"
            }
            // A stale cache is rebuilt by the next report: only a fresh one is compared (a
            // pass over every coding).
            let cacheCheck = "the report cache holds every coding"
            guard try Self.segmentCodesAreFresh(db) else {
                results.append(CheckResult(name: cacheCheck, problems: 0, examples: []))
                progress?(WorkProgress(stage: "check", done: total, total: total))
                return results
            }
            try rows(
                cacheCheck,
                """
                WITH expected (code_id, region, segment_id, document_id, valence, codings) AS (
                    \(Self.segmentCodeSelect(where: "1"))
                ),
                stored AS (SELECT code_id, region, segment_id, document_id, valence, codings FROM segment_code),
                differing AS (
                    SELECT 'missing' AS kind, * FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored)
                    UNION ALL
                    SELECT 'stale' AS kind, * FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected)
                )
                SELECT differing.kind, differing.segment_id, k.key, differing.region FROM differing
                LEFT JOIN code k ON k.id = differing.code_id
                """
            ) {
                "segment #\($0["segment_id"] as Int64), \($0["key"] as String? ?? "a removed code")"
                    + " in \($0["region"] as String? ?? "?"): row \($0["kind"] as String) (qda check --repair rebuilds it)"
            }
            progress?(WorkProgress(stage: "check", done: total, total: total))
            return results
        }
    }

    /// Rebuilds the caches reports read (`segment_code` and every cached report number)
    /// from the codings, documents and regions: the repair after the project file was
    /// edited by hand. Returns the rows the report cache holds.
    @discardableResult
    public func repairCaches() throws -> Int {
        giveBackMemory()
        defer { giveBackMemory() }
        return try writeSortingOnDisk { db in
            try SegmentCodeBuilder.rebuild(db)
            try db.execute(sql: "UPDATE project_info SET value = '1' WHERE key = 'segment_code_fresh'")
            try Self.startNewGenerations(db)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment_code") ?? 0
        }
    }
}
