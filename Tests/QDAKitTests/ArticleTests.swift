import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDACorpus
@testable import QDAKit

/// Literature read as literature: three articles written for the purpose (English with a
/// German summary, Chinese, an English working paper), laid out by LibreOffice as journal
/// pages with running headers, captions, tables and reference lists, and read as the PDF
/// and as the text `pdftotext` and `pdftotext -layout` give of it
/// (`Fixtures/articles/make_articles.py`).
@Suite struct ArticleTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/articles"
    static let root = Fixtures.repositoryRoot

    /// What each article holds, as its `.article` source says.
    struct Article: Sendable, CustomStringConvertible {
        var name: String
        var figure: String
        var table: String
        var tableSource: String
        var referencesHeading: String
        var references: Int
        var runningHeader: String
        /// Sentences of the body that must come out whole (joined across lines and pages).
        var sentences: [String]
        var description: String { name }
    }

    static let articles = [
        Article(
            name: "erde-regions", figure: "Fig. 1 Location of the six study regions in China",
            table: "Tab. 1 Factor patterns of the six regions", tableSource: "Source: own compilation",
            referencesHeading: "References", references: 5, runningHeader: "DIE ERDE",
            sentences: [
                "Beijing relies on public research and directives, whereas entrepreneurs in Shenzhen compete hard "
                    + "and respond to the demands of price-sensitive customers.",
                "Both have a strong market orientation, but the kind of innovation differs.",
            ]),
        Article(
            name: "zh-regions", figure: "图 1 六个研究区域的位置", table: "表 1 六个区域的因素格局",
            tableSource: "资料来源：作者根据", referencesHeading: "参考文献", references: 3, runningHeader: "地理研究",
            sentences: ["北京的需求很大，但客户主要是国有企业和政府机关。", "贵州的收入水平较低，本地市场机会很少。"]),
        Article(
            name: "working-paper", figure: "Figure 1: Number of Taobao villages by province",
            table: "Table 2: Selected indicators of the three provinces", tableSource: "Notes: GDP at current prices.",
            referencesHeading: "References", references: 3, runningHeader: "Working Paper Series",
            sentences: ["The village shops copy each other, and competition among neighbours keeps prices low."]),
    ]

    static let textFiles = articles.flatMap { [($0, $0.name + ".txt"), ($0, $0.name + "-layout.txt")] }.map {
        ArticleFile(article: $0.0, file: $0.1)
    }
    static let pdfFiles = articles.map { ArticleFile(article: $0, file: $0.name + ".pdf") }

    struct ArticleFile: Sendable, CustomStringConvertible {
        var article: Article
        var file: String
        var description: String { file }
    }

    /// The document read and cut as `ingest` cuts it.
    func read(_ file: String, options: IngestOptions = IngestOptions()) throws -> SourceDocument {
        let entry = CorpusReader.Entry(path: Self.folder + "/" + file, name: file)
        var document = try #require(try CorpusReader().read(entry, options: options).first)
        Segmenter().segment(&document, options: options)
        return document
    }

    func check(_ item: ArticleFile) throws {
        let article = item.article
        let document = try read(item.file)
        let segments = document.segments
        #expect(document.reading?.form == .prose)
        #expect(document.kind == .other)
        // No caption, heading or field is read as a speaker.
        #expect(segments.allSatisfy { $0.speaker == nil })
        func texts(_ role: SegmentRole) -> [String] { segments.filter { $0.role == role }.map(\.text) }
        // Headings of their own, the reference list's among them.
        #expect(texts(.heading).contains(article.referencesHeading))
        // The figure's caption with its source; the table with its caption and source.
        #expect(texts(.caption).contains { $0.hasPrefix(article.figure) })
        let table = try #require(texts(.table).first)
        #expect(table.hasPrefix(article.table))
        #expect(table.contains(article.tableSource))
        // The reference list: kept, one segment an entry, not coded.
        let references = segments.filter { $0.role == .reference }
        #expect(references.count == article.references, "\(texts(.reference))")
        #expect(references.allSatisfy { !$0.isCounted })
        // Evidence is sentences: whole, never a running header, a caption or a reference.
        let sentences = segments.filter { $0.role == .sentence }
        #expect(sentences.count >= 15)
        #expect(sentences.allSatisfy { $0.isCounted })
        for sentence in article.sentences {
            #expect(sentences.contains { $0.text == sentence }, "\(sentence)")
        }
        for text in sentences.map(\.text) {
            #expect(!text.contains(article.runningHeader), "\(text)")
            #expect(!text.contains(article.figure) && !text.contains(article.table))
            #expect(!text.contains(article.tableSource))
        }
        // Every sentence knows its paragraph, and the offsets select the stored text.
        #expect(sentences.allSatisfy { $0.block != nil })
        let scalars = Array(document.text.unicodeScalars)
        for segment in segments {
            #expect(String(String.UnicodeScalarView(scalars[segment.start..<segment.end])) == segment.text)
        }
    }

    @Test(arguments: textFiles) func theTextPdftotextGivesIsReadAsAnArticle(_ item: ArticleFile) throws {
        try check(item)
    }

    @Test(.requires(.pdftotext), arguments: pdfFiles) func thePDFIsReadAsAnArticle(_ item: ArticleFile) throws {
        try check(item)
    }

    @Test func hardWrappedLinesAreJoinedAndHyphensMendedButCompoundsKept() throws {
        let document = try read("erde-regions-layout.txt")
        #expect(document.reading?.hyphensMended ?? 0 > 0)
        #expect((document.reading?.runningLinesDropped ?? 0) >= 4)
        let text = document.text
        for compound in ["price-sensitive", "state-owned", "government-led", "market-related"] {
            #expect(text.contains(compound), "\(compound)")
        }
        // Broken at line ends in the layout, whole here.
        for word in ["metropolises", "technological", "development"] { #expect(text.contains(word)) }
        #expect(!text.contains("DIE ERDE · Vol. 148"))
        // Pages are kept: the last reference is on the last page.
        #expect(document.segments.last?.page == 4)
    }

    @Test func repairRulesOnSmallCases() {
        let words: Set<String> = ["market", "oriented", "supply", "chain"]
        #expect(ProseRepair.keepsHyphen("market", "oriented", firstIsUpper: false, words: words))
        #expect(!ProseRepair.keepsHyphen("mar", "ket", firstIsUpper: false, words: words))
        #expect(ProseRepair.keepsHyphen("Sino", "German", firstIsUpper: true, words: words))
        #expect(!ProseRepair.keepsHyphen("sup", "ply", firstIsUpper: false, words: words))
        // Page numbers and a running header on three pages, a paragraph across a page break.
        let pages = [
            "Regional innovation working paper\nThe first paragraph runs over\ntwo lines and ends here.\n1\n",
            "Regional innovation working paper\nA second paragraph is cut by the\n2\n",
            "Regional innovation working paper\npage break and goes on in lower case.\n3\n",
        ]
        let paged = CorpusReader.pagedText(pages.joined(separator: "\u{0C}"))
        #expect(paged.pageBreaks.count == 2)
        let repaired = ProseRepair.repair(paged.text, pageBreaks: paged.pageBreaks)
        #expect(
            repaired.text
                == "The first paragraph runs over two lines and ends here.\n\n"
                + "A second paragraph is cut by the page break and goes on in lower case.")
        #expect(repaired.summary.runningLinesDropped == 6)
        #expect(repaired.pageBreaks.count == 2)
        // Text with one paragraph a line is not hard-wrapped, and is left alone.
        #expect(!ProseRepair.isHardWrapped("One paragraph.\nAnother paragraph.\nA third.\nA fourth.\nFive.\nSix.\n"))
    }

    @Test func captionsSourcesAndSummariesAreNoSpeakers() {
        let text = """
            Summary: Beijing relies on public research.

            Fig. 1: Innovation in six regions

            Source: own survey

            Tab. 1: Ratings

            Note: ratings from interviews.

            Zusammenfassung: Peking stützt sich auf Forschung.

            资料来源：作者整理

            图1：区域位置
            """
        #expect(!Segmenter().isTranscript(text, kind: .other))
        let segments = Segmenter().segments(of: text, kind: .other)
        #expect(segments.allSatisfy { $0.speaker == nil })
        #expect(segments.map(\.role).contains(.caption))
        #expect(segments.map(\.role).contains(.table))
    }

    @Test func literatureNeverReadsTurns() {
        let dialogue = "Q: One?\nA: Yes.\nQ: Two?\nA: No.\n"
        #expect(Segmenter().isTranscript(dialogue, kind: .other))
        #expect(Segmenter().isTranscript(dialogue, kind: .interview))
        #expect(!Segmenter().isTranscript(dialogue, kind: .literature))
    }

    /// An article copied from a web page: one paragraph a line, no blank lines, a table
    /// whose cells are one space apart. The table's rows stay with its caption and source,
    /// out of the evidence, and the sections are headings.
    @Test func anArticleCopiedFromAWebPageIsReadByItsParts() throws {
        let document = try read("web-article.txt")
        func texts(_ role: SegmentRole) -> [String] { document.segments.filter { $0.role == role }.map(\.text) }
        #expect(document.reading?.form == .prose)
        let table = try #require(texts(.table).first)
        #expect(table.hasPrefix("Table 1: Interviews by region"))
        #expect(table.contains("Shenzhen 12 4 4") && table.hasSuffix("Source: own survey."))
        #expect(!document.segments.contains { $0.role.isEvidence && $0.text.contains("8 6 6") })
        #expect(texts(.heading).contains("3. Findings") && texts(.heading).contains("References"))
        #expect(texts(.reference).count == 2)
        #expect(texts(.keywords) == ["Keywords: regional innovation; China; Shenzhen; Beijing"])
        #expect(texts(.caption) == ["Note: All names have been changed."])
        #expect(
            texts(.sentence).contains(
                "Entrepreneurs in Shenzhen compete hard and respond quickly to customer demand."))
    }

    /// A Chinese journal article as `pdftotext` gives it: pages ending in form feeds, the
    /// journal's header on every page, lines running to the margin without spaces, the
    /// abstract opening with its label ("摘要：…"), a table with one-space cells.
    @Test func aChineseJournalArticleKeepsItsAbstractAsEvidence() throws {
        let document = try read("zh-journal-pdftotext.txt")
        func texts(_ role: SegmentRole) -> [String] { document.segments.filter { $0.role == role }.map(\.text) }
        #expect(document.reading?.form == .prose)
        // The title, authors and affiliation are headings; the abstract is evidence, by sentence.
        #expect(texts(.heading).contains { $0.hasPrefix("中国区域创新模式比较") })
        #expect(texts(.heading).contains { $0.contains("北京大学城市与环境学院") })
        #expect(texts(.sentence).contains("摘要：本文比较了北京和深圳的区域创新模式。"))
        #expect(texts(.sentence).contains("北京依靠高校和科研院所，深圳依靠民营企业和完整的供应链。"))
        // The running header is dropped from pages 2 and 3, the table keeps its rows and source.
        #expect(!document.text.contains("地理研究  第38卷 第5期\n"))
        #expect(texts(.table).first?.hasSuffix("资料来源：作者调查。") == true)
        #expect(texts(.table).first?.contains("深圳 12 4 4") == true)
        #expect(texts(.heading).contains("参考文献"))
        #expect(document.segments.first { $0.text.hasPrefix("4 结论") }?.page == 3)
    }

    /// A manual's or specification's field labels recur too, but they are many, most used
    /// once or twice, and name fields, not people.
    @Test func aManualsFieldLabelsAreNoSpeakers() {
        var manual = "3 Function reference\n\n"
        for name in ["asn1_parser2tree", "asn1_create_element", "asn1_read_value", "asn1_write_value"] {
            manual += "\(name)\n\nReads the definitions and builds the structure.\n"
            manual += "Returns: ASN1_SUCCESS if the file has a correct syntax.\n\n"
        }
        manual += "Usage: asn1Parser [option] file\n\n"
        for type in [
            "INTEGER", "ENUMERATED", "BOOLEAN", "OBJECT IDENTIFIER", "UTCTime", "GeneralizedTime", "OCTET STRING",
            "GeneralString", "BIT STRING", "CHOICE", "ANY", "SEQUENCE OF", "SET OF",
        ] {
            manual += "\(type): the value is written as a string.\n"
        }
        manual += "\nAppendix A: Copying conditions.\nAppendix B: The GNU licence.\n"
        let (segments, dialogue, transcript) = Segmenter().read(manual, kind: .other)
        #expect(!transcript, "\(dialogue.turnsBySpeaker)")
        #expect(segments.allSatisfy { $0.speaker == nil })
        // A focus group of a moderator and five participants is still a transcript.
        var group = ""
        for round in 0..<3 {
            group += "Moderator: Question \(round)?\n"
            for person in ["Ann", "Bo", "Chen", "Dai", "Eva"] { group += "\(person): Answer \(round).\n" }
        }
        #expect(Segmenter().isTranscript(group, kind: .other))
    }

    @Test func alternatingTurnsWithoutFrontMatterAreAnInterview() throws {
        let folder = try TemporaryDirectory()
        let project = try Project.inMemory()
        _ = try project.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        _ = try project.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        try folder.write(
            "talk.txt",
            """
            Interviewer: Did the company ever move to Shenzhen?
            Founder: No, we never moved to Shenzhen. The universities here train our engineers.
            Interviewer: And your customers?
            Founder: Mostly state-owned firms; demand is large.
            """)
        let summary = try project.ingest(
            paths: [folder.url("talk.txt")], options: IngestOptions(defaults: ["region": "Beijing"]), autoCode: true)
        let reading = try #require(summary.readings.first)
        #expect(reading.form == .transcript && reading.kindInferred && reading.kind == .interview)
        #expect(reading.description.hasPrefix("transcript: 2 speakers, 4 turns"))
        #expect(try project.count("SELECT COUNT(*) FROM document WHERE kind = 'interview'") == 1)
        // The interviewer's turns are not coded, and the respondent's turn stays in the
        // interview's region: the place they never moved to gets nothing.
        #expect(
            try project.count(
                "SELECT COUNT(*) FROM coding JOIN segment ON segment.id = coding.segment_id WHERE segment.speaker = 'Interviewer'"
            ) == 0)
        #expect(try project.count("SELECT COUNT(*) FROM segment_region WHERE region = 'Guangdong'") == 0)
        #expect(try project.count("SELECT COUNT(*) FROM segment_region WHERE region = 'Beijing'") == 2)
    }

    @Test func ingestSaysHowEachDocumentWasRead() throws {
        let project = try Project.inMemory()
        var options = IngestOptions(unit: .turn)
        options.unitGiven = true
        let summary = try project.ingest(paths: [Self.folder + "/working-paper.txt"], options: options)
        let reading = try #require(summary.readings.first)
        #expect(reading.noTurnsForUnit)
        let description = reading.description
        #expect(description.hasPrefix("prose: 6 paragraphs in 19 sentences"), "\(description)")
        #expect(description.contains("references (not coded)"))
        #expect(description.contains("no speaker turns, so the turn unit cuts it as prose"))
        #expect(reading.describe(turnUnit: "--unit turn").contains("no speaker turns, so --unit turn cuts it as prose"))
    }

    /// Every transcript of the demo corpus and of the gold standard is still read as a
    /// transcript, one turn per labelled line.
    @Test func theCorpusTranscriptsAreStillTranscripts() throws {
        let corpus = Self.root + "/corpus"
        let files = try FileManager.default.subpathsOfDirectory(atPath: corpus).filter {
            $0.hasSuffix(".txt") && !$0.hasPrefix("literature/")
        }
        // 24 of the demo corpus, 16 of the gold standard (corpus/gold/dev and test).
        #expect(files.count == 40)
        for file in files {
            let document = try read("../../../../corpus/" + file)
            #expect(document.reading?.form == .transcript, "\(file)")
            let labelled = document.text.split(separator: "\n").filter { line in
                line.range(of: #"^(\[[0-9:.]+\] )?[^:：]{1,40}[:：]"#, options: .regularExpression) != nil
            }
            #expect(document.segments.filter { $0.role == .turn }.count == labelled.count, "\(file)")
        }
    }
}
