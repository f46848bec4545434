import QDACodebook
import QDAKitTestSupport
import QDAMatching
import Testing

@testable import QDAKit

/// Rule semantics on marked text: «…» marks where a code must match.
@Suite struct MatcherTests {
    static func codebook(
        _ keywords: [String], positive: [String] = ["strong", "leading", "领先"],
        negative: [String] = ["weak", "lagging", "落后"], extra: [Code] = []
    ) -> Codebook {
        Codebook(
            name: "test", valence: ValenceCues(positive: positive, negative: negative),
            groups: [
                CodeGroup(
                    key: "g", label: "G",
                    codes: [Code(key: "g.a", label: "A", keywords: keywords)] + extra)
            ])
    }

    /// Checks that the code `g.a` matches exactly at the marked spans.
    func check(_ keywords: [String], _ marked: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let input = MarkedText(marked)
        let matches = Matcher(codebook: Self.codebook(keywords)).matches(in: input.text).filter { $0.code == 0 }
        #expect(matches.map { $0.start..<$0.end } == input.ranges, sourceLocation: sourceLocation)
    }

    func valences(_ keywords: [String], _ text: String) -> [Int] {
        Matcher(codebook: Self.codebook(keywords)).matches(in: text).map(\.valence)
    }

    @Test func latinTermsMatchWholeWordsOnly() {
        check(["patent"], "A «patent», «Patent» and «PATENT»; not patents or subpatent or patent_x.")
    }

    @Test func stemsRunToTheEndOfTheWord() {
        check(["innovat*"], "«Innovation» and «innovative» «innovators», not reinnovation.")
    }

    @Test func phrasesMatchAcrossAnyRunOfWhiteSpace() {
        check(["technology transfer"], "«technology transfer», «Technology   transfer», «technology\ntransfer».")
        check(["technology transfer"], "technology-transfer is a different spelling.")
    }

    @Test func chineseTermsMatchAsSubstrings() {
        check(["研发"], "企业«研发»能力，自主«研发»中心")
    }

    @Test func latinTermsNextToChineseHaveABoundary() {
        check(["5G"], "发展«5G»技术和«5G»网络, not 5GHz")
        check(["AI芯片"], "国产«AI芯片»很强, «ai芯片»")
    }

    @Test func caseFoldingAndCompatibilityFormsBeyondASCII() {
        check(["ökonomie"], "Die «Ökonomie» der Regionen.")
        check(["ai"], "全角的«ＡＩ»字母")
        check(["r&d"], "Our «R&D» centre.")
    }

    @Test func theLongestMatchWinsAndMatchesOfOneCodeDoNotOverlap() {
        check(["research", "research institute", "institute"], "A «research institute» and an «institute».")
        check(["研发", "研发中心"], "«研发中心»和«研发»")
    }

    @Test func anExactKeywordBeatsAStemOfTheSameText() {
        let codebook = Self.codebook(["talent*", "talent"])
        let matches = Matcher(codebook: codebook).matches(in: "talent")
        #expect(matches.count == 1)
    }

    @Test func differentCodesMayMatchTheSameWords() {
        let codebook = Self.codebook(
            ["research institute"], extra: [Code(key: "g.b", label: "B", keywords: ["institute"])])
        let matches = Matcher(codebook: codebook).matches(in: "A research institute.")
        #expect(matches.map(\.code) == [0, 1])
    }

    @Test func offsetsPointIntoTheOriginalText() {
        let text = "😀 Ｒ＆Ｄ  centres: the TECHNOLOGY   transfer office"
        let matcher = Matcher(codebook: Self.codebook(["r&d centres", "technology transfer"]))
        let found = matcher.matches(in: text).map { match in
            String(String.UnicodeScalarView(Array(text.unicodeScalars)[match.start..<match.end]))
        }
        #expect(found == ["Ｒ＆Ｄ  centres", "TECHNOLOGY   transfer"])
    }

    @Test func valenceComesFromCuesInTheSameSentence() {
        #expect(valences(["university"], "The university is strong.") == [1])
        #expect(valences(["university"], "The university is weak.") == [-1])
        #expect(valences(["university"], "The university is old.") == [0])
        #expect(valences(["university"], "The university is old. The city is strong.") == [0])
        #expect(valences(["university"], "A strong and leading but weak university.") == [-1])
        #expect(valences(["研发"], "研发能力领先。") == [1])
        #expect(valences(["研发"], "研发能力落后。") == [-1])
    }

