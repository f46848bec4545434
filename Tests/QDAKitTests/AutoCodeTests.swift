import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit

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
                    FROM coding JOIN code ON code.id = coding.code_id JOIN document ON document.id = coding.document_id
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
        #expect(throws: QDAError.self) { try project.loadCodebook(path: bad) }
        #expect(try project.currentCodebook()?.name == "Tiny")
    }
}
