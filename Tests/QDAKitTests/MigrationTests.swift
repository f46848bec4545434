import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// Project files written by every released schema version open, migrate and report the
/// same numbers (Fixtures/projects/README.md).
@Suite struct MigrationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/projects"

    /// The matrix JSON as version 1 wrote it: without the fields later versions added.
    func numbers(_ json: String) throws -> NSDictionary {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        let v1 = Set(["measure", "columns", "rows"])
        var kept = object.filter { v1.contains($0.key) }
        let rowKeys = Set(["region", "documents", "segments", "cells"])
        let cellKeys = Set(["segments", "documents", "share", "valence"])
        kept["rows"] = (kept["rows"] as? [[String: Any]] ?? []).map { row in
            var row = row.filter { rowKeys.contains($0.key) }
            row["cells"] = (row["cells"] as? [String: [String: Any]] ?? [:]).mapValues {
                $0.filter { cellKeys.contains($0.key) }
            }
            return row
        }
        return kept as NSDictionary
    }

    static let versions = [
        "schema-v1", "schema-v2", "schema-v3", "schema-v4", "schema-v5", "schema-v6", "schema-v7", "schema-v8",
    ]

    @Test(arguments: versions)
    func anEarlierProjectMigratesAndReportsTheSameNumbers(version: String) throws {
        let folder = try TemporaryDirectory()
        let copy = folder.url("old.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/\(version).sqlite", toPath: copy)
        let project = try Project.open(at: copy)
        // Migrating to v9 gives back the pages of the segments' dropped text.
        #expect(try project.count("PRAGMA freelist_count") == 0)
        let matrix = try RegionMatrix(project: project, columns: .code)
        let now = try ReportRendering.render(matrix, measure: .segments, format: .json)
        let then = try String(contentsOfFile: Self.fixtures + "/\(version)-matrix.json", encoding: .utf8)
        #expect(try numbers(now) == numbers(then))
        let number = Int(version.dropFirst("schema-v".count)) ?? 0
        if number >= 7 {
            // Written by the same report code: the whole report is the same, every field.
            let parse = { (json: String) in
                try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
            }
            #expect(try parse(now) == parse(then))
        }
        // Migrated documents say how they were read, so an unchanged file is not read again.
        let row = try project.read { db in
            try Row.fetchOne(db, sql: "SELECT source, format, encoding, options FROM document ORDER BY id LIMIT 1")
        }
        #expect(row?["format"] == "text")
        #expect(row?["encoding"] == "UTF-8")
        #expect(row?["options"] == "unit=turn")
        #expect((row?["source"] as String?)?.hasSuffix(".txt") == true)
        #expect(try project.count("SELECT COUNT(*) FROM segment WHERE page IS NOT NULL") == 0)
        // Version 3 counted the words of every stored segment and searches them.
        let sample = try project.read { db in
            try Row.fetchOne(db, sql: "SELECT text, words FROM segment_text WHERE id = 2")
        }
        #expect(FullText.wordCount(sample?["text"] ?? "") == sample?["words"])
        #expect(try project.count("SELECT COUNT(*) FROM segment WHERE words = 0") == 0)
        var filter = SegmentFilter()
        filter.query = "universities OR 高校"
        #expect(try project.findSegments(filter).total > 0)
        // Version 6 tells an unchanged file from the index alone, not from the document's row.
        let plan = try project.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + Project.unchangedDocumentSQL, arguments: ["a", 1, 1.0, "b"]
            )
            .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("COVERING INDEX document_unchanged") }, "\(plan)")
        // Version 7 gives segments a role; the ones read before keep none, and count as they did.
        if number < 7 {
            #expect(
                try project.count("SELECT COUNT(*) FROM segment WHERE role IS NOT NULL OR block IS NOT NULL") == 0)
        }
        try theLeanSchemaKeepsEveryText(project)
    }

    /// Version 9 stores each text once: segments lose their copy (the view `segment_text`
    /// gives it back, equal to what was stored), and auto-codings made since store neither
    /// matched text nor time (`coding_span` fills both in); migrated codings keep theirs.
    func theLeanSchemaKeepsEveryText(_ project: Project) throws {
        let columns = try project.read { db in try db.columns(in: "segment").map(\.name) }
        #expect(!columns.contains("text"))
        #expect(try project.count("SELECT COUNT(*) FROM segment_text") == project.count("SELECT COUNT(*) FROM segment"))
        #expect(
            try project.count("SELECT COUNT(*) FROM segment_text WHERE length(text) <> end_offset - start_offset") == 0)
        // The migrated auto-codings: their stored matched text is their span.
        #expect(try project.count("SELECT COUNT(*) FROM coding WHERE coder = 'auto' AND matched IS NULL") == 0)
        #expect(try project.count("SELECT COUNT(*) FROM coding_span WHERE coder = 'auto' AND matched <> text") == 0)
        let stored = try project.read { db in
            try String.fetchAll(
                db, sql: "SELECT c.id || ' ' || c.matched FROM coding c WHERE coder = 'auto' ORDER BY id")
        }
        // Coding again stores lean rows, and what they matched reads the same.
        let summary = try project.autoCode(all: true)
        #expect(summary.codingsAdded == stored.count)
        #expect(try project.count("SELECT COUNT(*) FROM coding WHERE coder = 'auto' AND matched IS NOT NULL") == 0)
        #expect(try project.count("SELECT COUNT(*) FROM coding WHERE coder = 'auto' AND created_at IS NOT NULL") == 0)
        #expect(try project.count("SELECT COUNT(*) FROM coding_span WHERE coder = 'auto' AND created_at IS NULL") == 0)
        let again = try project.read { db in
            try String.fetchAll(db, sql: "SELECT matched FROM coding_span WHERE coder = 'auto' ORDER BY id")
        }
        #expect(again == stored.map { String($0.drop { $0 != " " }.dropFirst()) })
    }
}

extension MigrationTests {
    /// The word count frozen into migration v3 agrees with today's on every segment of the
    /// demo corpus, on mixed scripts, and on the edge cases of the rule.
    @Test func theFrozenV3WordCountIsTodaysRule() throws {
        let root = Fixtures.repositoryRoot
        let project = try Project.inMemory()
        _ = try project.ingest(paths: [root + "/corpus"])
        var texts = try project.segments().map(\.text)
        texts += ["5G技术 is world-class, 很强。", "café naïve", "ＡＢＣ１２３ full width", "a_b c-d", "👩‍💻 ok", ""]
        #expect(texts.count > 100)
        for text in texts {
            #expect(FrozenMigrationSteps.v3WordCount(text) == FullText.wordCount(text), "\(text)")
        }
    }
}
