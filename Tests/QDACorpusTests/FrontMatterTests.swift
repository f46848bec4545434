import QDAKitTestSupport
import Testing

@testable import QDACorpus

@Suite struct FrontMatterTests {
    @Test func readsFieldsAndBody() throws {
        let text = "---\nregion: Beijing\nkind: interview\ntopics: [R&D, talent]\nyear: 2017\n---\nQ: Hello\n"
        let parsed = try FrontMatter.parse(text, path: "a.txt")
        #expect(parsed.fields == ["region": "Beijing", "kind": "interview", "topics": "R&D; talent", "year": "2017"])
        #expect(parsed.body == "Q: Hello\n")
        #expect(parsed.lines["kind"] == 3)
    }

    @Test func textWithoutFrontMatterIsAllBody() throws {
        let parsed = try FrontMatter.parse("Just text\n---\n", path: "a.txt")
        #expect(parsed.fields.isEmpty)
        #expect(parsed.body == "Just text\n---\n")
    }

    @Test func unclosedFrontMatterIsAnErrorOnLineOne() {
        #expect(
            throws: CorpusError.frontMatter(
                path: "a.txt", line: 1, message: "the opening '---' has no closing '---' line.")
        ) { try FrontMatter.parse("---\nregion: Beijing\nno end", path: "a.txt") }
    }

    @Test func yamlErrorsPointAtTheFileLine() {
        do {
            _ = try FrontMatter.parse("---\nregion: Beijing\ntitle: [unclosed\n---\nbody", path: "a.txt")
            Issue.record("expected an error")
        } catch let CorpusError.frontMatter(path, line, _) {
            #expect(path == "a.txt")
            #expect(line >= 3)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func nestedMappingsAreRefusedWithTheirLine() {
        #expect(
            throws: CorpusError.frontMatter(
                path: "a.txt", line: 3, message: "'people' must be a single value or a list, not a mapping.")
        ) { try FrontMatter.parse("---\nregion: X\npeople:\n  a: b\n---\n", path: "a.txt") }
    }

    @Test func aWrongKindNamesTheAllowedValues() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("a.txt", "---\nkind: podcast\n---\ntext")
        #expect(
            throws: CorpusError.frontMatter(
                path: path, line: 2, message: "kind 'podcast' is not one of interview, literature, statistics, other.")
        ) { try CorpusReader().read(CorpusReader.Entry(path: path, name: "a.txt")) }
    }
}
