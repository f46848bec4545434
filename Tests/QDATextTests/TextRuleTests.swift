import QDAText
import Testing

/// The rules of text, through the public API every other part uses.
@Suite struct TextRuleTests {
    // MARK: - Text hygiene

    @Test func textHygieneFollowsTheDocumentedRule() {
        #expect(TextHygiene.clean("a\r\nb\rc\u{2028}d\u{0C}e") == "a\nb\nc\nd\n\ne")
        #expect(TextHygiene.clean("inno\u{200B}vation\u{00AD}s\u{0007} \u{FEFF}ok") == "innovations ok")
        #expect(TextHygiene.clean("cafe\u{0301}") == "café")
        #expect(TextHygiene.clean("cafe\u{0301}").unicodeScalars.count == 4)
        #expect(TextHygiene.clean("👩\u{200D}💻 ok") == "👩\u{200D}💻 ok")
        #expect(TextHygiene.clean("研发\tok\n") == "研发\tok\n")
        #expect(TextHygiene.isClean("Plain text, 研发能力。\n"))
        // A compatibility ideograph becomes its unified twin under NFC.
        #expect(TextHygiene.clean("\u{F900}") == "\u{8C48}")
    }

    @Test func sentencesHonourAbbreviationsNumbersAndChinesePunctuation() {
        func split(_ text: String) -> [String] {
            let scalars = Array(text.unicodeScalars)
            return SentenceSplitter.sentences(in: text).map { String(String.UnicodeScalarView(scalars[$0])) }
        }
        #expect(
            split("Dr. Li met Prof. Wang at 3.5 p.m. in the U.S. office. It went well! Did it? Yes.")
                == ["Dr. Li met Prof. Wang at 3.5 p.m. in the U.S. office.", "It went well!", "Did it?", "Yes."])
        #expect(split("He said \"It is strong.\" Then left.") == ["He said \"It is strong.\"", "Then left."])
        #expect(
            split("e.g. the firms, i.e. many. J. Smith agreed.") == ["e.g. the firms, i.e. many.", "J. Smith agreed."])
        #expect(split("技术很强。市场呢？很大！政府支持；企业跟进。") == ["技术很强。", "市场呢？", "很大！", "政府支持；", "企业跟进。"])
        #expect(split("“创新很重要。”他说。") == ["“创新很重要。”", "他说。"])
    }

    @Test func wordsAreRunsOfLettersOrSingleCJKCharacters() {
        var counter = WordCounter()
        for scalar in "5G技术 is world-class, 很强。".unicodeScalars { counter.add(scalar) }
        // 5G, 技, 术, is, world, class, 很, 强
        #expect(counter.count == 8)
        #expect(ScriptClass.isCJK("技") && !ScriptClass.isCJK("G"))
        #expect(ScriptClass.isWordCharacter("é") && !ScriptClass.isWordCharacter("技"))
    }

    @Test func utf16OffsetsCountSurrogatePairsAsTwo() {
        // "a😀b": code points 0, 1, 2, 3; UTF-16 units 0, 1, 3, 4.
        #expect("a😀b".utf16Offsets() == [0, 1, 3, 4])
    }
}
