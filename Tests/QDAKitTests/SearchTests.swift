import QDAKitTestSupport
import Testing

@testable import QDAKit

/// Full-text search: Chinese terms of any length, Latin words and prefixes, phrases,
/// exclusions, and an index that follows re-ingested documents.
@Suite struct SearchTests {
    let folder: TemporaryDirectory
    let project: Project

    init() throws {
        folder = try TemporaryDirectory()
        project = try Project.inMemory()
        try folder.write("c/zh.txt", "技术创新很重要。我们做AI芯片。\n\n市场很大。\n")
        try folder.write(
            "c/en.txt", "Innovation drives innovative firms.\n\nTechnology transfer is slow.\n\nTechnology is cheap.\n")
        // Paragraphs, not sentences: a segment of two sentences is searched whole.
        _ = try project.ingest(paths: [folder.url("c")], options: IngestOptions(unit: .paragraph))
    }

    func search(_ query: String) throws -> [SegmentListing] {
        var filter = SegmentFilter()
        filter.query = query
        return try project.findSegments(filter).segments
    }

    /// The marked passages of a listing.
    func marked(_ segment: SegmentListing) -> [String] {
        let scalars = Array(segment.text.unicodeScalars)
        return (segment.marks ?? []).map {
            String(String.UnicodeScalarView(scalars[($0.start - segment.start)..<($0.end - segment.start)]))
        }
    }

    @Test func chineseTermsOfAnyLengthAreFoundInsideWords() throws {
        let found = try search("创新")
        #expect(found.map(\.text) == ["技术创新很重要。我们做AI芯片。"])
        #expect(marked(found[0]) == ["创新"])
        #expect(try search("市").map(\.text) == ["市场很大。"])
        // Latin next to CJK, and full-width forms folded.
        #expect(try marked(search("AI芯片")[0]) == ["AI芯片"])
        #expect(try search("ＡＩ芯片").count == 1)
        #expect(try search("创新重要").isEmpty)
    }

    @Test func latinWordsPrefixesPhrasesAndExclusions() throws {
        #expect(try search("innovation").map(\.text) == ["Innovation drives innovative firms."])
        #expect(try marked(search("innovation")[0]) == ["Innovation"])
        #expect(try marked(search("innov*")[0]) == ["Innovation", "innovative"])
        #expect(try search("innov").isEmpty)
        #expect(try search("\"technology transfer\"").map(\.text) == ["Technology transfer is slow."])
        #expect(try search("technology -transfer").map(\.text) == ["Technology is cheap."])
        #expect(try search("technology NOT cheap").map(\.text) == ["Technology transfer is slow."])
        #expect(try search("cheap OR 市场").count == 2)
        #expect(throws: QDAError.self) { try search("-technology") }
        #expect(throws: QDAError.self) { try search("\"open") }
        #expect(throws: QDAError.self) { try search("a (") }
    }

    @Test func theIndexFollowsReingestedDocuments() throws {
        #expect(try search("cheap").count == 1)
        try folder.write("c/en.txt", "Technology is expensive now.\n")
        _ = try project.ingest(paths: [folder.url("c")])
        #expect(try search("cheap").isEmpty)
        #expect(try search("expensive").count == 1)
        // Every segment is indexed once.
        #expect(try project.count("SELECT COUNT(*) FROM segment_fts") == project.count("SELECT COUNT(*) FROM segment"))
    }

    @Test func wordsCountLatinRunsAndEachCJKCharacter() {
        #expect(FullText.wordCount("The R&D is leading.") == 5)
        #expect(FullText.wordCount("研发很强。") == 4)
        #expect(FullText.wordCount("5G技术 and AI芯片") == 7)
        #expect(FullText.wordCount("") == 0)
    }
}
