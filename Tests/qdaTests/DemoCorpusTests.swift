import Foundation
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// `qda analyze` on the bundled demo corpus, codebook and gazetteer reproduces the
/// research framework's comparison (Liefner & Kroll 2019, Tab. 1 and Tab. 2).
@Suite struct DemoCorpusTests {
    static let root = Fixtures.repositoryRoot

    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
    }

    func analyze(_ arguments: String...) throws -> CommandRunner.Result {
        try qda.run(["analyze", "--project", folder.url("demo.sqlite")] + arguments, in: Self.root)
    }

    @Test func theDemoReportIsStable() throws {
        let result = try analyze()
        #expect(result.status == 0, "\(result.stderr)")
        if let problem = Golden.mismatch(result.stdout, path: Self.root + "/Tests/qdaTests/Golden/demo-analyze.txt") {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test func ratingsFollowTheOrderOfTable1AndTypesTable2() throws {
        let result = try analyze("--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let regions = try #require(object["regions"] as? [[String: Any]])
        var scores: [String: [String: Double]] = [:]
        var types: [String: Set<String>] = [:]
        for region in regions {
            let name = try #require(region["region"] as? String)
            let factors = try #require(region["factors"] as? [String: [String: Any]])
            for (group, factor) in factors {
                scores[group, default: [:]][name] = (factor["score"] as? NSNumber)?.doubleValue
            }
            types[name] = Set(((region["types"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String })
        }
        #expect(Set(types.keys) == Set(Framework.table2.keys))
        for (group, ranks) in Framework.table1 {
            for (a, rankA) in ranks {
                for (b, rankB) in ranks where rankA > rankB {
                    let scoreA = try #require(scores[group]?[a])
                    let scoreB = try #require(scores[group]?[b])
                    #expect(
                        scoreA > scoreB, "\(group): Tab. 1 rates \(a) above \(b), the score is \(scoreA) vs \(scoreB)")
                }
            }
        }
        for (region, expected) in Framework.table2 {
            #expect(types[region] == expected, "types of \(region)")
        }
    }

    /// The demo corpus ingested and coded with the bundled gazetteer and codebook.
    static func codedDemoProject() throws -> Project {
        let project = try Project.inMemory()
        _ = try project.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        _ = try project.ingest(paths: [Self.root + "/corpus"])
        _ = try project.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        _ = try project.autoCode()
        return project
    }

    @Test func everyCodeOfTheCodebookFiresOnTheDemoCorpus() throws {
        let project = try Self.codedDemoProject()
        let matrix = try RegionMatrix(project: project, columns: .code)
        for (column, code) in matrix.columns.enumerated() {
            let coded = matrix.cells.reduce(0) { $0 + $1[column].segments }
            #expect(coded > 0, "\(code.key) codes no segment of the demo corpus")
        }
        #expect(matrix.columns.count == 18)
    }

    /// The worked example of docs/qca.md.
    @Test func theQCAWorkedExampleOfTheDocs() throws {
        let project = try Self.codedDemoProject()
        let conditions = ["technology.base", "market.industrial-base", "market.user-innovators"]
        let raw = try project.qcaRawData(conditions: conditions, outcome: "type:science-driven", measure: .score)
        var plan = CalibrationPlan()
        plan.method = .fuzzy
        plan.anchors = (-0.75, 0, 0.75)
        let data = try plan.calibrate(raw, conditions: conditions, outcome: "type:science-driven").data
        let result = try QCASolutions(
            data: data, table: try TruthTable(data), directions: [.present, .either, .either])
        let expressions = result.solutions.map { $0.models.map(\.expression) }
        #expect(
            expressions == [
                ["technology.base*~market.industrial-base*market.user-innovators"],
                ["~market.industrial-base*market.user-innovators"],
                ["technology.base*~market.industrial-base*market.user-innovators"],
            ])
        let complex = try #require(result.solutions[0].models.first)
        #expect((complex.consistency * 100).rounded() == 86)
        #expect((complex.coverage * 100).rounded() == 54)
        #expect(complex.terms.first?.cases == ["Beijing"])
        let parsimonious = try #require(result.solutions[1].models.first?.terms.first)
        #expect(parsimonious.lowConsistency)
    }

    /// The HTML report's QCA section finds something on the demo corpus, and says why
    /// where it finds nothing.
    @Test func theReportsQCASectionFindsSomethingAndExplainsTheRest() throws {
        let project = try Self.codedDemoProject()
        let report = try HTMLReport(project: project)
        let typology = try #require(try project.currentCodebook()?.typology)
        #expect(report.qca.map(\.request.conditions) == typology.map(\.qcaConditions))
        var solved: [String] = []
        for result in report.qca {
            let solutions = try #require(result.solutions, "\(result.request.outcome): \(result.problem ?? "")")
            let complex = try #require(solutions.solutions.first { $0.kind == .complex })
            if complex.models.isEmpty {
                // Nothing found is said, with the rows that kept it out.
                let why = try #require(solutions.whyNoSolution, "\(result.request.outcome)")
                #expect(why.contains("has the outcome in row") || why.contains("have the outcome in row"), "\(why)")
            } else {
                #expect(solutions.whyNoSolution == nil)
                solved.append(result.request.outcome)
            }
        }
        #expect(solved.contains("type:science-driven") && solved.contains("type:user-driven"), "\(solved)")
        #expect(report.render().contains("class=\"why\""))
        // The factor groups alone cannot tell the types apart, and the reason names the row.
        let raw = try project.qcaRawData(
            conditions: ["technology", "market", "mindset"], outcome: "type:science-driven", measure: .score)
        var plan = CalibrationPlan()
        plan.method = .fuzzy
        plan.anchors = (-0.75, 0, 0.75)
        let data = try plan.calibrate(
            raw, conditions: ["technology", "market", "mindset"], outcome: "type:science-driven"
        )
        .data
        let why = try #require(try TruthTable(data).whyNoSolution(data))
        #expect(
            why.hasPrefix(
                "No configuration gives type:science-driven: Beijing, Shanghai have the outcome in row 1-1-1, "
                    + "which Guangdong, Zhejiang share without it"), "\(why)")
    }

    @Test func theDemoCorpusHasWhatTheREADMESays() throws {
        let project = try Project.inMemory()
        _ = try project.ingest(paths: [Self.root + "/corpus"])
        let documents = try project.segments().reduce(into: [String: String?]()) { $0[$1.document] = $1.region }
        let interviews = documents.keys.filter { !$0.hasPrefix("corpus/literature/") }
        #expect(interviews.count >= 24)
        #expect(documents.keys.filter { $0.hasPrefix("corpus/literature/") }.count >= 8)
        for region in ["beijing", "shanghai", "guangdong", "zhejiang", "chongqing", "guizhou"] {
            #expect(interviews.filter { $0.hasPrefix("corpus/\(region)/") }.count >= 4, "\(region)")
        }
        let chinese = try project.segments().filter {
            $0.text.unicodeScalars.contains(where: { $0.value >= 0x4E00 && $0.value <= 0x9FFF })
        }
        #expect(Set(chinese.map(\.document)).filter { !$0.hasPrefix("corpus/literature/") }.count >= 6)
    }
}
