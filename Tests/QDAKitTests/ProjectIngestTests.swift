import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

@Suite struct ProjectIngestTests {
    let folder: TemporaryDirectory
    let project: Project

    init() throws {
        folder = try TemporaryDirectory()
        project = try Project.inMemory()
        try folder.write(
            "corpus/bj/one.txt",
            "---\nregion: Beijing\nkind: interview\nrole: official\n---\nQ: Are universities strong?\nA: Yes, very strong.\n"
        )
        try folder.write("corpus/notes.md", "# Note\n\nA paragraph.\n\nAnother one.\n")
        try folder.write("corpus/README.md", "This folder is described here; not data.\n")
        try folder.write("corpus/.hidden.txt", "hidden\n")
        try folder.write("corpus/picture.png", "not text")
    }

    func count(_ sql: String) throws -> Int { try project.count(sql) }

    /// added, skipped, replaced, segments added, segments removed.
    func counts(_ summary: IngestSummary) -> [Int] {
        [summary.added, summary.skipped, summary.replaced, summary.segmentsAdded, summary.segmentsRemoved]
    }

    @Test func ingestsFoldersRecursivelyWithAttributes() throws {
        let summary = try project.ingest(paths: [folder.url("corpus")])
        #expect(counts(summary) == [2, 0, 0, 5, 0])
        #expect(summary.failures.isEmpty)
        let names = try project.read { db in try String.fetchAll(db, sql: "SELECT name FROM document ORDER BY name") }
        #expect(names == ["corpus/bj/one.txt", "corpus/notes.md"])
        let row = try project.read { db in
            try Row.fetchOne(db, sql: "SELECT region, kind, text FROM document WHERE name = 'corpus/bj/one.txt'")
        }
        #expect(row?["region"] == "Beijing")
        #expect(row?["kind"] == "interview")
        #expect(row?["text"] == "Q: Are universities strong?\nA: Yes, very strong.\n")
        #expect(try count("SELECT COUNT(*) FROM document_attribute WHERE key = 'role' AND value = 'official'") == 1)
        // Not counted: the interviewer's question and the note's heading.
        #expect(try count("SELECT COUNT(*) FROM segment WHERE interviewer = 1") == 2)
        #expect(try count("SELECT COUNT(*) FROM segment_text WHERE role = 'heading' AND text = '# Note'") == 1)
        #expect(try count("SELECT COUNT(*) FROM segment WHERE role = 'sentence'") == 2)
    }

    @Test func segmentOffsetsRetrieveTheSegmentTextWithSQLiteSubstr() throws {
        try folder.write("x/zh.txt", "---\nregion: 贵州\n---\n😀 第一段。\n\n第二段 with «Latin».\n")
        _ = try project.ingest(paths: [folder.url("x")])
        // Each text is stored once (schema v9): a segment's text is its span of the document,
        // the same whether SQLite cuts it (the view scripts read) or qda does.
        let expected = ["😀 第一段。", "第二段 with «Latin»."]
        #expect(try project.segments().map(\.text) == expected)
        let viewed = try project.read { db in
            try String.fetchAll(db, sql: "SELECT text FROM segment_text ORDER BY document_id, ordinal")
        }
        #expect(viewed == expected)
        #expect(try count("SELECT COUNT(*) FROM segment") == 2)
    }

    @Test func reIngestingTheSameContentIsANoOp() throws {
        _ = try project.ingest(paths: [folder.url("corpus")])
        let again = try project.ingest(paths: [folder.url("corpus")])
        #expect(counts(again) == [0, 2, 0, 0, 0])
        #expect(try count("SELECT COUNT(*) FROM segment") == 5)
    }

    @Test func aChangedFileReplacesItsOldVersion() throws {
        _ = try project.ingest(paths: [folder.url("corpus")])
        try folder.write("corpus/notes.md", "# Note\n\nOnly one paragraph now.\n")
        let summary = try project.ingest(paths: [folder.url("corpus")])
        #expect(counts(summary) == [0, 1, 1, 2, 3])
        #expect(try count("SELECT COUNT(*) FROM document") == 2)
        #expect(try count("SELECT COUNT(*) FROM segment") == 4)
    }

