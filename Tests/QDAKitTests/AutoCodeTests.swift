import Foundation
import GRDB
import QDAKitTestSupport
import QDAMatching
import Testing

@testable import QDAKit
@testable import QDAStore

@Suite struct AutoCodeTests {
    let folder: TemporaryDirectory
    let project: Project
    let codebookPath: String

    static let codebook = Fixtures.tinyCodebook

    init() throws {
        folder = try TemporaryDirectory()
        project = try Project.inMemory()
        codebookPath = try folder.write("cb.yaml", Self.codebook)
        try folder.write(
            "c/a.txt",
            "---\nregion: North\nkind: interview\n---\nQ: Is the university strong?\nR1: The university is strong.\nR1: Demand is weak.\n"
        )
        try folder.write("c/b.txt", "---\nregion: South\n---\n研发很强。\n\nNothing to code here.\n")
    }

    func count(_ sql: String) throws -> Int { try project.count(sql) }

    @Test func codingWithoutACodebookIsAnError() throws {
        #expect(throws: QDAError.noCodebook) { try project.autoCode() }
    }

    @Test func codesRespondentTurnsWithSpansAndValence() throws {
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: codebookPath)
        let summary = try project.autoCode()
        #expect(
            summary == AutoCodeSummary(segmentsCoded: 4, segmentsWithCodings: 3, codingsAdded: 3, codingsRemoved: 0))
        let rows = try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT code.key, coding.valence, segment_region.region, coding.matched,
                           substr(document.text, coding.start_offset + 1, coding.end_offset - coding.start_offset) AS span
                    FROM coding_span AS coding JOIN code ON code.id = coding.code_id
                    JOIN document ON document.id = coding.document_id
                    JOIN segment_region ON segment_region.segment_id = coding.segment_id
                    ORDER BY coding.id
                    """)
        }
        #expect(rows.map { $0["key"] as String } == ["technology.base", "market.demand", "technology.base"])
        #expect(rows.map { $0["valence"] as Int } == [1, -1, 1])
        #expect(rows.map { $0["region"] as String } == ["North", "North", "South"])
        #expect(rows.map { $0["span"] as String } == ["university", "Demand", "研发"])
        #expect(rows.map { $0["matched"] as String } == rows.map { $0["span"] as String })
    }

    /// The demo corpus coded in batches of three documents (each batch read and matched on
    /// a reader connection while the one before is stored) and in one batch: the same rows.
    @Test func batchesOfAnySizeStoreTheSameCodings() throws {
        let root = Fixtures.repositoryRoot
        func coded(batchSize: Int) throws -> (AutoCodeSummary, [String]) {
            let project = try Project.create(at: folder.url("batch-\(batchSize).sqlite"))
            _ = try project.ingest(paths: [root + "/corpus"])
            _ = try project.loadCodebook(path: root + "/codebooks/china-regional-innovation.yaml")
            let summary = try project.autoCode(all: false, progress: nil, batchSize: batchSize)
            let rows = try project.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT d.name || ' ' || c.start_offset || '-' || c.end_offset || ' ' || k.key || ' '
                               || c.valence || ' ' || c.matched
                        FROM coding_span c JOIN document d ON d.id = c.document_id JOIN code k ON k.id = c.code_id
                        ORDER BY c.id
                        """)
                    + String.fetchAll(
                        db, sql: "SELECT document_id || ' ' || codebook_sha256 FROM coding_state ORDER BY 1")
            }
            return (summary, rows)
        }
        let (small, smallRows) = try coded(batchSize: 3)
        let (whole, wholeRows) = try coded(batchSize: 1000)
        #expect(small.codingsAdded > 100)
        #expect(small == whole)
        #expect(smallRows == wholeRows)
    }

    @Test func aBatchWhoseDocumentsChangedIsRecognised() throws {
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: codebookPath)
        let coder = AutoCoder(matcher: Matcher(codebook: try #require(try project.currentCodebook())))
        let documents = try project.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM document ORDER BY id") }
        let batch = try project.read { db in try CodingBatch(documents: documents, coder: coder, db, progress: nil) }
        #expect(batch.segments.count == 4)
        #expect(batch.codings.map(\.count) == [1, 1, 1, 0])
        #expect(try project.read { db in try CodingBatch.fingerprint(of: documents, db) } == batch.fingerprint)
        // Another command replaces a document of the batch; its new rows take the ids of
        // the old ones, which were the last, so ids alone would not tell.
        let ids = "SELECT group_concat(id) FROM (SELECT id FROM segment ORDER BY id)"
        let before = try project.read { db in try String.fetchOne(db, sql: ids) }
        try folder.write("c/b.txt", "---\nregion: South\n---\nNothing here now.\n\n研发很强。\n")
        #expect(try project.ingest(paths: [folder.url("c")]).replaced == 1)
        #expect(try project.read { db in try String.fetchOne(db, sql: ids) } == before)
        #expect(try project.read { db in try CodingBatch.fingerprint(of: documents, db) } != batch.fingerprint)
        // Storing the batch read before reads and matches the changed documents again: every
        // coding is the text at its offsets now.
        var summary = AutoCodeSummary()
        let codeIDs = try project.read { db in try project.codeIDs(of: coder.matcher, db) }
        try project.write { db in
            try Project.storeCodings(
                batch, reread: { try CodingBatch(documents: documents, coder: coder, $0, progress: nil) },
                codeIDs: codeIDs, codebookSHA256: "test", run: try Project.startCodingRun(codebookSHA256: "test", db),
                summary: &summary, db)
        }
        #expect(summary.codingsAdded == 3)
        // What each coding matched is its span of the document as it is now.
        let matched = try project.read { db in
            try String.fetchAll(db, sql: "SELECT matched FROM coding_span ORDER BY document_id, start_offset")
        }
        #expect(matched == ["university", "Demand", "研发"])
    }

    @Test func aSecondRunCodesNothingNewAndAChangedCodebookRecodesAll() throws {
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: codebookPath)
        _ = try project.autoCode()
        #expect(try project.autoCode() == AutoCodeSummary())
        try folder.write("cb.yaml", Self.codebook.replacingOccurrences(of: "[demand]", with: "[demand, nothing]"))
        #expect(try project.loadCodebook(path: codebookPath).changed)
        let again = try project.autoCode()
        #expect(again.segmentsCoded == 4)
        #expect(again.codingsRemoved == 3)
        #expect(again.codingsAdded == 4)
    }

    @Test func reRunsReplaceOnlyTheAutoCodersCodings() throws {
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: codebookPath)
        _ = try project.autoCode()
        try project.write { db in
            try db.execute(
                sql: """
                    INSERT INTO coding (segment_id, document_id, code_id, coder, start_offset, end_offset, valence, created_at)
                    SELECT segment_id, document_id, code_id, 'maria', start_offset, end_offset, 0, 'now'
                    FROM coding WHERE id = 1
                    """)
        }
        _ = try project.autoCode(all: true)
        #expect(try count("SELECT COUNT(*) FROM coding WHERE coder = 'maria'") == 1)
        #expect(try count("SELECT COUNT(*) FROM coding WHERE coder = 'auto'") == 3)
    }

    @Test func aRemovedCodeLosesItsAutoCodings() throws {
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: codebookPath)
        _ = try project.autoCode()
        let without = Self.codebook.components(separatedBy: "  - key: market")[0]
        try folder.write("cb.yaml", without)
        _ = try project.loadCodebook(path: codebookPath)
        #expect(try count("SELECT COUNT(*) FROM code WHERE key LIKE 'market%'") == 0)
        #expect(try count("SELECT COUNT(*) FROM coding") == 2)
    }

    @Test func anInvalidCodebookLeavesTheProjectsCodebookInPlace() throws {
        _ = try project.loadCodebook(path: codebookPath)
        let bad = try folder.write("bad.yaml", "codebook: Bad\ngroups: 3\n")
        #expect(throws: CodebookError.self) { try project.loadCodebook(path: bad) }
        #expect(try project.currentCodebook()?.name == "Tiny")
    }
}