    @Test func negationFlipsACueOrMakesTheKeywordWeak() {
        #expect(valences(["university"], "The university is not strong.") == [-1])
        #expect(valences(["university"], "The university is not weak at all.") == [1])
        #expect(valences(["university"], "There is no university here.") == [-1])
        #expect(valences(["R&D"], "A lack of R&D.") == [-1])
        #expect(valences(["研发"], "没有研发部门") == [-1])
        #expect(valences(["研发"], "研发能力并不落后") == [1])
        #expect(valences(["研发"], "缺乏研发") == [-1])
    }

    @Test func contrastWordsEndTheReachOfCues() {
        #expect(valences(["university"], "The institutes are weak, but the university is fine.") == [0])
        #expect(valences(["university"], "The university is good, but the institutes are weak.") == [0])
        #expect(valences(["研发"], "研发领先，但是市场落后") == [1])
        #expect(valences(["研发"], "市场领先，但是研发落后") == [-1])
    }

    @Test func codeCuesApplyToTheCodeAndItsSubCodesOnly() {
        let codebook = Codebook(
            name: "t", valence: ValenceCues(),
            groups: [
                CodeGroup(
                    key: "g", label: "G",
                    codes: [
                        Code(
                            key: "g.a", label: "A", keywords: ["demand"],
                            valence: ValenceCues(positive: ["huge"]),
                            children: [Code(key: "g.a.b", label: "B", keywords: ["customers"])]),
                        Code(key: "g.c", label: "C", keywords: ["factories"]),
                    ])
            ])
        let matches = Matcher(codebook: codebook).matches(in: "Huge demand, huge customers and huge factories.")
        #expect(matches.map(\.code) == [0, 1, 2])
        #expect(matches.map(\.valence) == [1, 1, 0])
    }
}

@Suite struct MatcherCueTests {
    @Test func aCueInsideAnotherCodesKeywordIsPartOfThatKeyword() {
        let codebook = Codebook(
            name: "t", valence: ValenceCues(negative: ["low"]),
            groups: [
                CodeGroup(
                    key: "g", label: "G",
                    codes: [
                        Code(key: "g.a", label: "A", keywords: ["agriculture"]),
                        Code(key: "g.b", label: "B", keywords: ["low-cost"]),
                    ])
            ])
        let matcher = Matcher(codebook: codebook)
        #expect(matcher.matches(in: "Low-cost products and agriculture.").map(\.valence) == [0, 0])
        #expect(matcher.matches(in: "Agriculture is low.").map(\.valence) == [-1])
    }
}

/// The fast path (matching the original bytes) and the slow path (folding first) must
/// agree on every text the fast path accepts.
@Suite struct MatcherPathTests {
    static let codebook = Codebook(
        name: "t", valence: ValenceCues(positive: ["strong", "领先"], negative: ["weak", "落后"]),
        groups: [
            CodeGroup(
                key: "g", label: "G",
                codes: [
                    Code(key: "g.a", label: "A", keywords: ["research institute*", "r&d", "研发", "ai芯片"]),
                    Code(key: "g.b", label: "B", keywords: ["supply chain", "市场", "5g"]),
                ])
        ])

    @Test func bothPathsAgreeOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "Research", "institutes", "research  institute", "R&D", "r&d", "研发", "市场", "AI芯片", "5G", "技术",
            "supply\nchain", "Supply chain", "strong", "weak", "not", "没有", "领先", "落后", "，", "。", "！", " ", "  ",
            "\n", "\n\n", "but", "但是", "x", "“quoted”", "–", ".",
        ]
        let fast = Matcher(codebook: Self.codebook)
        var slow = Matcher(codebook: Self.codebook)
        slow.disableFastPath()
        for _ in 0..<500 {
            let count = Int.random(in: 1...25, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined(
                separator: Bool.random(using: &generator) ? " " : "")
            #expect(fast.matches(in: text) == slow.matches(in: text), "\(text.debugDescription)")
        }
    }

    @Test func aPhraseMatchesAcrossALineBreakAndABlankLineEndsASentence() {
        let matcher = Matcher(codebook: Self.codebook)
        let matches = matcher.matches(in: "The supply\n  chain is strong\n \nR&D weak")
        #expect(matcher.matches(in: "The supply chain is\nstrong, R&D weak").map(\.valence) == [0, 0])
        #expect(matches.map(\.code) == [1, 0])
        #expect(matches.map(\.valence) == [1, -1])
    }
}

