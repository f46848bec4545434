import Foundation
import QDAKitTestSupport
import Testing

/// `qda evaluate` and `qda suggest` as a researcher runs them.
@Suite struct EvaluateCommandTests {
    static let root = Fixtures.repositoryRoot

    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The gold standard's development set: every respondent turn and paragraph is a unit,
    /// the counts add up, and the error listing has one row per miss and false alarm.
    @Test func theGoldStandardIsEvaluatedWithoutTouchingTheProject() throws {
        let result = try qda.run(
            ["evaluate", "--gold", "corpus/gold/dev", "--format", "json", "--project", folder.url("none.sqlite")],
            in: Self.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.url("none.sqlite")))
        let report = try json(result.stdout)
        #expect(report["person"] as? String == "gold" && report["machine"] as? String == "auto")
        #expect(report["documents"] as? Int == 11)
        let groups = try #require(report["groups"] as? [[String: Any]])
        #expect(groups.map { $0["key"] as? String } == ["technology", "market", "mindset", "innovation"])
        let codes = try #require(report["codes"] as? [[String: Any]])
        let overall = try #require(report["overall"] as? [String: Any])
        for field in ["true_positives", "false_positives", "false_negatives"] {
            #expect(codes.reduce(0) { $0 + ($1[field] as? Int ?? 0) } == overall[field] as? Int)
        }
        // Every unit-code disagreement at the leaves is listed once.
        let errors = try #require(report["errors"] as? [[String: Any]])
        let misses = errors.filter { $0["kind"] as? String == "miss" }.count
        #expect(misses > 0 && misses <= (overall["false_negatives"] as? Int ?? 0))
        let csv = try qda.run(["evaluate", "errors", "--gold", "corpus/gold/dev", "--format", "csv"], in: Self.root)
        #expect(csv.status == 0)
        let rows = try SpreadsheetRows.count(csv.stdout)
        #expect(rows == errors.count)
    }

    /// The extended vocabulary finds more of what the gold coder coded than the bundled
    /// codebook, in every factor group of the development set.
    @Test func theExtendedVocabularyBeatsTheBundledOneOnTheDevelopmentSet() throws {
        func f1(_ codebook: String) throws -> [String: Double] {
            let result = try qda.run(
                ["evaluate", "--gold", "corpus/gold/dev", "--codebook", codebook, "--format", "json"], in: Self.root)
            #expect(result.status == 0, "\(result.stderr)")
            let groups = try #require(try json(result.stdout)["groups"] as? [[String: Any]])
            return Dictionary(
                uniqueKeysWithValues: groups.map { ($0["key"] as? String ?? "", $0["f1"] as? Double ?? 0) })
        }
        let bundled = try f1("codebooks/china-regional-innovation.yaml")
        let extended = try f1("codebooks/china-regional-innovation-extended.yaml")
        for group in ["technology", "market", "mindset"] {
            #expect((extended[group] ?? 0) > (bundled[group] ?? 0), "\(group): \(extended) vs \(bundled)")
        }
    }

    @Test func aProjectWithoutAPersonSaysWhatToDo() throws {
        let project = folder.url("p.sqlite")
        #expect(try qda.run(["init", "--project", project], in: folder.path).status == 0)
        let result = try qda.run(["evaluate", "--project", project], in: folder.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("Nobody but the auto-coder coded"), "\(result.stderr)")
        let suggest = try qda.run(["suggest", "evaluate", "--project", project], in: folder.path)
        #expect(suggest.status != 0)
        #expect(suggest.stderr.contains("Cross-validation needs"), "\(suggest.stderr)")
    }

    /// `qda ingest corpus/` passes over the gold standard (its folder holds `.qda-skip`);
    /// naming the folder reads it.
    @Test func theGoldStandardStaysOutOfTheDemoCorpus() throws {
        let project = folder.url("demo.sqlite")
        let all = try qda.run(["ingest", "corpus", "--project", project, "--quiet"], in: Self.root)
        #expect(all.status == 0, "\(all.stderr)")
        let listed = try qda.run(["segments", "--format", "json", "--project", project], in: Self.root)
        #expect(!listed.stdout.contains("gold/"))
        let gold = try qda.run(["ingest", "corpus/gold/test", "--project", project, "--quiet"], in: Self.root)
        #expect(gold.status == 0, "\(gold.stderr)")
        let both = try qda.run(["segments", "--format", "json", "--project", project], in: Self.root)
        #expect(both.stdout.contains("test/sh-2-official.txt"))
    }
}

/// Rows of a CSV text (quoted fields may hold line breaks), without the header.
enum SpreadsheetRows {
    static func count(_ text: String) throws -> Int {
        var rows = 0
        var quoted = false
        for character in text.unicodeScalars {
            if character == "\"" { quoted.toggle() }
            if character == "\n" && !quoted { rows += 1 }
        }
        return rows - 1
    }
}
