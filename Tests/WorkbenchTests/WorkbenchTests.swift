import Foundation
import QDAKit
import QDAKitTestSupport
import Testing

/// The library as a second client sees it: `import QDAKit` and nothing else of the
/// library, no `@testable`. What these tests use is what the facade offers.
@Suite struct WorkbenchTests {
    static let root = Fixtures.repositoryRoot

    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// Two interviews with a passage each coder can find by its words.
    func smallProject() throws -> Workbench {
        let workbench = try Workbench.create(at: folder.url("small.sqlite"))
        _ = try workbench.loadCodebook(path: try folder.write("tiny.yaml", Fixtures.tinyCodebook))
        try folder.write(
            "corpus/a.txt",
            "---\nregion: Beijing\n---\nQ: What helps?\n\nA: The university is strong here.\n\n"
                + "Q: And customers?\n\nA: Demand is weak.\n")
        try folder.write(
            "corpus/b.txt", "---\nregion: Guizhou\n---\nQ: What helps?\n\nA: Demand from the mines.\n")
        let summary = try workbench.ingest(paths: [folder.url("corpus")], autoCode: true)
        #expect(summary.added == 2)
        #expect(summary.failures.isEmpty)
        return workbench
    }

    /// The getting-started path (docs/getting-started) on the bundled corpus, codebook and
    /// gazetteer reproduces the research framework's Tab. 1 order and Tab. 2 types.
    @Test func theGettingStartedPathReproducesTheFramework() throws {
        let workbench = try Workbench.openOrCreate(at: folder.url("demo.sqlite"))
        _ = try workbench.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        _ = try workbench.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        let ingested = try workbench.ingest(paths: [Self.root + "/corpus"], autoCode: true)
        #expect(ingested.failures.isEmpty)
        #expect(try workbench.documentCount() == ingested.added)
        let report = try workbench.patternReport()
        #expect(Set(report.regions.map(\.region)) == Set(Framework.table2.keys))
        for (group, ranks) in Framework.table1 {
            for (a, rankA) in ranks {
                for (b, rankB) in ranks where rankA > rankB {
                    let scoreA = try #require(report.regions.first { $0.region == a }?.factors[group]?.score)
                    let scoreB = try #require(report.regions.first { $0.region == b }?.factors[group]?.score)
                    #expect(scoreA > scoreB, "\(group): Tab. 1 rates \(a) above \(b)")
                }
            }
        }
        for region in report.regions {
            #expect(Set(region.types.map(\.type)) == Framework.table2[region.region], "types of \(region.region)")
        }
        // The same numbers reach every report.
        let matrix = try workbench.matrix(columns: .group)
        let beijing = try #require(matrix.regions.firstIndex { $0.region == "Beijing" })
        let technology = try #require(matrix.columns.firstIndex { $0.key == "technology" })
        let factor = try #require(report.regions.first { $0.region == "Beijing" }?.factors["technology"])
        #expect(matrix.cells[beijing][technology].segments == factor.segments)
    }

    @Test func peopleCodeReviewAndAgree() throws {
        let workbench = try smallProject()
        // The auto-coder found the keywords, each in its region.
        let auto = try workbench.codingRecords(coders: [Workbench.autoCoder])
        #expect(Set(auto.map(\.text)) == ["university", "Demand", "Demand"])
        // Two people code the same passage alike, and one of them a second passage.
        for coder in ["ana", "bo"] {
            let record = try workbench.addCoding(
                .quote(document: "corpus/a.txt", text: "The university is strong here."), code: "technology.base",
                coder: coder, valence: 1)
            #expect(record.text == "The university is strong here.")
            #expect(record.coder == coder)
        }
        try workbench.addCoding(
            .quote(document: "corpus/a.txt", text: "Demand is weak."), code: "market.demand", coder: "bo")
        let agreement = try workbench.agreement(coders: ["ana", "bo"])
        #expect(agreement.documents == 1)
        let base = try #require(agreement.codes.first { $0.code == "technology.base" })
        #expect(base.percentAgreement.value == 1)
        let demand = try #require(agreement.codes.first { $0.code == "market.demand" })
        #expect(try #require(demand.percentAgreement.value) < 1)
        // Reviewing the auto-coder: a rejected coding goes.
        let pending = try workbench.pendingReviews()
        let guizhou = try #require(pending.first { $0.document == "corpus/b.txt" })
        let reviewed = try workbench.review([guizhou.id], decision: .reject, reviewer: "ana")
        #expect(reviewed.rejected == 1)
        #expect(try !workbench.codingRecords(coders: [Workbench.autoCoder]).contains { $0.id == guizhou.id })
        let memo = try workbench.addMemo(.document("corpus/a.txt"), text: "Strong university claims.", author: "ana")
        #expect(try workbench.memos() == [memo])
    }

    @Test func aProjectTravelsThroughREFIQDA() throws {
        let workbench = try smallProject()
        try workbench.addCoding(
            .quote(document: "corpus/b.txt", text: "Demand from the mines."), code: "market.demand", coder: "ana")
        let (archive, summary) = try workbench.exportQDPX(origin: "qda tests")
        #expect(summary.documents == 2)
        let file = try folder.write("small.qdpx", data: archive)
        let other = try Workbench.create(at: folder.url("other.sqlite"))
        let imported = try other.importREFI(path: file)
        #expect(imported.documents == 2)
        #expect(Set(imported.coders).isSuperset(of: ["ana"]))
        let people = { (w: Workbench) in
            try w.codingRecords(coders: ["ana"]).map { "\($0.document) \($0.code) \($0.text)" }
        }
        #expect(try people(other) == people(workbench))
    }

    /// The getting-started article shows code that runs: every line of its Swift blocks is
    /// a line of these tests.
    @Test func theArticlesCodeIsTested() throws {
        let article = try String(
            contentsOfFile: Self.root + "/Sources/QDAKit/QDAKit.docc/GettingStarted.md", encoding: .utf8)
        let tests = try String(contentsOfFile: #filePath, encoding: .utf8)
        let testLines = Set(tests.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        var shown = 0
        var inSwift = false
        for line in article.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inSwift = line == "```swift"
                continue
            }
            let code = line.trimmingCharacters(in: .whitespaces)
            guard inSwift, !code.isEmpty else { continue }
            shown += 1
            #expect(testLines.contains(code), "GettingStarted.md shows a line no test runs: \(code)")
        }
        #expect(shown >= 6)
    }

    /// Errors carry what went wrong as fields, for each client to word.
    @Test func errorsAreStructured() throws {
        let missing = folder.url("missing.sqlite")
        #expect(throws: QDAError.projectNotFound(path: missing)) { try Workbench.open(at: missing) }
        let workbench = try smallProject()
        #expect(throws: CorpusError.unreadable(path: folder.url("nope"), reason: "no such file or folder")) {
            try workbench.ingest(paths: [folder.url("nope")])
        }
        let broken = try folder.write("broken.yaml", "codebook: Broken\ngroups: 3\n")
        #expect {
            try workbench.loadCodebook(path: broken)
        } throws: { error in
            guard case .invalidCodebook(let path, let problems)? = error as? CodebookError else { return false }
            return path == broken && !problems.isEmpty
        }
        #expect(throws: CodebookError.noSuchCode("market.supply")) {
            try workbench.editCodebook(.rename("market.supply", to: "offer"))
        }
        #expect(throws: QDAError.noSuchRegion(region: "Atlantis", rated: [])) {
            try workbench.comparison(a: "Atlantis", b: "Beijing", minimumSegments: 1_000)
        }
    }
}