@Suite struct ProximityAndExclusionTests {
    static func matcher(keywords: [String] = [], exclusions: [String] = [], near: [String] = []) -> Matcher {
        Matcher(
            codebook: Codebook(
                name: "t", valence: ValenceCues(positive: ["strong"]),
                groups: [
                    CodeGroup(
                        key: "g", label: "G",
                        codes: [
                            Code(
                                key: "g.a", label: "A", keywords: keywords, exclusions: exclusions,
                                near: near.compactMap(NearRule.init))
                        ])
                ]))
    }

    func spans(_ matcher: Matcher, _ marked: String) -> (found: [Range<Int>], expected: [Range<Int>]) {
        let input = MarkedText(marked)
        return (matcher.matches(in: input.text).map { $0.start..<$0.end }, input.ranges)
    }

    @Test func anExclusionCancelsTheMatchItOverlaps() {
        let matcher = Self.matcher(keywords: ["market"], exclusions: ["stock market", "market*ing"])
        let result = spans(matcher, "The «market» is big; the stock market is not; «Market» demand.")
        #expect(result.found == result.expected)
    }

    @Test func nearRulesMatchBothTermsWithinTheDistanceInEitherOrder() {
        let matcher = Self.matcher(near: ["university NEAR/3 cooperat*"])
        var result = spans(matcher, "«Universities and firms cooperate» here.")
        #expect(result.found == [])  // "universities" is not "university"
        result = spans(matcher, "The «university and two firms cooperate».")
        #expect(result.found == result.expected)
        result = spans(matcher, "«Cooperation with the local university» grows.")
        #expect(result.found == result.expected)
        result = spans(matcher, "The university, as many people said before, cooperates.")
        #expect(result.found == [])
    }

    @Test func nearCountsChineseCharactersAsWords() {
        let matcher = Self.matcher(near: ["高校 NEAR/3 合作"])
        var result = spans(matcher, "«高校和企业合作»")
        #expect(result.found == result.expected)
        result = spans(matcher, "高校与本地很多企业合作")
        #expect(result.found == [])
    }
}

/// `word-forms: english`: a keyword matches its regular inflections, and only then.
@Suite struct WordFormTests {
    static func codebook(_ keywords: [String], forms: Bool) -> Codebook {
        var codebook = MatcherTests.codebook(keywords)
        codebook.englishWordForms = forms
        return codebook
    }

    @Test func formsOfRegularWords() {
        func forms(_ word: String) -> [String] {
            EnglishWordForms.forms(of: Array(word.utf8)).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(forms("customer") == ["customers", "customered", "customering"])
        #expect(forms("supply") == ["supplies", "supplied", "supplying"])
        #expect(forms("compete") == ["competes", "competed", "competing"])
        #expect(forms("tax") == ["taxes", "taxed", "taxing"])
        #expect(forms("supply chain") == ["supply chains", "supply chained", "supply chaining"])
        #expect(forms("ai").isEmpty)
    }

    @Test func keywordsMatchTheirFormsOnlyWhenAsked() {
        let text = "Our customers compete; a supplier supplied us."
        let with = Matcher(codebook: Self.codebook(["customer", "compete", "supply"], forms: true))
        #expect(with.matches(in: text).map(\.start) == [4, 14, 34])
        let without = Matcher(codebook: Self.codebook(["customer", "compete", "supply"], forms: false))
        #expect(without.matches(in: text).map(\.start) == [14])
        // Stems are not inflected again; Chinese terms have no forms.
        let stems = Matcher(codebook: Self.codebook(["custom*", "研发"], forms: true))
        #expect(stems.matches(in: "customers 研发中心").count == 2)
    }
}
