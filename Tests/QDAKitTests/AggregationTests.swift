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
        typealias Cell = RegionMatrix.Cell
        // technology: North 2 segments (+, +) in 2 documents; South 2 (+, −) in 1.
        // market: North 2 (−, +) in 2 documents; South none.
        #expect(
            matrix.cells == [
                [
                    Cell(segments: 2, documents: 2, share: 0.5, valence: 1),
                    Cell(segments: 2, documents: 2, share: 0.5, valence: 0),
                ],
                [
                    Cell(segments: 2, documents: 1, share: 2.0 / 3, valence: 0),
                    Cell(segments: 0, documents: 0, share: 0, valence: nil),
                ],
                [
                    Cell(segments: 1, documents: 1, share: 1, valence: 0),
                    Cell(segments: 0, documents: 0, share: 0, valence: nil),
                ],
            ])
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
        // market: mean share 0.25. North: relative 2, valence 0 → 0.5 → +. South: nothing → −0.5 → -.
        #expect(north["market"]?.score == 0.5)
        #expect(north["market"]?.rating == .strong)
        #expect(south["market"]?.score == -0.5)
        #expect(south["market"]?.rating == .weak)
        #expect(report.regions.map(\.pattern) == ["++ +", "o -"])
        #expect(report.sharedPatterns.isEmpty)
        #expect(report.nearPairs.isEmpty)
    }

    @Test(arguments: [
        (0.75, Rating.veryStrong), (0.7499, .strong), (0.25, .strong), (0.2499, .neutral), (-0.2499, .neutral),
        (-0.25, .weak), (-0.7499, .weak), (-0.75, .veryWeak),
    ])
    func ratingThresholds(score: Double, rating: Rating) {
        #expect(Rating(score: score) == rating)
    }
}