    @Test func strictModeLeavesTheProjectUnchangedOnOneBadFile() throws {
        _ = try project.ingest(paths: [folder.url("corpus/notes.md")])
        try folder.write("corpus/zz-broken.txt", data: Data("café naïve ".utf8 + [0xC3, 0x28]))
        #expect(
            throws: CorpusError.invalidEncoding(
                path: folder.url("corpus/zz-broken.txt"), byteOffset: 13,
                detail: "byte 0xC3 is not UTF-8, in a file that is UTF-8 elsewhere")
        ) {
            try project.ingest(paths: [folder.url("corpus")], options: IngestOptions(strict: true))
        }
        #expect(try count("SELECT COUNT(*) FROM document") == 1)
        #expect(try count("SELECT COUNT(*) FROM segment") == 3)
    }

    @Test func aBadFileIsReportedAndTheOthersAreStored() throws {
        try folder.write("corpus/zz-broken.txt", data: Data("café naïve ".utf8 + [0xC3, 0x28]))
        try folder.write("corpus/empty.docx", "not a zip")
        let summary = try project.ingest(paths: [folder.url("corpus")])
        #expect(counts(summary) == [2, 0, 0, 5, 0])
        #expect(summary.failures.map(\.path) == [folder.url("corpus/empty.docx"), folder.url("corpus/zz-broken.txt")])
        #expect(summary.failures[0].reason.contains("not a readable Word (.docx) file (not a zip archive)"))
        #expect(try count("SELECT COUNT(*) FROM document") == 2)
    }

    @Test func missingPathsAndUnsupportedFilesAreNamed() {
        #expect(throws: CorpusError.unreadable(path: folder.url("nope"), reason: "no such file or folder")) {
            try project.ingest(paths: [folder.url("nope")])
        }
        #expect(throws: CorpusError.unsupportedFileType(path: folder.url("corpus/picture.png"))) {
            try project.ingest(paths: [folder.url("corpus/picture.png")])
        }
    }

    @Test func replacingADocumentWithHumanCodingsIsRefused() throws {
        let codebook = try folder.write(
            "cb.yaml",
            "codebook: T\ngroups:\n  - key: g\n    label: G\n    codes:\n      - {key: a, label: A, keywords: [paragraph]}\n"
        )
        _ = try project.ingest(paths: [folder.url("corpus/notes.md")])
        _ = try project.loadCodebook(path: codebook)
        _ = try project.autoCode()
        try project.write { db in
            try db.execute(sql: "UPDATE coding SET coder = 'maria' WHERE id = (SELECT MIN(id) FROM coding)")
        }
        try folder.write("corpus/notes.md", "# Changed\n")
        #expect(throws: QDAError.wouldDropHumanCodings(document: folder.url("corpus/notes.md"), count: 1)) {
            try project.ingest(paths: [folder.url("corpus/notes.md")], options: IngestOptions(strict: true))
        }
        let summary = try project.ingest(paths: [folder.url("corpus/notes.md")])
        #expect(
            summary.failures.map(\.reason) == [
                QDAError.wouldDropHumanCodings(document: folder.url("corpus/notes.md"), count: 1).description
            ])
        #expect(try count("SELECT COUNT(*) FROM coding WHERE coder = 'maria'") == 1)
    }
}

@Suite struct ProjectFileTests {
    @Test func anotherProgramsDatabaseIsLeftAlone() throws {
        let folder = try TemporaryDirectory()
        let path = folder.url("other.sqlite")
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
        #expect(throws: QDAError.notAProject(path: path, reason: "it is an SQLite database of another program")) {
            try Project.open(at: path)
        }
        let tables = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["notes"])
    }

    @Test func aTextFileIsNotAProject() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("notes.sqlite", String(repeating: "not a database\n", count: 100))
        #expect(throws: QDAError.self) { try Project.open(at: path) }
    }

    @Test func aMissingFolderIsNamed() throws {
        #expect(
            throws: QDAError.unreadable(
                path: "/nonexistent-qda/p.sqlite", reason: "the folder /nonexistent-qda does not exist")
        ) { try Project.openOrCreate(at: "/nonexistent-qda/p.sqlite") }
    }

    @Test func aProjectOpensAgainWithItsContent() throws {
        let folder = try TemporaryDirectory()
        let path = folder.url("p.sqlite")
        let document = try folder.write("a.txt", "Hello.\n")
        _ = try Project.create(at: path).ingest(paths: [document])
        #expect(try Project.open(at: path).segments().map(\.text) == ["Hello."])
    }
}

