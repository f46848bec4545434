import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// Report numbers are cached per generation: a change of codings updates `segment_code`
/// in place for its documents (the same rows a rebuild gives) and keeps the region totals
/// cached; a change of documents renews everything.
@Suite struct ReportCacheTests {
    static let root = Fixtures.repositoryRoot

    @Test func aCodingUpdatesTheCacheInPlaceAndKeepsRegionTotals() throws {
        let folder = try TemporaryDirectory()
        let project = try Project.create(at: folder.url("p.sqlite"))
        _ = try project.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        _ = try project.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        _ = try project.ingest(paths: [Self.root + "/corpus"])
        _ = try project.autoCode()
        let totals = try project.regionTotals()
        let before = try project.codeAggregates()
        #expect(try project.count("SELECT COUNT(*) FROM report_cache WHERE key LIKE 'region:%'") == 1)

        // A person codes a segment the auto-coder left without mindset.agency.
        let target = try #require(
            try project.read { db in
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT s.id FROM segment s JOIN segment_region r ON r.segment_id = s.id
                        WHERE s.interviewer = 0 AND s.id NOT IN (
                            SELECT segment_id FROM coding WHERE code_id = (SELECT id FROM code WHERE key = 'mindset.agency'))
                        ORDER BY s.id LIMIT 1
                        """)
            })
        let region = try #require(
            try project.read { db in
                try String.fetchOne(
                    db, sql: "SELECT region FROM segment_region WHERE segment_id = ?", arguments: [target])
            })
        try project.addCoding(.segment(target), code: "mindset.agency", coder: "ann")
        #expect(try project.count("SELECT value FROM project_info WHERE key = 'segment_code_fresh'") == 1)
        #expect(try project.count("SELECT COUNT(*) FROM report_cache WHERE key LIKE 'region:%'") == 1)
        #expect(try project.count("SELECT COUNT(*) FROM report_cache WHERE key NOT LIKE 'region:%'") == 0)
        let inPlace = try project.segmentCodeRows()
        try project.write { db in
            try db.execute(sql: "UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'")
        }
        try project.refreshSegmentCodes()
        #expect(try project.segmentCodeRows() == inPlace)

        func segments(_ aggregates: [CodeAggregate]) -> Int {
            aggregates.first { $0.code == "mindset.agency" && $0.region == region }?.segments ?? 0
        }
        #expect(try segments(project.codeAggregates()) == segments(before) + 1)
        #expect(try project.regionTotals() == totals)
        try project.removeCodings(.segment(target), code: "mindset.agency", coder: "ann")
        #expect(try segments(project.codeAggregates()) == segments(before))

        // A new document renews the region totals too.
        try folder.write("more/extra.txt", "---\nregion: Beijing\n---\nUniversities train engineers here.\n")
        let added = try project.ingest(paths: [folder.url("more")])
        #expect(added.added == 1, "\(added)")
        #expect(try project.count("SELECT COUNT(*) FROM report_cache") == 0)
        #expect(try project.regionTotals() != totals)
    }
}

/// Coding documents as they are ingested (`qda analyze`) stores what ingesting and then
/// coding stores, report cache included.
@Suite struct IngestCodingTests {
    let root = ReportCacheTests.root

    /// Every auto-coding, coding state and report-cache row, in a comparable form.
    func contents(_ project: Project) throws -> [String] {
        try project.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'coding ' || segment_id || ' ' || document_id || ' ' || code_id || ' ' || start_offset || ' '
                           || end_offset || ' ' || valence || ' ' || matched
                    FROM coding_span ORDER BY segment_id, code_id, start_offset
                    """)
                + String.fetchAll(
                    db,
                    sql:
                        "SELECT 'state ' || document_id || ' ' || codebook_sha256 FROM coding_state ORDER BY document_id"
                )
        } + project.segmentCodeRows()
    }

    func project(in folder: TemporaryDirectory, _ name: String) throws -> Project {
        let project = try Project.create(at: folder.url(name))
        _ = try project.loadGazetteer(path: root + "/codebooks/gazetteer/china.yaml")
        _ = try project.loadCodebook(path: root + "/codebooks/china-regional-innovation.yaml")
        return project
    }

    @Test func codingWhileIngestingEqualsIngestingThenCoding() throws {
        let folder = try TemporaryDirectory()
        let separate = try project(in: folder, "separate.sqlite")
        _ = try separate.ingest(paths: [root + "/corpus"])
        let coded = try separate.autoCode()
        _ = try separate.codeAggregates()  // builds segment_code

        let fused = try project(in: folder, "fused.sqlite")
        let summary = try fused.ingest(paths: [root + "/corpus"], autoCode: true)
        #expect(summary.coded == coded)
        #expect(summary.coded.codingsAdded > 500)
        // Nothing left for the coder.
        #expect(try fused.autoCode() == AutoCodeSummary())
        _ = try fused.codeAggregates()
        let fusedContents = try contents(fused)
        #expect(fusedContents.count > 1000)
        #expect(fusedContents == (try contents(separate)))
        #expect(try fused.codeAggregates() == separate.codeAggregates())
    }

    /// The indexes a first ingest builds at its end are the schema's, and a failed run
    /// leaves them too.
    @Test func indexesDeferredByAFirstIngestAreRebuilt() throws {
        let folder = try TemporaryDirectory()
        let project = try project(in: folder, "p.sqlite")
        func indexes() throws -> [String] {
            try project.read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
                )
            }
        }
        let schema = try indexes()
        #expect(schema.contains { $0.hasPrefix("coding_code: CREATE INDEX coding_code ON coding") })
        try folder.write("bad/a.txt", "R1: The university is strong.\n")
        try folder.write("bad/b.txt", data: Data([0xFF, 0xFE, 0x00]))
        var strict = IngestOptions()
        strict.strict = true
        #expect(throws: CorpusError.self) { try project.ingest(paths: [folder.url("bad")], options: strict) }
        #expect(try indexes() == schema)
        _ = try project.ingest(paths: [root + "/corpus"], autoCode: true)
        #expect(try indexes() == schema)
    }

    @Test func documentsAddedLaterKeepTheReportCacheUpToDate() throws {
        let folder = try TemporaryDirectory()
        let fused = try project(in: folder, "fused.sqlite")
        _ = try fused.ingest(paths: [root + "/corpus/beijing"], autoCode: true)
        let before = try fused.codeAggregates()
        let added = try fused.ingest(paths: [root + "/corpus"], autoCode: true)
        #expect(added.added > 20)
        let separate = try project(in: folder, "separate.sqlite")
        _ = try separate.ingest(paths: [root + "/corpus/beijing"])
        _ = try separate.ingest(paths: [root + "/corpus"])
        _ = try separate.autoCode()
        let after = try fused.codeAggregates()
        #expect(after != before)
        #expect(after == (try separate.codeAggregates()))
        #expect(try contents(fused) == contents(separate))
    }
}

