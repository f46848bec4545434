import QDACodebook
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// Aggregation on a corpus small enough to count by hand; the expected numbers are
/// worked out in the comments.
@Suite struct AggregationTests {
    let folder: TemporaryDirectory
    let project: Project

    init() throws {
        folder = try TemporaryDirectory()
        project = try Project.inMemory()
        let codebook = try folder.write("cb.yaml", Fixtures.tinyCodebook)
        // North: 4 countable segments (the interviewer's question is not counted).
        try folder.write(
            "c/n1.txt",
            "---\nregion: North\nkind: interview\n---\nQ: Is the university strong?\nR1: The university is strong.\n"
                + "R1: Demand is weak.\nR1: Nothing relevant.\n")
        try folder.write("c/n2.txt", "---\nregion: North\n---\nDemand is strong and the university is strong.\n")
        // South: 3 segments, one document.
        try folder.write("c/s1.txt", "---\nregion: South\n---\n研发很强。\n\nNothing to code.\n\nThe university is weak.\n")
        // No region: counted apart.
        try folder.write("c/x.txt", "A university.\n")
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: codebook)
        _ = try project.autoCode()
    }

    @Test func matrixCountsSegmentsDocumentsShareAndValence() throws {
        let matrix = try RegionMatrix(project: project, columns: .group)
        #expect(matrix.columns.map(\.key) == ["technology", "market"])
        #expect(matrix.regions.map(\.region) == ["North", "South", nil])
        #expect(matrix.regions.map(\.segments) == [4, 3, 1])
        #expect(matrix.regions.map(\.documents) == [2, 1, 1])
        // Words: North 4 + 3 + 2 + 8 = 17; South 4 (研发很强, one per character) + 3 + 4 = 11;
        // no region 2.
        #expect(matrix.regions.map(\.words) == [17, 11, 2])
        typealias Cell = RegionMatrix.Cell
        // technology: North 2 segments (+, +) in 2 documents; South 2 (+, −) in 1.
        // market: North 2 (−, +) in 2 documents; South none. Density: segments × 1,000 / words.
        #expect(
            matrix.cells == [
                [
                    Cell(segments: 2, documents: 2, share: 0.5, valence: 1, density: 2000.0 / 17),
                    Cell(segments: 2, documents: 2, share: 0.5, valence: 0, density: 2000.0 / 17),
                ],
                [
                    Cell(segments: 2, documents: 1, share: 2.0 / 3, valence: 0, density: 2000.0 / 11),
                    Cell(segments: 0, documents: 0, share: 0, valence: nil),
                ],
                [
                    Cell(segments: 1, documents: 1, share: 1, valence: 0, density: 500),
                    Cell(segments: 0, documents: 0, share: 0, valence: nil),
                ],
            ])
        #expect(matrix.cells.map { $0.map(\.presence) } == [[1, 1], [1, 0], [1, 0]])
        // Row totals count a segment coded with both groups once: North's Demand-and-university
        // segment (+ technology, + market) joins "university is strong" (+) and "Demand is
        // weak" (−): 3 segments, net valence (2 − 1) / 3.
        #expect(
            matrix.rowTotals == [
                Cell(segments: 3, documents: 2, share: 0.75, valence: 1.0 / 3, density: 3000.0 / 17),
                Cell(segments: 2, documents: 1, share: 2.0 / 3, valence: 0, density: 2000.0 / 11),
                Cell(segments: 1, documents: 1, share: 1, valence: 0, density: 500),
            ])
        // Column totals over all 8 countable segments and 30 words: technology 5 segments
        // (+, +, +, −, 0) in 4 documents; market 2 (−, +) in 2.
        #expect(
            matrix.columnTotals == [
                Cell(segments: 5, documents: 4, share: 5.0 / 8, valence: 0.4, density: 5000.0 / 30),
                Cell(segments: 2, documents: 2, share: 2.0 / 8, valence: 0, density: 2000.0 / 30),
            ])
        // Everything: 6 segments (3 + 2 + 1), 3 positive and 2 negative.
        #expect(matrix.total == Cell(segments: 6, documents: 4, share: 0.75, valence: 1.0 / 6, density: 200))
        // --min-documents 2 hides South's and the unplaced technology cells (1 document
        // each); empty cells are none, not thin, and stay.
        let thin = try RegionMatrix(project: project, columns: .group, minimumDocuments: 2)
        #expect(thin.hiddenCells == 2)
        #expect(thin.cells.map { $0.map(\.hidden) } == [[false, false], [true, false], [true, false]])
        #expect(thin.cells[1][0].value(.segments) == nil)
        #expect(thin.cells[1][1].value(.presence) == 0)
        let codes = try RegionMatrix(project: project, columns: .code)
        #expect(codes.columns.map(\.key) == ["technology.base", "market.demand"])
        #expect(codes.cells.map { $0.map(\.segments) } == [[2, 2], [2, 0], [1, 0]])
    }

    @Test func patternsRateAttentionAndValenceRelativeToTheOtherRegions() throws {
        let report = try PatternReport(project: project, minimumSegments: 1)
        #expect(report.regions.map(\.region) == ["North", "South"])
        #expect(report.unassignedSegments == 1)
        let north = try #require(report.regions.first?.factors)
        let south = try #require(report.regions.last?.factors)
        // technology: mean share (0.5 + 0.6667) / 2 = 0.5833.
        // North: relative 0.8571, score 1 + 0.5 × log2(0.8571) = 0.8888, printed and rated as 0.89 → ++
        // (thin: 2 segments).
        #expect(north["technology"]?.relativeAttention == 0.8571)
        #expect(north["technology"]?.score == 0.89)
        #expect(north["technology"]?.rating == .veryStrong)
        #expect(north["technology"]?.thin == true)
        // South: relative 1.1429, score 0 + 0.5 × log2(1.1429) = 0.0963, rated as 0.10 → o.
        #expect(south["technology"]?.score == 0.1)
        #expect(south["technology"]?.rating == .neutral)
        // market: mean share 0.25. North: relative 2, valence 0 → 0.5 → +. South: nothing coded,
        // no evidence: the formula's −0.5 rates nothing, and the pattern shows ·.
        #expect(north["market"]?.score == 0.5)
        #expect(north["market"]?.rating == .strong)
        #expect(south["market"]?.score == -0.5)
        #expect(south["market"]?.rating == nil)
        #expect(south["market"]?.segments == 0)
        #expect(report.regions.map(\.pattern) == ["++ +", "o ·"])
        #expect(report.sharedPatterns.isEmpty)
        #expect(report.nearPairs.isEmpty)
    }

    @Test func cooccurrenceCountsUnitsWithBothCodes() throws {
        // Segments: North "university is strong" {T}, "Demand is weak" {M}, "Nothing" {},
        // n2 {T, M}; South {T}, {}, {T}; unplaced {T}. 8 units.
        let same = try Cooccurrence(project: project, columns: .group)
        #expect(same.units == 8)
        #expect(same.presence == ["technology": 5, "market": 2])
        // c = 1 / (5 + 2 − 1).
        #expect(same.pairs == [Cooccurrence.Pair(a: "technology", b: "market", count: 1, c: 1.0 / 6)])
        // With one neighbour on each side (interviewer turns lend nothing: they are not
        // coded): North's three answers all see T or M, the South units all see T.
        // n(T) = 7, n(M) = 4, n(T, M) = 3 (two North answers and n2): c = 3 / 8.
        let near = try Cooccurrence(project: project, columns: .group, window: 1)
        #expect(near.presence == ["technology": 7, "market": 4])
        #expect(near.count("technology", "market") == 3)
        #expect(near.pairs.first?.c == 3.0 / 8)
        // In North alone: 4 units, n(T) = 2, n(M) = 2, n(T, M) = 1 → c = 1 / 3.
        let north = try Cooccurrence(project: project, columns: .group, region: "North")
        #expect(north.units == 4)
        #expect(north.pairs.map(\.c) == [1.0 / 3])
    }

    @Test func comparisonSaysWhereTwoRegionsAreAlikeAndWhereTheyDiffer() throws {
        // North ++ +, South o - (see the pattern test): they differ on both groups.
        let comparison = try RegionComparison(project: project, a: "North", b: "South", minimumSegments: 1)
        #expect(comparison.regions == ["North", "South"])
        #expect(comparison.alikeOn.isEmpty)
        #expect(comparison.differOn == ["technology", "market"])
        #expect(comparison.groups.map(\.difference) == [0.89 - 0.1, 0.5 - -0.5])
        // The largest difference per differing group is quoted from both sides.
        #expect(comparison.evidence.map(\.code) == ["technology.base", "market.demand"])
        #expect(comparison.evidence[0].a.first?.text == "The university is strong.")
        #expect(comparison.evidence[1].b.isEmpty)
        #expect(throws: QDAError.self) {
            try RegionComparison(project: project, a: "North", b: "West", minimumSegments: 1)
        }
    }

    @Test func patternRatingsCarryTheirStrongestQuotes() throws {
        let report = try PatternReport(project: project, minimumSegments: 1)
        // North's market rating is +: the segment whose valence agrees comes first, though
        // the other one is earlier in the documents.
        let market = try #require(report.regions[0].factors["market"]?.quotes)
        #expect(market.map(\.text) == ["Demand is strong and the university is strong.", "Demand is weak."])
        // South's technology (o): both segments.
        #expect(report.regions[1].factors["technology"]?.quotes?.count == 2)
    }

    @Test func theGridKeepsTheResearchersJudgementBesideTheDerivedRating() throws {
        let segment = try #require(try project.findSegments(SegmentFilter()).segments.first { !$0.interviewer })
        try project.setGridCell(
            region: "North", code: "technology", rating: .strong, descriptor: nil, note: "two voices",
            evidence: [segment.id], coder: "ann")
        try project.setGridCell(
            region: "South", code: "market", rating: .weak, descriptor: "thin", note: nil, evidence: [], coder: "ann")
        let grid = try GridReport(project: project, minimumSegments: 1)
        // North technology is derived ++: a disagreement; South market has no evidence, so no
        // derived rating to disagree with.
        #expect(grid.cell("North", "technology")?.derived == .veryStrong)
        #expect(grid.cell("North", "technology")?.disagrees == true)
        #expect(grid.cell("South", "market")?.derived == nil)
        #expect(grid.cell("South", "market")?.disagrees == false)
        #expect(grid.disagreements == 1)
        #expect(try project.gridCells().first?.evidence == [segment.id])
        // Setting a cell again replaces it.
        try project.setGridCell(
            region: "North", code: "technology", rating: .veryStrong, descriptor: nil, note: nil, evidence: [],
            coder: "bo")
        #expect(try GridReport(project: project, minimumSegments: 1).disagreements == 0)
        #expect(try project.gridCells().map(\.coder) == ["bo", "ann"])
        #expect(throws: QDAError.self) {
            try project.setGridCell(
                region: "North", code: "nope", rating: .strong, descriptor: nil, note: nil, evidence: [], coder: "x")
        }
        #expect(throws: QDAError.self) {
            try project.setGridCell(
                region: "North", code: "market", rating: .strong, descriptor: nil, note: nil, evidence: [999_999],
                coder: "x")
        }
        #expect(try project.removeGridCell(region: "South", code: "market"))
        #expect(try !project.removeGridCell(region: "South", code: "market"))
    }

    @Test func segmentsAreFilteredByCodeRegionValenceCoderAndAttribute() throws {
        var filter = SegmentFilter()
        filter.codes = ["technology"]
        filter.region = "North"
        let north = try project.findSegments(filter)
        #expect(
            north.segments.map(\.text) == [
                "The university is strong.", "Demand is strong and the university is strong.",
            ])
        // The coded passage is marked, in document offsets.
        let first = north.segments[0]
        let mark = try #require(first.marks?.first)
        #expect(mark.kind == .code)
        let scalars = Array(first.text.unicodeScalars)
        #expect(
            String(String.UnicodeScalarView(scalars[(mark.start - first.start)..<(mark.end - first.start)]))
                == "university")
        filter = SegmentFilter()
        filter.codes = ["market."]
        filter.valence = .negative
        #expect(try project.findSegments(filter).segments.map(\.text) == ["Demand is weak."])
        filter = SegmentFilter()
        filter.coder = "someone"
        #expect(try project.findSegments(filter).total == 0)
        filter = SegmentFilter()
        filter.attributes = ["kind": "interview"]
        // n1 is the only interview: its four turns, the interviewer's question included.
        #expect(try project.findSegments(filter).total == 4)
        filter.codedOnly = true
        filter.context = 1
        let coded = try project.findSegments(filter)
        #expect(coded.segments.count == 2)
        #expect(coded.segments[0].context?.before.map(\.text) == ["Is the university strong?"])
        #expect(coded.segments[0].context?.after.map(\.text) == ["Demand is weak."])
        filter = SegmentFilter()
        filter.codes = ["nothing"]
        #expect(throws: QDAError.self) { try project.findSegments(filter) }
        filter = SegmentFilter()
        filter.attributes = ["colour": "red"]
        #expect(throws: QDAError.self) { try project.findSegments(filter) }
    }

    @Test(arguments: [
        (0.75, Rating.veryStrong), (0.7499, .strong), (0.25, .strong), (0.2499, .neutral), (-0.2499, .neutral),
        (-0.25, .weak), (-0.7499, .weak), (-0.75, .veryWeak),
    ])
    func ratingThresholds(score: Double, rating: Rating) {
        #expect(Rating(score: score) == rating)
    }
}
