import Foundation
import GRDB
import QDAKitTestSupport
import QDAText
import Testing

@testable import QDACorpus
@testable import QDAKit
@testable import QDAStore

/// Every format read from fixtures with known text: files written by LibreOffice from
/// the `.txt`/`.fodt` beside them, re-encoded by iconv, or written by hand.
@Suite struct FormatTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/formats"

    func read(_ name: String, options: IngestOptions = IngestOptions()) throws -> [SourceDocument] {
        let entry = CorpusReader.Entry(path: Self.fixtures + "/" + name, name: name)
        return try CorpusReader().read(entry, options: options).map { document in
            var document = document
            Segmenter().segment(&document, options: options)
            return document
        }
    }

    func one(_ name: String, options: IngestOptions = IngestOptions()) throws -> SourceDocument {
        let documents = try read(name, options: options)
        try #require(documents.count == 1)
        return documents[0]
    }

    struct Turn: Equatable, CustomStringConvertible {
        var speaker: String?
        var timestamp: String?
        var text: String
        var description: String { "\(timestamp ?? "-") \(speaker ?? "-"): \(text)" }
    }

    func turns(_ document: SourceDocument) -> [Turn] {
        document.segments.map { Turn(speaker: $0.speaker, timestamp: $0.timestamp, text: $0.text) }
    }

    /// Every segment's offsets select its text in the stored document text.
    func expectOffsetsHold(_ document: SourceDocument, sourceLocation: SourceLocation = #_sourceLocation) {
        let scalars = Array(document.text.unicodeScalars)
        for segment in document.segments {
            let slice = String(String.UnicodeScalarView(scalars[segment.start..<segment.end]))
            #expect(slice == segment.text, sourceLocation: sourceLocation)
        }
    }

    // MARK: - One interview, every format

    @Test(arguments: ["interview.docx", "interview.odt", "interview.rtf"])
    func theSameInterviewGivesTheSameSegmentsInEveryFormat(file: String) throws {
        try expectTheSameInterview(file)
    }

    @Test(.requires(.pdftotext)) func thePDFInterviewGivesTheSameSegments() throws {
        try expectTheSameInterview("interview.pdf")
    }

    func expectTheSameInterview(_ file: String) throws {
        let options = IngestOptions(defaults: ["kind": "interview"])
        let text = try one("interview.txt", options: options)
        let other = try one(file, options: options)
        #expect(turns(text).count == 14)
        #expect(turns(other) == turns(text))
        #expect(other.segments.filter(\.isInterviewer).count == 7)
        expectOffsetsHold(other)
    }

    @Test(arguments: ["interview-zh.docx", "interview-zh.odt", "interview-zh-gb18030.txt"])
    func theSameChineseInterviewGivesTheSameSegments(file: String) throws {
        try expectTheSameChineseInterview(file)
    }

    @Test(.requires(.pdftotext)) func theChinesePDFInterviewGivesTheSameSegments() throws {
        try expectTheSameChineseInterview("interview-zh.pdf")
    }

    func expectTheSameChineseInterview(_ file: String) throws {
        let text = try one("interview-zh.txt", options: IngestOptions(defaults: ["kind": "interview"]))
        let other = try one(file, options: IngestOptions(defaults: ["kind": "interview"]))
        #expect(turns(text).count == 8)
        #expect(turns(other) == turns(text))
        #expect(turns(other)[1].speaker == "王教授")
    }

    @Test(.requires(.pdftotext)) func theSameInterviewGetsTheSameCodingsInEveryFormat() throws {
        let project = try Project.inMemory()
        let files = ["interview.txt", "interview.docx", "interview.odt", "interview.pdf", "interview.rtf"]
        let summary = try project.ingest(
            paths: files.map { Self.fixtures + "/" + $0 }, options: IngestOptions(defaults: ["kind": "interview"]))
        #expect(summary.failures.isEmpty)
        #expect(summary.added == 5)
        let root = Fixtures.repositoryRoot
        _ = try project.loadCodebook(path: root + "/codebooks/china-regional-innovation.yaml")
        _ = try project.autoCode()
        let codings = try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT document.name AS name, segment.ordinal AS ordinal, code.key AS code, coding.matched AS matched,
                           coding.valence AS valence
                    FROM coding_span AS coding JOIN segment ON segment.id = coding.segment_id
                    JOIN document ON document.id = coding.document_id JOIN code ON code.id = coding.code_id
                    ORDER BY segment.ordinal, code.key, coding.start_offset
                    """)
        }
        var byFile: [String: [String]] = [:]
        for row in codings {
            let name: String = row["name"]
            let line =
                "\(row["ordinal"] as Int) \(row["code"] as String) \(row["matched"] as String) \(row["valence"] as Int)"
            byFile[name, default: []].append(line)
        }
        let reference = try #require(byFile["interview.txt"])
        #expect(reference.count >= 10)
        for file in files.dropFirst() {
            #expect(byFile[file] == reference, "\(file)")
        }
    }

    // MARK: - Word and OpenDocument rules

    static let rulesText = """
        # Interview with a hardware founder

        Interviewer: How strong is the supply chain here?

        R1: The supply chain is very strong. We prototype in a week.

        ## Team

        [00:04:10] R1: Most engineers come from Huawei.

        Revenue | 2019 | 12 million

        深圳的 创客文化很强。

        # Notes

        Huaqiangbei electronics market.
        """

    @Test(arguments: ["rules.docx", "rules.odt"])
    func wordAndOpenDocumentFollowTheDocumentedRule(file: String) throws {
        // Tracked changes accepted ("weak" deleted, "very" inserted), the comment dropped,
        // the footnote after the body, headings as Markdown, a transcript table row as a turn.
        let document = try one(file)
        #expect(document.text == Self.rulesText)
        #expect(document.title == "Shenzhen hardware founders")
        #expect(!document.text.contains("Check this claim"))
        let speakers = document.segments.compactMap(\.speaker)
        #expect(speakers == ["Interviewer", "R1", "R1"])
        #expect(document.segments.first { $0.speaker == "R1" && $0.timestamp == "00:04:10" } != nil)
    }

    @Test func frontMatterTypedAtTheTopOfAWordFileIsRead() throws {
        // LibreOffice's conversion of a text file with front matter: one paragraph per line.
        let document = try one("front-matter.docx")
        #expect(document.region == "Guizhou")
        #expect(document.kind == .interview)
        #expect(document.attributes["role"] == "official")
        #expect(turns(document).map(\.speaker) == ["Interviewer", "R1"])
    }

    // MARK: - PDF

    @Test(.requires(.pdftotext)) func pdfPagesArePagedAndRunningLinesDropped() throws {
        let document = try one("paged.pdf", options: IngestOptions(unit: .paragraph))
        #expect(document.segments.count == 8)
        #expect(document.segments.map(\.page) == [1, 1, 2, 3, 4, 5, 6, 7])
        #expect(!document.text.contains("Working paper on regional innovation"))
        #expect(!document.text.contains("- 1 -") && !document.text.contains("-1-"))
        for (index, segment) in document.segments.enumerated() {
            #expect(segment.text.hasPrefix("Paragraph \(index + 1). The research base"))
            #expect(segment.text.hasSuffix("to the factories."))
            #expect(!segment.text.contains("\n"))
        }
        expectOffsetsHold(document)
    }

    @Test func pdfLinesAreJoinedAndHyphenatedWordsMended() {
        #expect(
            PDFReader.paragraph(["The innova-", "tion system is well-", "Known here."])
                == "The innovation system is well-Known here.")
        // A compound the document writes elsewhere keeps its hyphen; a broken word is mended.
        #expect(
            PDFReader.paragraph(["a market-", "oriented firm"], words: ["market", "oriented"])
                == "a market-oriented firm")
        #expect(PDFReader.paragraph(["the mar-", "ket grew"], words: ["market", "oriented"]) == "the market grew")
        #expect(PDFReader.paragraph(["研发能力在全", "国领先，", "人才充足。"]) == "研发能力在全国领先，人才充足。")
        #expect(
            PDFReader.paragraph(["Q: Is it strong?", "R1: Yes, it is", "strong."])
                == "Q: Is it strong?\nR1: Yes, it is strong.")
        #expect(
            PDFReader.isPageNumber("- 12 -") && PDFReader.isPageNumber("Page 3 of 9") && PDFReader.isPageNumber("第3页"))
        #expect(!PDFReader.isPageNumber("2019 was a good year"))
    }

    // MARK: - HTML, RTF

    @Test func htmlKeepsTheVisibleText() throws {
        let document = try one("page.html")
        #expect(document.title == "Regional innovation & policy")
        #expect(
            document.text == """
                # Innovation in Shenzhen

                Suppliers are close, so prototyping is fast\u{00A0}— about a week.

                Hardware

                Maker culture 深圳

                Speaker | Text

                R1: The market is huge.

                Line one
                Line two &unknown; stays
                """)
        for hidden in ["not text", "color", "Home", "hidden", "template text", "JavaScript"] {
            #expect(!document.text.contains(hidden), "\(hidden)")
        }
    }

    @Test func rtfReadsUnicodeCodePagesTablesAndFootnotes() throws {
        let folder = try TemporaryDirectory()
        let rtf = #"""
            {\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fcharset134 SimSun;}{\f1\fcharset0 Arial;}}
            {\info{\title Field notes}{\author Someone}}
            {\header Running head\par}
            \pard\plain Caf\u233?s and \'d1\'d0\'b7\'a2 matter\emdash a lot.{\footnote \pard Note one.\par} Still here.\par
            \pard\intbl R1\cell The market is huge.\cell\row
            \pard {\*\generator Hidden}Last\line line.\par}
            """#
        let path = try folder.write("notes.rtf", rtf)
        let document = try #require(try CorpusReader().read(CorpusReader.Entry(path: path, name: "notes.rtf")).first)
        #expect(document.title == "Field notes")
        #expect(
            document.text == """
                Cafés and 研发 matter—a lot. Still here.

                R1: The market is huge.

                Last
                line.

                # Notes

                Note one.
                """)
    }

    // MARK: - Subtitles

    @Test func webVTTCuesBecomeSpeakerTurns() throws {
        let document = try one("two-speakers.vtt")
        #expect(document.kind == .interview)
        #expect(
            turns(document) == [
                Turn(speaker: "Interviewer", timestamp: "00:00:01", text: "How strong is the research base in Hefei?"),
                Turn(
                    speaker: "Li Wei", timestamp: "00:00:05",
                    text:
                        "The universities are strong, especially USTC. Funding for basic research is generous & stable."
                ),
                Turn(speaker: "Interviewer", timestamp: "00:00:12", text: "And the market?"),
                Turn(speaker: "Li Wei", timestamp: "00:00:14.500", text: "Local demand is weak."),
            ])
        #expect(document.segments.map(\.isInterviewer) == [true, false, true, false])
        expectOffsetsHold(document)
    }

    @Test func subRipWithoutSpeakersBreaksAtPauses() throws {
        let document = try one("whisper.srt")
        #expect(
            turns(document) == [
                Turn(
                    speaker: nil, timestamp: "00:00:00", text: "Our customers are mostly large state-owned enterprises."
                ),
                Turn(speaker: nil, timestamp: "00:00:09", text: "The industrial base is limited."),
            ])
    }

    @Test func subtitleLabelsAndBadTimings() throws {
        let cues = try SubtitleReader.parse(
            "1\n00:00:01,000 --> 00:00:02,000\nZhang Wei: We export.\n\n2\n00:00:03,000 --> 00:00:04,000\n[SPEAKER_01]: 我们出口。\n",
            path: "a.srt", format: .srt)
        #expect(cues.map(\.speaker) == ["Zhang Wei", "SPEAKER_01"])
        #expect(cues.map(\.text) == ["We export.", "我们出口。"])
        #expect(
            throws: CorpusError.malformedDocument(
                path: "b.vtt", format: "WebVTT", reason: "line 3: '00:01 -> 00:02 -->' is not a cue timing")
        ) {
            try SubtitleReader.parse("WEBVTT\n\n00:01 -> 00:02 -->\ntext\n", path: "b.vtt", format: .vtt)
        }
        // Times no recording has (found by fuzzing: one overflowed the millisecond count).
        #expect(SubtitleReader.seconds("00:00:01.500") == 1.5)
        #expect(SubtitleReader.seconds("inf:00") == nil)
        #expect(SubtitleReader.seconds("00:" + String(repeating: "1", count: 40)) == nil)
        #expect(SubtitleReader.seconds("99999:00:00") == 359_996_400)
        #expect(SubtitleReader.seconds("100000:00:00") == nil)
    }

    // MARK: - Spreadsheets

    @Test func csvRowsBecomeDocumentsWithAttributes() throws {
        let documents = try read(
            "survey.csv", options: IngestOptions(spreadsheet: SpreadsheetOptions(idColumn: "respondent")))
        #expect(documents.map(\.name) == ["survey.csv#r01", "survey.csv#r02", "survey.csv#r03"])
        #expect(documents[0].text == "Suppliers are close, so prototyping is fast.\nWe can iterate weekly.")
        #expect(documents[1].text == "The government \"big data\" strategy attracts firms.")
        #expect(documents.map(\.region) == ["Shenzhen", "Guizhou", "Shanghai"])
        #expect(documents.map { $0.attributes["role"] } == ["founder", "official", "investor"])
        #expect(Set(documents.map(\.sha256)).count == 3)
        #expect(documents.allSatisfy { $0.source == "survey.csv" })
    }

    @Test func csvRowsBecomeSegmentsOfOneDocument() throws {
        let documents = try read(
            "survey.csv",
            options: IngestOptions(
                spreadsheet: SpreadsheetOptions(rows: .segments, idColumn: "respondent", attributeColumns: [])))
        let document = try #require(documents.first)
        #expect(documents.count == 1)
        #expect(document.segments.map(\.speaker) == ["r01", "r02", "r03"])
        #expect(document.segments[0].text == "Suppliers are close, so prototyping is fast.\nWe can iterate weekly.")
        expectOffsetsHold(document)
        // Attribute columns must then hold one value for the whole file.
        #expect(throws: CorpusError.self) {
            try read("survey.csv", options: IngestOptions(spreadsheet: SpreadsheetOptions(rows: .segments)))
        }
    }

    @Test func csvErrorsNameTheColumnOrLine() throws {
        #expect {
            try read("survey.csv", options: IngestOptions(spreadsheet: SpreadsheetOptions(textColumn: "answers")))
        } throws: { error in
            guard case .noSuchColumn(_, .text, "answers", let columns)? = error as? CorpusError else { return false }
            return columns.starts(with: ["respondent", "region"])
                && "\(error)".contains("the text column 'answers' is not a column; the columns are 'respondent'")
        }
        #expect(
            throws: CorpusError.malformedDocument(
                path: "x.csv", format: "CSV", reason: "line 2: a quoted field is never closed")
        ) {
            try SpreadsheetReader.parse("a,text\n1,\"open\nstill open\n", delimiter: ",", path: "x.csv")
        }
        let semicolons = try SpreadsheetReader.parse(
            "id;text\n1;\"a; b\"\n", delimiter: SpreadsheetReader.guessDelimiter("id;text\n"), path: "y.csv")
        #expect(semicolons.map(\.fields) == [["id", "text"], ["1", "a; b"]])
    }

    // MARK: - Encodings

    @Test func encodingsAreDetected() throws {
        let gb = try one("interview-zh-gb18030.txt")
        #expect(gb.encoding == .gb18030 && gb.encodingDetected)
        #expect(gb.text == (try one("interview-zh.txt")).text)
        let big5 = try one("notes-big5.txt")
        #expect(big5.encoding == .big5)
        #expect(big5.text.hasPrefix("台北的創新生態系統依賴電子製造業。"))
        let western = try one("notes-cp1252.txt")
        #expect(western.encoding == .windows1252)
        #expect(western.text.hasPrefix("Café culture in Zürich is “strong” – and the naïve view of résumés"))
        let utf16 = try one("turn-utf16.txt")
        #expect(utf16.encoding == .utf16LE && !utf16.encodingDetected)
        #expect(utf16.text == "R1: The research base here is strong.\n")
    }

    @Test func aNamedEncodingIsUsedAndItsErrorsCarryTheOffset() throws {
        let latin1 = try one("notes-cp1252.txt", options: IngestOptions(encoding: .latin1))
        #expect(latin1.encoding == .latin1 && !latin1.encodingDetected)
        // Read as ISO-8859-1, Windows' curly quotes and dash are C1 controls, which hygiene removes.
        #expect(latin1.text == "Café culture in Zürich is strong  and the naïve view of résumés is wrong.\n")
        // "ok 一" in Big5, then two bytes Big5 does not define.
        let data = Data(Array("ok ".utf8) + [0xA4, 0x40, 0xFF, 0xFF])
        #expect(try TextDecoder.decode(data.prefix(5), path: "z.txt", encoding: .big5).text == "ok 一")
        #expect(throws: CorpusError.invalidEncoding(path: "z.txt", byteOffset: 5, detail: "byte 0xFF is not Big5")) {
            _ = try TextDecoder.decode(data, path: "z.txt", encoding: .big5)
        }
        let utf16WithoutMark = Data(Array("R1: ok".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(try TextDecoder.decode(utf16WithoutMark, path: "u.txt").text == "R1: ok")
        #expect(throws: CorpusError.self) {
            try TextDecoder.decode(Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]), path: "p.txt")
        }
    }

    // MARK: - Units

    @Test func unitsCutTurnsIntoParagraphsAndSentencesKeepingTheSpeaker() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(
            "t.txt", "---\nkind: interview\n---\nQ: Why?\n\nR1: First point. Second point.\n\nA new paragraph here.\n")
        func segments(_ unit: SegmentUnit) throws -> [SourceDocument] {
            let entry = CorpusReader.Entry(path: path, name: "t.txt")
            return try CorpusReader().read(entry, options: IngestOptions(unit: unit)).map {
                var document = $0
                Segmenter().segment(&document, options: IngestOptions(unit: unit))
                return document
            }
        }
        let turns = try #require(try segments(.turn).first)
        #expect(turns.segments.map(\.text) == ["Why?", "First point. Second point.\n\nA new paragraph here."])
        let paragraphs = try #require(try segments(.paragraph).first)
        #expect(paragraphs.segments.map(\.text) == ["Why?", "First point. Second point.", "A new paragraph here."])
        #expect(paragraphs.segments.map(\.speaker) == ["Q", "R1", "R1"])
        let sentences = try #require(try segments(.sentence).first)
        #expect(sentences.segments.map(\.text) == ["Why?", "First point.", "Second point.", "A new paragraph here."])
        #expect(sentences.segments.map(\.ordinal) == [0, 1, 2, 3])
        #expect(sentences.segments.map(\.isInterviewer) == [true, false, false, false])
        expectOffsetsHold(sentences)
    }

    // MARK: - Hostile containers

    @Test func officeFilesWithADTDOrAZipBombAreRefused() throws {
        let folder = try TemporaryDirectory()
        let doctype = Data(
            """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>
            """.utf8)
        let laughs = try folder.zip("laughs.docx", parts: ["word/document.xml": doctype])
        #expect {
            try CorpusReader().read(CorpusReader.Entry(path: laughs, name: "laughs.docx"))
        } throws: { error in
            "\(error)".contains("the part 'word/document.xml' declares a DTD, which is refused")
        }
        // 300 MB of zeros in one part: refused before it is unpacked.
        let bomb = try folder.zip("bomb.odt", parts: ["content.xml": Data(count: 300 << 20)])
        #expect {
            try CorpusReader().read(CorpusReader.Entry(path: bomb, name: "bomb.odt"))
        } throws: { error in
            "\(error)".contains("refused as a zip bomb")
        }
        let notZip = try folder.write("fake.docx", "plain text")
        #expect(
            throws: CorpusError.malformedDocument(path: notZip, format: "Word (.docx)", reason: "not a zip archive")
        ) {
            try CorpusReader().read(CorpusReader.Entry(path: notZip, name: "fake.docx"))
        }
    }
}
