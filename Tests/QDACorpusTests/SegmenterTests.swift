import QDAKitTestSupport
import Testing

@testable import QDACorpus

/// Segment spans are written as marked text: «…» shows where each segment must be.
@Suite struct SegmenterTests {
    func check(_ marked: String, kind: DocumentKind, speakers: [String?]? = nil) {
        let input = MarkedText(marked)
        let segments = Segmenter().segments(of: input.text, kind: kind)
        #expect(segments.map { $0.start..<$0.end } == input.ranges)
        #expect(segments.map(\.text) == input.ranges.map(input.slice))
        #expect(segments.map(\.ordinal) == Array(0..<segments.count))
        if let speakers { #expect(segments.map(\.speaker) == speakers) }
    }

    @Test func splitsParagraphsOnBlankLines() {
        check("«First paragraph\nstill first.»\n\n  «Second.»  \n\n\n«Third.»", kind: .literature)
    }

    @Test func markdownHeadingsStandAlone() {
        check("«# Title»\n«Body text\nmore.»\n«## Part»\n\n«Text.»", kind: .literature)
    }

    @Test func splitsTurnsOfTheUsualLabels() {
        check(
            "Interviewer: «How did you start?»\nR1: «With friends.»\n\nQ: «And then?»\nA: «We grew.»\n"
                + "Zhang Wei: «I agree.»\nProf. Chen: «So do I.»",
            kind: .interview,
            speakers: ["Interviewer", "R1", "Q", "A", "Zhang Wei", "Prof. Chen"])
    }

    @Test func keepsTimestampsBeforeOrAfterTheLabel() {
        let text = "[00:12:31] R1: First.\nR2 [01:02]: Second.\nQ: (00:13:00) Third."
        let segments = Segmenter().segments(of: text, kind: .interview)
        #expect(segments.map(\.timestamp) == ["00:12:31", "01:02", "00:13:00"])
        #expect(segments.map(\.speaker) == ["R1", "R2", "Q"])
        #expect(segments.map(\.text) == ["First.", "Second.", "Third."])
    }

    @Test func aTurnRunsOverContinuationParagraphs() {
        check("R1: «It began in 2013.\n\nThen we moved.\nAnd grew.»\nQ: «Why?»", kind: .interview)
    }

    @Test func textBeforeTheFirstTurnIsParagraphs() {
        check("«Transcript of an interview.»\n\nQ: «Hello.»\nA: «Hi.»", kind: .interview, speakers: [nil, "Q", "A"])
    }

    @Test func chineseLabelsWithFullWidthColons() {
        check("访谈者：«您做这个生意多久了？»\n商户：«十几年了。»", kind: .interview, speakers: ["访谈者", "商户"])
    }

    @Test func offsetsCountUnicodeScalarsNotBytesOrUTF16() {
        // 😀 is one scalar, two UTF-16 units, four bytes; é written precomposed.
        check("«😀 café»\n\n«研发»", kind: .literature)
        let segments = Segmenter().segments(of: "😀 café\n\n研发", kind: .literature)
        #expect(segments.map(\.start) == [0, 8])
    }

    @Test func urlsLowercaseWordsAndLongSentencesAreNoLabels() {
        let text = "See http://example.org for more.\nnote: lower case.\nThis is a long sentence that ends: here."
        #expect(Segmenter().segments(of: text, kind: .interview).count == 1)
    }

    @Test func literatureNeedsARealDialogueToBeATranscript() {
        let note = "Source: a report.\n\nNote: two regions.\n\nSummary: three."
        #expect(!Segmenter().isTranscript(note, kind: .literature))
        let dialogue = "Q: One?\nA: Yes.\nQ: Two?\nA: No."
        #expect(Segmenter().isTranscript(dialogue, kind: .other))
    }

    @Test func interviewerTurnsAreMarked() {
        let text = "Interviewer: Q1\nR1: A1\n访谈者：问题\n受访者：回答\nLi Ming: Q2"
        let plain = Segmenter().segments(of: text, kind: .interview)
        #expect(plain.map(\.isInterviewer) == [true, false, true, false, false])
        let named = Segmenter().segments(of: text, kind: .interview, interviewers: ["Li Ming"])
        #expect(named.last?.isInterviewer == true)
    }

    @Test func scalarOffsetsAreExactAroundEveryCheckpoint() {
        // ASCII, two-, three- and four-byte characters, at lengths around multiples of 64.
        let pieces = ["a", "é", "技", "😀", "\n"]
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 63, 64, 65, 127, 128, 129, 1000] {
            var text = ""
            while text.utf8.count < length { text += pieces.randomElement(using: &generator)! }
            let source = Segmenter.Source(text)
            var scalars = 0
            var byte = 0
            for scalar in text.unicodeScalars {
                #expect(source.scalarOffset(byte) == scalars, "byte \(byte) of \(text.utf8.count)")
                byte += scalar.utf8.count
                scalars += 1
            }
            #expect(source.scalarOffset(text.utf8.count) == scalars)
        }
    }
}
