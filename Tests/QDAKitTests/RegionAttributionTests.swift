import Foundation
import GRDB
import QDACodebook
import QDAKitTestSupport
import QDAMatching
import Testing

@testable import QDAKit
@testable import QDAStore

@Suite struct RegionAttributionTests {
    static let gazetteerYAML = """
        gazetteer: Test
        regions:
          - name: Beijing
            names: [Beijing, 北京]
            places: [{name: Haidian, names: [Haidian, 海淀]}]
          - name: Guangdong
            names: [Guangdong, 广东]
            adjectives: [Cantonese]
            places: [{name: Shenzhen, names: [Shenzhen, 深圳]}]
          - name: Shanghai
            names: [Shanghai]
        groupings:
          - {name: South, set: cluster, names: [the South], members: [Guangdong]}
          - {name: North-East, set: cluster, members: [Beijing, Shanghai]}
          - {name: Coast, set: macro, members: [Beijing, Guangdong, Shanghai]}
        """

    let folder: TemporaryDirectory
    let project: Project

    init() throws {
        folder = try TemporaryDirectory()
        project = try Project.inMemory()
        _ = try project.loadGazetteer(path: folder.write("g.yaml", Self.gazetteerYAML))
    }

    func regions() throws -> [String: [String]] {
        try project.read { db in
            var result: [String: [String]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT segment.text, segment_region.region || ':' || segment_region.basis AS place
                    FROM segment_text AS segment JOIN segment_region ON segment_region.segment_id = segment.id
                    ORDER BY segment.id, segment_region.basis, segment_region.region
                    """)
            {
                result[row["text"], default: []].append(row["place"])
            }
            return result
        }
    }

    @Test func documentRegionsAreResolvedToCanonicalNames() throws {
        try folder.write("c/a.txt", "---\nregion: Shenzhen\n---\nOne.\n")
        try folder.write("c/b.txt", "---\nregion: 北京\n---\nTwo.\n")
        try folder.write("c/c.txt", "---\nregion: the South\n---\nThree.\n")
        try folder.write("c/d.txt", "---\nregion: Atlantis\n---\nFour.\n")
        let summary = try project.ingest(paths: [folder.url("c")])
        #expect(
            try regions() == [
                "One.": ["Guangdong:document"], "Two.": ["Beijing:document"], "Three.": ["Guangdong:document"],
                "Four.": ["Atlantis:document"],
            ])
        #expect(
            summary.unknownRegions == [
                "\(folder.url("c/d.txt")): region 'Atlantis' is not in the gazetteer Test; kept as written."
            ])
    }

    @Test func interviewsKeepTheirEvidenceWhenTheyMentionOtherRegions() throws {
        try folder.write(
            "c/bj.txt",
            "---\nregion: Beijing\nkind: interview\n---\nR1: We assemble in Shenzhen, people there are less cautious.\n"
        )
        _ = try project.ingest(paths: [folder.url("c")])
        #expect(try regions() == ["We assemble in Shenzhen, people there are less cautious.": ["Beijing:document"]])
        let mentions = try project.read { db in
            try String.fetchAll(db, sql: "SELECT region || ':' || name FROM segment_mention")
        }
        #expect(mentions == ["Guangdong:Shenzhen"])
    }

    @Test func literatureSentencesAreAboutTheFirstRegionTheyName() throws {
        try folder.write(
            "c/note.md",
            """
            Beijing leads, five times Shanghai. Its universities are strong.

            In Shenzhen firms compete. Cantonese firms export; Shanghai firms collaborate.

            No place here.
            """)
        let summary = try project.ingest(paths: [folder.url("c")])
        #expect(summary.unknownRegions.isEmpty)
        // Each sentence is a segment in the regions it is about; one that names none is
        // about the regions of the other sentences of its paragraph.
        #expect(
            try regions() == [
                "Beijing leads, five times Shanghai.": ["Beijing:mention"],
                "Its universities are strong.": ["Beijing:mention"],
                "In Shenzhen firms compete.": ["Guangdong:mention"],
                "Cantonese firms export; Shanghai firms collaborate.": ["Guangdong:mention", "Shanghai:mention"],
            ])
        #expect(try project.regionAttribution() == RegionAttribution(byDocument: 0, byMention: 4, unassigned: 1))
    }

    @Test func byParagraphTheParagraphIsInTheRegionsOfItsSentences() throws {
        try folder.write(
            "c/note.md",
            """
            Beijing leads, five times Shanghai. Its universities are strong.

            In Shenzhen firms compete. Cantonese firms export; Shanghai firms collaborate.
            """)
        _ = try project.ingest(paths: [folder.url("c")], options: IngestOptions(unit: .paragraph))
        #expect(
            try regions() == [
                "Beijing leads, five times Shanghai. Its universities are strong.": ["Beijing:mention"],
                "In Shenzhen firms compete. Cantonese firms export; Shanghai firms collaborate.": [
                    "Guangdong:mention", "Shanghai:mention",
                ],
            ])
    }

    @Test func aParagraphComparingRegionsCreditsEachSentenceAndRetrievalFollows() throws {
        try folder.write(
            "c/paper.txt",
            """
            ---
            kind: literature
            ---
            The university in Beijing is strong. Shanghai has a strong university too, and its demand is large. \
            In Shenzhen demand drives the firms. All three regions attract talent.
            """)
        _ = try project.loadCodebook(path: folder.write("cb.yaml", Fixtures.tinyCodebook))
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.autoCode()
        var filter = SegmentFilter()
        filter.codes = ["market.demand"]
        filter.region = "Beijing"
        // Beijing's evidence for demand: none; the paragraph's demand sentences are about
        // Shanghai and Shenzhen.
        #expect(try project.findSegments(filter).segments.isEmpty)
        filter.region = "Guangdong"
        #expect(try project.findSegments(filter).segments.map(\.text) == ["In Shenzhen demand drives the firms."])
        filter.codes = ["technology.base"]
        filter.region = "Beijing"
        #expect(try project.findSegments(filter).segments.map(\.text) == ["The university in Beijing is strong."])
        // Counted per sentence: Shanghai's demand once, not the whole paragraph for three regions.
        let aggregates = try project.codeAggregates()
        func coded(_ code: String, _ region: String) -> Int {
            aggregates.first { $0.code == code && $0.region == region }?.segments ?? 0
        }
        #expect(coded("market", "Shanghai") == 1)
        #expect(coded("market", "Guangdong") == 1)
        #expect(coded("market", "Beijing") == 0)
        #expect(coded("technology", "Beijing") == 1)
        // The last sentence names no region: it is about all three.
        #expect(
            try regions()["All three regions attract talent."] == [
                "Beijing:mention", "Guangdong:mention", "Shanghai:mention",
            ])
        let report = try PatternReport(project: project, minimumSegments: 1)
        #expect(report.regions.first { $0.region == "Shanghai" }?.factors["market"]?.sentences == 1)
    }

    @Test func aLiteratureNoteWithARegionAddsTheRegionsItDiscusses() throws {
        try folder.write("c/note.md", "---\nregion: Beijing\n---\nShanghai is different.\n\nHere it is fine.\n")
        _ = try project.ingest(paths: [folder.url("c")])
        #expect(
            try regions() == [
                "Shanghai is different.": ["Beijing:document", "Shanghai:mention"],
                "Here it is fine.": ["Beijing:document"],
            ])
    }

    @Test func loadingAGazetteerLaterPlacesEverySegmentAnew() throws {
        let other = try Project.inMemory()
        try folder.write("c/note.md", "---\nregion: Shenzhen\n---\nIn Haidian it is different.\n")
        _ = try other.ingest(paths: [folder.url("c")])
        #expect(try RegionMatrix(project: other, columns: .group).regions.map(\.region) == ["Shenzhen"])
        _ = try other.loadGazetteer(path: folder.url("g.yaml"))
        #expect(try RegionMatrix(project: other, columns: .group).regions.map(\.region) == ["Beijing", "Guangdong"])
    }

    /// Ingest finds the places in the reading workers (`SegmentPlaces`); loading a
    /// gazetteer finds them in the stored text. Both must store the same rows: checked on
    /// the demo corpus (interviews with interviewer turns, literature in English and
    /// Chinese) with the bundled gazetteer.
    @Test func placesFoundWhileIngestingEqualThoseFoundInTheStoredText() throws {
        let root = Fixtures.repositoryRoot
        let demo = try Project.inMemory()
        _ = try demo.loadGazetteer(path: root + "/codebooks/gazetteer/china.yaml")
        _ = try demo.ingest(paths: [root + "/corpus"])
        func places() throws -> [[String]] {
            try demo.read { db in
                let regions = try Row.fetchAll(
                    db, sql: "SELECT segment_id, document_id, region, basis FROM segment_region ORDER BY 1, 3")
                let mentions = try Row.fetchAll(
                    db,
                    sql: "SELECT segment_id, region, name, start_offset, end_offset FROM segment_mention ORDER BY rowid"
                )
                return [regions.map(\.description), mentions.map(\.description)]
            }
        }
        let ingested = try places()
        #expect(try demo.count("SELECT COUNT(*) FROM segment_region WHERE basis = 'document'") > 0)
        #expect(try demo.count("SELECT COUNT(*) FROM segment_region WHERE basis = 'mention'") > 0)
        #expect(try demo.count("SELECT COUNT(*) FROM segment_mention WHERE name GLOB '*[^ -~]*'") > 0)
        let gazetteer = try #require(try demo.currentGazetteer())
        let finder = RegionFinder(gazetteer: gazetteer)
        try demo.write { db in
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM document ORDER BY id") {
                try demo.attributeRegions(documentID: id, gazetteer: gazetteer, finder: finder, db)
            }
        }
        #expect(try places() == ingested)
    }

    @Test func groupingLevelsRollRegionsUp() throws {
        try folder.write("c/a.txt", "---\nregion: Beijing\n---\nA.\n\nB.\n")
        try folder.write("c/b.txt", "---\nregion: Shanghai\n---\nC.\n")
        try folder.write("c/c.txt", "---\nregion: Guangdong\n---\nD.\n")
        _ = try project.ingest(paths: [folder.url("c")])
        #expect(try project.groupingSets() == ["cluster", "macro"])
        let cluster = try project.regionTotals(level: .grouping(set: "cluster"))
        #expect(cluster.map(\.region) == ["North-East", "South"])
        #expect(cluster.map(\.segments) == [3, 1])
        #expect(cluster.map(\.documents) == [2, 1])
        let macro = try project.regionTotals(level: .grouping(set: "macro"))
        #expect(macro.map(\.region) == ["Coast"])
        #expect(macro.map(\.segments) == [4])
    }
}

@Suite struct TypologyTests {
    @Test(arguments: [
        (">= ++", TypologyRule.Condition.Comparison.atLeast, Rating.veryStrong), ("<o", .below, .neutral),
        ("+", .equal, .strong), ("= --", .equal, .veryWeak), ("> -", .above, .weak), ("<= +", .atMost, .strong),
    ])
    func conditionsParse(text: String, comparison: TypologyRule.Condition.Comparison, rating: Rating) throws {
        let condition = try #require(TypologyRule.Condition(key: "t", text: text))
        #expect(condition.comparison == comparison)
        #expect(condition.rating == rating)
    }

    @Test func conditionsCompareRatingsByRank() {
        let condition = TypologyRule.Condition(key: "t", comparison: .atLeast, rating: .strong)
        #expect(condition.holds(for: .veryStrong))
        #expect(condition.holds(for: .strong))
        #expect(!condition.holds(for: .neutral))
        #expect(TypologyRule.Condition(key: "t", comparison: .below, rating: .neutral).holds(for: .weak))
    }
}
