import Foundation
import QDAKit
import QDAKitTestSupport
import Testing

/// Learned suggestions through the facade: deterministic, kept out of reports until a
/// person accepts them, and never proposed again once rejected.
@Suite struct SuggestTests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// Six interviews; ann coded the lab and professor turns of the first four as
    /// technology.base (the tiny codebook's keyword is "university", which none of them says).
    func project(_ name: String) throws -> Workbench {
        let workbench = try Workbench.create(at: folder.url(name))
        _ = try workbench.loadCodebook(path: try folder.write("tiny.yaml", Fixtures.tinyCodebook))
        let turns = [
            "A: Our lab works with the professor on new sensors.",
            "A: Lunch is at noon and the canteen is cheap.",
            "A: The professor and her lab train our engineers.",
            "A: Traffic is bad in the morning.",
        ]
        for i in 1...6 {
            let text =
                "---\nregion: Beijing\n---\n" + turns.map { "Q: Tell me more.\n\n" + $0 + " (\(i))\n\n" }.joined()
            try folder.write("corpus/d\(i).txt", text)
        }
        _ = try workbench.ingest(paths: [folder.url("corpus")], autoCode: true)
        var csv = "document,code,text,coder\n"
        for i in 1...4 {
            csv += "corpus/d\(i).txt,technology.base,Our lab works with the professor,ann\n"
            csv += "corpus/d\(i).txt,technology.base,The professor and her lab,ann\n"
        }
        _ = try workbench.importCodings(path: try folder.write("codings.csv", csv), defaultCoder: nil)
        return workbench
    }

    @Test func suggestionsAreDeterministicAndFindTheLearnedPassages() throws {
        let a = try project("a.sqlite")
        let b = try project("b.sqlite")
        let trained = try a.trainSuggestions()
        #expect(trained.codes == ["technology.base"])
        #expect(trained.positives == 8 && trained.people == ["ann"])
        _ = try b.trainSuggestions()
        #expect(try a.proposeSuggestions() > 0)
        _ = try b.proposeSuggestions()
        let first = try a.suggestions()
        #expect(first.map(\.segment) == (try b.suggestions()).map(\.segment))
        #expect(first.map(\.score) == (try b.suggestions()).map(\.score))
        // The two uncoded documents' lab and professor turns are proposed; lunch and traffic are not.
        let documents = Set(first.map(\.document))
        #expect(documents == ["corpus/d5.txt", "corpus/d6.txt"], "\(first)")
        #expect(first.allSatisfy { $0.text.contains("professor") && $0.code == "technology.base" })
        // A suggestion shows its segment's text (cut from the document by SQL, as qda cuts it).
        let texts = Dictionary(uniqueKeysWithValues: try a.segments().map { ($0.id, $0.text) })
        #expect(first.allSatisfy { $0.text == texts[$0.segment] })
    }

    @Test func aSuggestionCountsOnlyOnceAccepted() throws {
        let workbench = try project("c.sqlite")
        let before = try workbench.codingRecords()
        let report = try ReportRendering.json(try workbench.patternReport())
        _ = try workbench.trainSuggestions()
        _ = try workbench.proposeSuggestions()
        let pending = try workbench.suggestions()
        #expect(!pending.isEmpty)
        #expect(try workbench.codingRecords() == before)
        #expect(try ReportRendering.json(try workbench.patternReport()) == report)
        let accepted = try workbench.decideSuggestions([pending[0].id], accept: true, reviewer: "bo")
        #expect(accepted.accepted == 1)
        let after = try workbench.codingRecords()
        #expect(after.count == before.count + 1)
        #expect(
            after.contains { $0.coder == "bo" && $0.code == "technology.base" && $0.document == pending[0].document })
        #expect(try ReportRendering.json(try workbench.patternReport()) != report)
    }

    @Test func aRejectedSuggestionIsNotProposedAgain() throws {
        let workbench = try project("d.sqlite")
        _ = try workbench.trainSuggestions()
        _ = try workbench.proposeSuggestions()
        let pending = try workbench.suggestions()
        let rejected = pending[0]
        #expect(try workbench.decideSuggestions([rejected.id], accept: false, reviewer: "bo").rejected == 1)
        _ = try workbench.trainSuggestions()
        let count = try workbench.proposeSuggestions()
        #expect(count == pending.count - 1)
        #expect(!(try workbench.suggestions()).contains { $0.segment == rejected.segment && $0.code == rejected.code })
        #expect(throws: (any Error).self) {
            try workbench.decideSuggestions([rejected.id], accept: true, reviewer: "bo")
        }
    }

    /// A rejection in a document nobody coded teaches the model: the same kind of passage
    /// elsewhere scores lower after training again.
    @Test func aRejectionIsANegativeExample() throws {
        let workbench = try project("f.sqlite")
        _ = try workbench.trainSuggestions()
        _ = try workbench.proposeSuggestions()
        let before = try workbench.suggestions()
        let d5 = try #require(before.first { $0.document == "corpus/d5.txt" })
        let d6 = try #require(before.first { $0.document == "corpus/d6.txt" })
        _ = try workbench.decideSuggestions([d5.id], accept: false, reviewer: "bo")
        _ = try workbench.trainSuggestions()
        _ = try workbench.proposeSuggestions()
        let after = try workbench.suggestions().first { $0.segment == d6.segment }
        #expect((after?.score ?? 0) < d6.score, "\(d6.score) → \(after?.score ?? 0)")
    }

    /// The models number the rules' features by the codebook's codes: after a codebook
    /// change they must be trained again before they propose anything.
    @Test func aCodebookChangeAsksForTrainingAgain() throws {
        let workbench = try project("g.sqlite")
        _ = try workbench.trainSuggestions()
        let changed = Fixtures.tinyCodebook.replacingOccurrences(
            of: "keywords: [demand]", with: "keywords: [demand, buyers]")
        _ = try workbench.loadCodebook(path: try folder.write("tiny2.yaml", changed))
        #expect(throws: QDAError.suggestModelStale) { try workbench.proposeSuggestions() }
        _ = try workbench.trainSuggestions()
        #expect(try workbench.proposeSuggestions() > 0)
    }

    @Test func crossValidationComparesWithTheKeywords() throws {
        let workbench = try project("e.sqlite")
        let evaluation = try workbench.evaluateSuggestions(folds: 4)
        #expect(evaluation.folds == 4 && evaluation.documents == 4)
        let base = try #require(evaluation.codes.first { $0.code == "technology.base" })
        #expect(base.examples == 8)
        // The keyword "university" never occurs: the rules find nothing the person coded.
        #expect(base.keyword.truePositives == 0 && base.keyword.f1 == 0)
        #expect((base.suggest.f1 ?? 0) > 0.5)
        #expect(evaluation.curve.count == 5)
    }
}