/// The first fill of a project file goes through a rollback journal, not the write-ahead
/// log (`Project.writeFirstFill`), and leaves the file in WAL mode as every command expects.
@Suite struct FirstFillTests {
    let folder: TemporaryDirectory
    let path: String

    init() throws {
        folder = try TemporaryDirectory()
        path = folder.url("p.sqlite")
        try folder.write("corpus/one.txt", "---\nregion: Beijing\n---\nFirst paragraph.\n\nSecond paragraph.\n")
        try folder.write("corpus/two.txt", "Another document.\n")
    }

    func journalMode(_ db: Database) throws -> String? { try String.fetchOne(db, sql: "PRAGMA journal_mode") }

    func journalMode(of project: Project) throws -> String? { try project.read(journalMode) }

    @Test func aFirstFillWritesThroughARollbackJournalAndEndsInWALMode() throws {
        let project = try Project.create(at: path)
        #expect(try journalMode(of: project) == "wal")
        let inside = try project.writeFirstFill { db in
            try db.execute(sql: "INSERT INTO project_info (key, value) VALUES ('probe', 'stored')")
            return try journalMode(db)
        }
        #expect(inside == "delete")
        #expect(try journalMode(of: project) == "wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        let summary = try project.ingest(paths: [folder.url("corpus")])
        #expect(summary.added == 2)
        #expect(summary.segmentsAdded == 3)
        let reopened = try Project.open(at: path)
        #expect(try journalMode(of: reopened) == "wal")
        #expect(try reopened.segments().map(\.text) == ["First paragraph.", "Second paragraph.", "Another document."])
        #expect(try reopened.count("SELECT COUNT(*) FROM project_info WHERE key = 'probe'") == 1)
    }

    @Test func aProjectWithSegmentsKeepsTheLog() throws {
        let project = try Project.create(at: path)
        _ = try project.ingest(paths: [folder.url("corpus/two.txt")])
        #expect(try project.writeFirstFill(journalMode) == "wal")
        #expect(try project.ingest(paths: [folder.url("corpus")]).added == 1)
        #expect(try project.count("SELECT COUNT(*) FROM segment") == 3)
    }

    @Test func anotherConnectionToTheFileKeepsTheLog() throws {
        let project = try Project.create(at: path)
        // Another program reading the file holds the log open: the journal mode cannot
        // change under it, and the fill goes through the log as before.
        let other = try DatabaseQueue(path: path)
        #expect(try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM segment") } == 0)
        #expect(try project.writeFirstFill(journalMode) == "wal")
        #expect(try project.ingest(paths: [folder.url("corpus")]).added == 2)
        #expect(try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM segment") } == 3)
    }

    @Test func aFailedFirstFillLeavesNothingAndTheLogBack() throws {
        try folder.write("corpus/zz-broken.txt", data: Data("café naïve ".utf8 + [0xC3, 0x28]))
        let project = try Project.create(at: path)
        #expect(throws: CorpusError.self) {
            try project.ingest(paths: [folder.url("corpus")], options: IngestOptions(strict: true))
        }
        #expect(try journalMode(of: project) == "wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        let reopened = try Project.open(at: path)
        #expect(try reopened.count("SELECT COUNT(*) FROM document") == 0)
        #expect(try reopened.count("SELECT COUNT(*) FROM segment") == 0)
        // The indexes dropped for the fill are back.
        #expect(
            try reopened.count(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                    + "('coding_segment', 'coding_code', 'coding_document')")
                == 3)
        #expect(try reopened.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }
}