/// The Swift rebuild of `segment_code` gives exactly the rows of the SQL statement that
/// defines it, on a corpus with segments in several regions (place names in literature),
/// in none, and with several codings of a code in one segment.
@Suite struct SegmentCodeBuilderTests {
    /// The demo corpus with the gazetteer (segments in several regions by mention), and a
    /// document with no region, auto-coded.
    static func demoProject(in folder: TemporaryDirectory) throws -> Project {
        let root = ReportCacheTests.root
        let project = try Project.create(at: folder.url("p.sqlite"))
        _ = try project.loadGazetteer(path: root + "/codebooks/gazetteer/china.yaml")
        _ = try project.loadCodebook(path: root + "/codebooks/china-regional-innovation.yaml")
        _ = try project.ingest(paths: [root + "/corpus"], autoCode: true)
        try folder.write("none.txt", "R1: Our university labs and venture capital matter; the university is strong.\n")
        _ = try project.ingest(paths: [folder.url("none.txt")], autoCode: true)
        return project
    }

    @Test func rebuildEqualsTheDefiningStatement() throws {
        let folder = try TemporaryDirectory()
        let project = try Self.demoProject(in: folder)
        let (multiRegion, noRegion, repeated) = try project.read { db in
            (
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM (SELECT 1 FROM segment_region GROUP BY segment_id HAVING COUNT(*) > 1)")
                    ?? 0,
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM coding WHERE segment_id NOT IN (SELECT segment_id FROM segment_region)")
                    ?? 0,
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) FROM (SELECT 1 FROM coding GROUP BY segment_id, code_id HAVING COUNT(*) > 1)")
                    ?? 0
            )
        }
        try #require(multiRegion > 0 && noRegion > 0 && repeated > 0)
        try project.write { db in try SegmentCodeBuilder.rebuild(db) }
        let built = try project.segmentCodeRows()
        try project.write { db in
            try db.execute(sql: "DELETE FROM segment_code")
            try db.execute(sql: Project.segmentCodeRows(where: "1"))
        }
        let defined = try project.segmentCodeRows()
        #expect(built.count > 500)
        #expect(built == defined)
        // Past the memory bound the rows are built one code at a time (at `sums - 1`, every
        // code's sums fit; at `sums / 2` the largest group's may not), and a code with more
        // sums than the bound comes from SQL (at 10, nearly every code).
        let sums = try project.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM (SELECT DISTINCT coding.code_id, coding.segment_id, sr.region
                    FROM coding LEFT JOIN segment_region AS sr ON sr.segment_id = coding.segment_id)
                    """) ?? 0
        }
        for bound in [sums, sums - 1, sums / 2, 10] {
            try project.write { db in
                try db.execute(sql: "DELETE FROM segment_code")
                try SegmentCodeBuilder.rebuild(db, maximumEntries: bound)
            }
            #expect(try project.segmentCodeRows() == defined, "bound \(bound) of \(sums)")
        }
        // The sorts spilled to temporary files on disk; ingest's in-memory setting is back.
        #expect(try project.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2)
    }
}
