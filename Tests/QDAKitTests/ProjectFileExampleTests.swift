import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// What scripts read keeps working: every statement in docs/project-file.md runs on a
/// project and returns rows, and the views that give back what schema v9 no longer stores
/// twice (`segment_text`, `coding_span`) hold what qda itself reads.
@Suite struct ProjectFileExampleTests {
    static let root = Fixtures.repositoryRoot

    /// The demo corpus, coded, with a person's coding and a recoded auto-coding.
    func demoProject() throws -> Project {
        let project = try Project.inMemory()
        _ = try project.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        _ = try project.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        _ = try project.ingest(paths: [Self.root + "/corpus"], autoCode: true)
        try project.addCoding(.segment(42), code: "market.income", coder: "ann", valence: 1)
        let auto = try project.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM coding WHERE coder = 'auto' ORDER BY id LIMIT 2")
        }
        try project.review([auto[0]], decision: .recode("market.orientation"), reviewer: "ann")
        try project.review([auto[1]], decision: .accept, reviewer: "bo")
        return project
    }

    /// The SQL statements quoted in the page's code blocks.
    static func documentedStatements() throws -> [String] {
        let page = try String(contentsOfFile: root + "/docs/project-file.md", encoding: .utf8)
        var statements: [String] = []
        for (index, block) in page.components(separatedBy: "```").enumerated() where index % 2 == 1 {
            var rest = Substring(block)
            while let open = rest.range(of: "\"SELECT") {
                let from = rest.index(after: open.lowerBound)
                guard let close = rest[from...].firstIndex(of: "\"") else { break }
                statements.append(String(rest[from..<close]))
                rest = rest[rest.index(after: close)...]
            }
        }
        return statements
    }

    @Test func everyDocumentedStatementRunsAndReturnsRows() throws {
        let statements = try Self.documentedStatements()
        #expect(statements.count >= 3, "\(statements)")
        let project = try demoProject()
        for sql in statements {
            let rows = try project.read { db in try Row.fetchAll(db, sql: sql) }
            #expect(!rows.isEmpty, "\(sql)")
        }
    }

    @Test func theViewsHoldWhatQdaReads() throws {
        let project = try demoProject()
        // segment_text: every segment with the text qda cuts from its document.
        let viewed = try project.read { db in
            try Row.fetchAll(db, sql: "SELECT id, text FROM segment_text ORDER BY id").map {
                "\($0["id"] as Int64) \($0["text"] as String)"
            }
        }
        let listed = try project.segments().sorted { $0.id < $1.id }.map { "\($0.id) \($0.text)" }
        #expect(viewed.count > 200)
        #expect(viewed == listed)
        // coding_span: an auto-coding's matched text is its span, its time its run's; a
        // person's coding has its own time and no matched text; a recoded one keeps its time.
        let spans = try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.coder, c.matched, c.text, c.created_at, c.run_id, r.started_at, k.key
                    FROM coding_span c JOIN code k ON k.id = c.code_id
                    LEFT JOIN coding_run r ON r.id = c.run_id ORDER BY c.id
                    """)
        }
        let auto = spans.filter { ($0["coder"] as String) == "auto" }
        #expect(auto.count > 300)
        #expect(auto.allSatisfy { ($0["matched"] as String?) == ($0["text"] as String?) })
        #expect(auto.allSatisfy { ($0["created_at"] as String?) == ($0["started_at"] as String?) })
        #expect(auto.allSatisfy { !(($0["text"] as String?) ?? "").isEmpty })
        let ann = spans.filter { ($0["coder"] as String) == "ann" }
        #expect(ann.count == 2)
        #expect(ann.allSatisfy { ($0["created_at"] as String?) != nil && ($0["run_id"] as Int64?) == nil })
        #expect(ann.allSatisfy { ($0["matched"] as String?) == nil })
        // Accepted, a coding stays the run's: what it matched still reads.
        let accepted = try #require(spans.first { ($0["coder"] as String) == "bo" })
        #expect((accepted["matched"] as String?) == (accepted["text"] as String?))
        #expect(try project.count("SELECT COUNT(*) FROM coding_run") == 1)
        // Nothing of the lean rows is stored twice.
        #expect(try project.count("SELECT COUNT(*) FROM coding WHERE run_id IS NOT NULL AND matched IS NOT NULL") == 0)
    }
}
