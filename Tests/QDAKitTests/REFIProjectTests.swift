import Foundation
import GRDB
import QDACodebook
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// REFI-QDA projects (.qdpx): real exports of NVivo, MAXQDA, ATLAS.ti and a Python tool
/// import with the counts their README gives and the exact texts of known selections;
/// every known deviation from the standard has a hand-made file; exports validate
/// against the schema and come back unchanged; hostile archives are refused.
@Suite struct REFIProjectTests {
    static let root = Fixtures.repositoryRoot
    static let samples = root + "/../shared/refi-samples"

    // MARK: - Real exports

    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var documents: Int
        var codes: Int
        var codings: Int
        var sets = 0
        var memos = 0
        var coloured = 0
        var testDescription: String { file }
    }

    /// The counts of `../shared/refi-samples/README.md`: sources with text in the
    /// archive, codes, codings (selection × code), sets, notes, codes with a colour.
    static let expected: [Expected] = [
        Expected(
            file: "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx", documents: 2, codes: 152, codings: 297, coloured: 1),
        Expected(file: "nvivo-win-12.6_oltas.qdpx", documents: 1, codes: 60, codings: 97),
        Expected(file: "nvivo-mac-15.0_qc_project.qdpx", documents: 2, codes: 262, codings: 0),
        Expected(file: "maxqda-24.7_ICLS_just10.qdpx", documents: 10, codes: 307, codings: 0, sets: 2, coloured: 307),
        Expected(file: "atlasti-win-23.2_blank.qdpx", documents: 0, codes: 0, codings: 0),
        Expected(file: "atlasti-win-23.2_target.qdpx", documents: 0, codes: 3, codings: 0),
        // The A.2 example's sources are not in its archive: listed and skipped.
        Expected(
            file: "spec-A2-example_atlasti-8.4_TestProject.qdpx", documents: 0, codes: 14, codings: 0, sets: 16,
            memos: 2, coloured: 13),
        Expected(file: "qc-1.3.2_demo_nonconformant.qdpx", documents: 2, codes: 262, codings: 205),
    ]

    @Test(.requires(.refiSamples), arguments: expected)
    func everySampleImportsWithTheCountsOfItsREADME(expected: Expected) throws {
        let project = try Project.inMemory()
        let summary = try project.importREFI(path: Self.samples + "/" + expected.file)
        #expect(summary.documents == expected.documents)
        #expect(summary.codes == expected.codes)
        #expect(summary.codings == expected.codings)
        #expect(summary.sets == expected.sets)
        #expect(summary.memos == expected.memos)
        #expect(try project.count("SELECT COUNT(*) FROM document") == expected.documents)
        // A coding cut at segment bounds is one selection: count whole selections.
        #expect(
            try project.count(
                "SELECT COUNT(*) FROM (SELECT DISTINCT document_id, code_id, coder, selection_start, selection_end FROM coding)"
            ) == expected.codings)
        // Every stored part lies inside its segment and its selection.
        #expect(
            try project.count(
                """
                SELECT COUNT(*) FROM coding c JOIN segment s ON s.id = c.segment_id
                WHERE c.start_offset < s.start_offset OR c.end_offset > s.end_offset OR c.start_offset >= c.end_offset
                   OR c.start_offset < c.selection_start OR c.end_offset > c.selection_end
                """) == 0)
        let codebook = try project.currentCodebook()
        let codes =
            (codebook?.allCodes ?? []).filter { $0.guid != nil }.count
            + (codebook?.groups ?? []).filter { $0.guid != nil }.count
        #expect(codes == expected.codes)
        let coloured =
            (codebook?.allCodes ?? []).filter { $0.color != nil }.count
            + (codebook?.groups ?? []).filter { $0.color != nil }.count
        #expect(coloured == expected.coloured)
    }

    @Test(.requires(.refiSamples))
    func theTextsOfKnownNVivoSelectionsComeOutExactly() throws {
        struct Sample: Decodable {
            var sourceName: String
            var text: String
            var codeRef: [String]
        }
        struct File: Decodable { var samples: [String: [Sample]] }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.samples + "/expected-selections.json"))
        let file = try JSONDecoder().decode(File.self, from: data)
        #expect(file.samples.count == 2)
        for (name, samples) in file.samples.sorted(by: { $0.key < $1.key }) {
            let project = try Project.inMemory()
            let summary = try project.importREFI(path: Self.samples + "/" + name)
            #expect(summary.offsets == .utf16, "\(name)")
            let codebook = try #require(try project.currentCodebook())
            let keys = Dictionary(
                codebook.allCodes.compactMap { code in code.guid.map { ($0.lowercased(), code.key) } },
                uniquingKeysWith: { a, _ in a })
            for sample in samples {
                // CR LF is stored as LF.
                let expected = sample.text.replacingOccurrences(of: "\r\n", with: "\n")
                let found = try project.read { db in
                    try String.fetchAll(
                        db,
                        sql: """
                            SELECT DISTINCT k.key FROM coding c JOIN document d ON d.id = c.document_id
                            JOIN code k ON k.id = c.code_id
                            WHERE d.name = ? AND substr(d.text, c.selection_start + 1,
                                                        c.selection_end - c.selection_start) = ?
                            """, arguments: [sample.sourceName, expected])
                }
                #expect(!found.isEmpty, "\(name): «\(expected)» is not a coded selection")
                for ref in sample.codeRef {
                    #expect(found.contains(keys[ref.lowercased()] ?? "?"), "\(name): «\(expected)» lacks \(ref)")
                }
            }
            // Read as code points instead, the same selections shift off their words.
            let wrong = try Project.inMemory()
            let shifted = try wrong.importREFI(path: Self.samples + "/" + name, offsets: .codepoints)
            #expect(shifted.selectionsOnBoundaries < summary.selectionsOnBoundaries)
            let misplaced = try samples.filter { sample in
                try wrong.count(
                    """
                    SELECT COUNT(*) FROM coding c JOIN document d ON d.id = c.document_id
                    WHERE substr(d.text, c.selection_start + 1, c.selection_end - c.selection_start) = '\(
                        sample.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "'", with: "''"))'
                    """) == 0
            }
            #expect(misplaced.count == samples.count, "\(name)")
        }
    }

    // MARK: - Hand-made files for each known deviation

    /// A `.qde` around `body` (Users, CodeBook, Sources, ...), with a namespace and origin.
    static func qde(
        _ body: String, namespace: String? = "urn:QDA-XML:project:1.0", origin: String = "NVivo for Windows 12.6",
        name: String = "Study"
    ) -> Data {
        let xmlns = namespace.map { " xmlns=\"\($0)\"" } ?? ""
        return Data(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project\(xmlns) name=\"\(name)\" origin=\"\(origin)\">\n\(body)\n</Project>\n"
                .utf8)
    }

    static let users = """
        <Users><User guid="AAAAAAAA-0000-0000-0000-000000000001" name="Ann"/></Users>
        """
    static let codebook = """
        <CodeBook><Codes>
          <Code guid="C0DE0000-0000-0000-0000-000000000001" name="Technology" isCodable="true" color="rgb(255, 0, 128)">
            <Description>Technology factors</Description>
            <Code guid="C0DE0000-0000-0000-0000-000000000002" name="Base" isCodable="true" color="#abc"/>
          </Code>
          <Code guid="C0DE0000-0000-0000-0000-000000000003" name="Market" isCodable="true">
            <Code guid="C0DE0000-0000-0000-0000-000000000004" name="Demand" isCodable="true"/>
          </Code>
        </Codes></CodeBook>
        """

    /// A selection with one coding by Ann of `code` (a GUID written as given).
    static func selection(_ start: Int, _ end: Int, code: String = "c0de0000-0000-0000-0000-000000000002") -> String {
        """
        <PlainTextSelection guid="\(UUID().uuidString)" startPosition="\(start)" endPosition="\(end)" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
          <Coding guid="\(UUID().uuidString)" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"><CodeRef targetGUID="\(code)"/></Coding>
        </PlainTextSelection>
        """
    }

    func passages(_ project: Project) throws -> [String] {
        try project.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT substr(d.text, c.selection_start + 1, c.selection_end - c.selection_start)
                    FROM coding c JOIN document d ON d.id = c.document_id ORDER BY c.selection_start
                    """)
        }
    }

    @Test func nvivoCountsUTF16UnitsWithCRLFAsTwoAndNoByteOrderMark() throws {
        let folder = try TemporaryDirectory()
        // 😀 is two UTF-16 units; CR LF two units; the BOM none.
        let text = Data([0xEF, 0xBB, 0xBF]) + Data("Hi 😀\r\nWorld 😀 ok\r\nEnd".utf8)
        let source = """
            <Sources><TextSource guid="50000000-0000-0000-0000-000000000001" name="t" plainTextPath="internal://50000000-0000-0000-0000-000000000001.txt">
            \(Self.selection(7, 12))\(Self.selection(13, 18, code: "C0DE0000-0000-0000-0000-000000000004"))
            </TextSource></Sources>
            """
        let file = try folder.zip(
            "n.qdpx",
            parts: [
                "project.qde": Self.qde(Self.users + Self.codebook + source),
                "Sources/50000000-0000-0000-0000-000000000001.txt": text,
            ])
        let project = try Project.inMemory()
        let summary = try project.importREFI(path: file)
        #expect(summary.offsets == .utf16)
        #expect(try passages(project) == ["World", "😀 ok"])
        #expect(
            try project.read { db in try String.fetchOne(db, sql: "SELECT text FROM document") }
                == "Hi 😀\nWorld 😀 ok\nEnd")
        #expect(summary.coders == ["Ann"])

        // The same positions forced to code points land elsewhere; QualCoder's own
        // export (code points) of the same text is read right.
        let forced = try Project.inMemory()
        _ = try forced.importREFI(path: file, offsets: .codepoints)
        #expect(try passages(forced) != ["World", "😀 ok"])
        let qualcoder = try folder.zip(
            "q.qdpx",
            parts: [
                "project.qde": Self.qde(
                    Self.users + Self.codebook
                        + """
                        <Sources><TextSource guid="50000000-0000-0000-0000-000000000001" name="t" plainTextPath="internal://t.txt">
                        \(Self.selection(6, 11))</TextSource></Sources>
                        """, origin: "QualCoder 3.5"),
                "sources/t.txt": Data("Hi 😀\r\nWorld 😀 ok".utf8),
            ])
        let python = try Project.inMemory()
        #expect(try python.importREFI(path: qualcoder).offsets == .codepoints)
        #expect(try passages(python) == ["World"])
    }

    @Test(arguments: [
        "urn:QDA-XML:project:1.0", "urn:QDA-XML:project:1:0", "urn:QDA-XML:project:0:4",
        "urn:QDA-XML:project:0:10", nil,
    ])
    func namespaceVariantsAndOddContainersRead(namespace: String?) throws {
        let folder = try TemporaryDirectory()
        // A `<Name>.qde`, a plainTextPath without internal://, a source without a name,
        // GUIDs in braces and in the other case, a coding without creatingUser or guid.
        let source = """
            <Sources><TextSource guid="{50000000-0000-0000-0000-00000000000A}" plainTextPath="board.txt">
            <PlainTextSelection guid="51000000-0000-0000-0000-000000000001" startPosition="0" endPosition="5" creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
              <Coding><CodeRef targetGUID="{c0de0000-0000-0000-0000-000000000001}"/></Coding>
            </PlainTextSelection>
            </TextSource></Sources>
            """
        let file = try folder.zip(
            "odd.qdpx",
            parts: [
                "Study.qde": Self.qde(Self.users + Self.codebook + source, namespace: namespace, origin: "qc 1.3.2"),
                "sources/board.txt": Data("Board meeting notes.".utf8),
            ])
        let project = try Project.inMemory()
        let summary = try project.importREFI(path: file)
        #expect(summary.documents == 1)
        #expect(summary.codings == 1)
        #expect(summary.coders == ["Ann"])
        #expect(try passages(project) == ["Board"])
        #expect(try project.read { db in try String.fetchOne(db, sql: "SELECT name FROM document") } == "board")
        // Colours: rgb() and #RGB are kept as #RRGGBB.
        let codebook = try #require(try project.currentCodebook())
        #expect(codebook.groups.first?.color == "#FF0080")
        #expect(codebook.allCodes.first?.color == "#AABBCC")
    }

    @Test func emptyAndStraySelectionsAreReportedNotGuessed() throws {
        let folder = try TemporaryDirectory()
        let source = """
            <Sources><TextSource guid="50000000-0000-0000-0000-000000000001" name="t" plainTextPath="internal://t.txt">
            \(Self.selection(3, 3))\(Self.selection(2, 400))\(Self.selection(0, 5, code: "C0DE0000-0000-0000-0000-0000000000FF"))\(Self.selection(0, 5))
            </TextSource>
            <PictureSource guid="60000000-0000-0000-0000-000000000001" name="photo.jpg" path="internal://p.jpg"/>
            </Sources>
            """
        let file = try folder.zip(
            "z.qdpx",
            parts: [
                "project.qde": Self.qde(Self.users + Self.codebook + source),
                "sources/t.txt": Data("First paragraph.\n\nSecond one.".utf8),
            ])
        let project = try Project.inMemory()
        let summary = try project.importREFI(path: file)
        #expect(summary.codings == 1)
        let skipped = summary.skipped.joined(separator: "\n")
        #expect(skipped.contains("are empty (start = end)"))
        #expect(skipped.contains("reach past the end of their text"))
        #expect(skipped.contains("refer to a code not in the code tree"))
        #expect(skipped.contains("PictureSource 'photo.jpg': only text sources are imported"))
    }

    @Test func casesVariablesNotesAndSetsArrive() throws {
        let folder = try TemporaryDirectory()
        let body =
            Self.users + Self.codebook
                + """
                <Variables>
                  <Variable guid="70000000-0000-0000-0000-000000000001" name="Region" typeOfVariable="Text"/>
                  <Variable guid="70000000-0000-0000-0000-000000000002" name="role" typeOfVariable="Text"/>
                </Variables>
                <Cases>
                  <Case guid="80000000-0000-0000-0000-000000000001" name="深圳">
                    <SourceRef targetGUID="50000000-0000-0000-0000-000000000001"/>
                  </Case>
                  <Case guid="80000000-0000-0000-0000-000000000002" name="Firm A">
                    <VariableValue><VariableRef targetGUID="70000000-0000-0000-0000-000000000002"/><TextValue>founder</TextValue></VariableValue>
                    <SourceRef targetGUID="50000000-0000-0000-0000-000000000002"/>
                  </Case>
                </Cases>
                <Sources>
                  <TextSource guid="50000000-0000-0000-0000-000000000001" name="one" plainTextPath="internal://1.txt">
                    <PlainTextSelection guid="51000000-0000-0000-0000-000000000001" startPosition="0" endPosition="28" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
                      <Description>Spans both paragraphs.</Description>
                      <Coding guid="52000000-0000-0000-0000-000000000001" creatingUser="AAAAAAAA-0000-0000-0000-000000000001"><CodeRef targetGUID="C0DE0000-0000-0000-0000-000000000002"/></Coding>
                      <NoteRef targetGUID="90000000-0000-0000-0000-000000000003"/>
                    </PlainTextSelection>
                    <NoteRef targetGUID="90000000-0000-0000-0000-000000000001"/>
                  </TextSource>
                  <TextSource guid="50000000-0000-0000-0000-000000000002" name="two" plainTextPath="internal://2.txt">
                    <VariableValue><VariableRef targetGUID="70000000-0000-0000-0000-000000000001"/><TextValue>Zhejiang</TextValue></VariableValue>
                  </TextSource>
                </Sources>
                <Notes>
                  <Note guid="90000000-0000-0000-0000-000000000001" name="On one" creatingUser="AAAAAAAA-0000-0000-0000-000000000001"><PlainTextContent>A document note.</PlainTextContent></Note>
                  <Note guid="90000000-0000-0000-0000-000000000002" name="Project" creatingUser="AAAAAAAA-0000-0000-0000-000000000001"><PlainTextContent>Project note.</PlainTextContent></Note>
                  <Note guid="90000000-0000-0000-0000-000000000003" creatingUser="AAAAAAAA-0000-0000-0000-000000000001" plainTextPath="internal://n3.txt"/>
                </Notes>
                <Sets>
                  <Set guid="A0000000-0000-0000-0000-000000000001" name="Wave 1"><Description>First wave</Description>
                    <MemberCode targetGUID="C0DE0000-0000-0000-0000-000000000004"/>
                    <MemberSource targetGUID="50000000-0000-0000-0000-000000000001"/>
                    <MemberSource targetGUID="50000000-0000-0000-0000-000000000002"/>
                  </Set>
                </Sets>
                """
        let file = try folder.zip(
            "c.qdpx",
            parts: [
                "project.qde": Self.qde(body),
                "sources/1.txt": Data("Labs and universities.\n\nThey hire engineers.".utf8),
                "sources/2.txt": Data("Markets matter here.".utf8),
                "sources/n3.txt": Data("A note on the selection.".utf8),
            ])
        let project = try Project.inMemory()
        _ = try project.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        let summary = try project.importREFI(path: file)
        #expect(summary.documents == 2)
        let documents = try project.read { db in
            try Row.fetchAll(db, sql: "SELECT name, region FROM document ORDER BY name").map {
                "\($0["name"] as String)=\(($0["region"] as String?) ?? "-")"
            }
        }
        // The case 深圳 resolves in the gazetteer (to its province); the variable Region
        // gives Zhejiang.
        #expect(documents == ["one=Guangdong", "two=Zhejiang"])
        #expect(
            try project.read { db in
                try String.fetchAll(db, sql: "SELECT key || '=' || value FROM document_attribute ORDER BY key")
            } == ["case=Firm A", "role=founder"])
        // The selection spans two paragraphs: two parts, one coding.
        #expect(summary.codings == 1)
        #expect(try project.count("SELECT COUNT(*) FROM coding") == 2)
        #expect(try passages(project) == ["Labs and universities.\n\nThey"])
        let memos = try project.memos().map { "\($0.target):\($0.text)" }.sorted()
        #expect(
            memos == [
                "document:On one\n\nA document note.", "project:Project note.",
                "segment:A note on the selection.", "segment:Spans both paragraphs.",
            ])
        #expect(try project.count("SELECT COUNT(*) FROM item_set_member") == 3)
    }

    // MARK: - Export

    func xmllint(_ file: String, schema: String) throws -> (Bool, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProgramLocator.find("xmllint") ?? "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", schema, file]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus == 0, message)
    }

    /// A small coded project: demo codebook, two documents (one with an emoji), auto and
    /// human codings, memos of every kind, a region and an attribute.
    func codedProject(_ folder: TemporaryDirectory) throws -> Project {
        let project = try Project.create(at: folder.url("p.sqlite"))
        _ = try project.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        let corpus = folder.url("corpus")
        try folder.write(
            "corpus/shenzhen.md",
            "---\nregion: Shenzhen\nkind: interview\nrole: founder\n---\nA: Universities and labs 🧪 feed our R&D.\n\nB: Market demand is strong.\n"
        )
        try folder.write("corpus/notes.txt", "Zhejiang firms compete on cost & price <always>.\n")
        _ = try project.ingest(paths: [corpus])
        _ = try project.autoCode()
        try project.addCoding(
            .quote(document: nil, text: "Market demand is strong."), code: "market.orientation", coder: "ann")
        _ = try project.addMemo(.project, text: "Project memo", author: "ann")
        let shenzhen = try #require(
            try project.read { db in
                try String.fetchOne(db, sql: "SELECT name FROM document WHERE name LIKE '%shenzhen.md'")
            })
        _ = try project.addMemo(.document(shenzhen), text: "About Shenzhen", author: "ann")
        _ = try project.addMemo(.code("market.orientation"), text: "On demand", author: "bo")
        _ = try project.addMemo(.segment(1), text: "On the first turn", author: "bo")
        return project
    }

    @Test(.requires(.refiSamples, .xmllint))
    func theExportValidatesAgainstTheProjectSchema() throws {
        let folder = try TemporaryDirectory()
        let project = try codedProject(folder)
        let package = try ZipPackage(
            path: try folder.write("a.qdpx", data: try project.exportQDPX(origin: "qda test").archive), format: "test")
        let xml = try folder.write("project.qde", data: try #require(try package.read("project.qde")))
        let (valid, message) = try xmllint(xml, schema: Self.samples + "/schema/Project.xsd")
        #expect(valid, "\(message)")
    }

    @Test func theExportIsStableAndComesBackTheSame() throws {
        let folder = try TemporaryDirectory()
        let project = try codedProject(folder)
        let first = try project.exportQDPX(origin: "qda test")
        #expect(try project.exportQDPX(origin: "qda test").archive == first.archive)
        #expect(first.summary.documents == 2)
        #expect(first.summary.notes == 4)
        let file = try folder.write("a.qdpx", data: first.archive)
        let package = try ZipPackage(path: file, format: "test")
        let qde = String(decoding: try #require(try package.read("project.qde")), as: UTF8.self)
        #expect(qde.contains("name=\"qda auto-coder\""))
        #expect(qde.contains("R&amp;D"))
        #expect(!qde.contains("<always>"))
        #expect(qde.contains("codebook China regional innovation"))

        // Round trip: import into a new project and export again.
        let back = try Project.create(at: folder.url("b.sqlite"))
        let summary = try back.importREFI(path: file)
        #expect(summary.offsets == .utf16)
        #expect(summary.selectionsOnBoundaries == summary.selectionsChecked)
        #expect(summary.memos == 4)
        let again = try back.exportQDPX(origin: "qda test")
        let qde2 = String(
            decoding: try #require(
                try ZipPackage(path: try folder.write("b.qdpx", data: again.archive), format: "test").read(
                    "project.qde")), as: UTF8.self)
        func withoutDescription(_ xml: String) -> [String] {
            xml.split(separator: "\n").filter { !$0.contains("<Description>Exported by qda") }.map(String.init)
        }
        #expect(withoutDescription(qde2) == withoutDescription(qde))
        #expect(try back.codingRecords().map(\.text) == project.codingRecords().map(\.text))
        #expect(
            try back.read { db in try String.fetchAll(db, sql: "SELECT text FROM document ORDER BY name") }
                == project.read { db in try String.fetchAll(db, sql: "SELECT text FROM document ORDER BY name") })

        // Code points instead: the emoji shifts later positions by one, and the origin
        // says so, so the import reads them back right.
        let points = try project.exportQDPX(origin: "qda test", offsets: .codepoints)
        #expect(points.archive != first.archive)
        let third = try Project.inMemory()
        let read = try third.importREFI(path: try folder.write("c.qdpx", data: points.archive))
        #expect(read.offsets == .codepoints)
        #expect(try third.codingRecords().map(\.text) == project.codingRecords().map(\.text))
    }

    // MARK: - Safety

    func refusal(_ file: String) throws -> String {
        let project = try Project.inMemory()
        _ = try project.loadCodebook(path: Self.root + "/codebooks/china-regional-innovation.yaml")
        let before = try project.count("SELECT COUNT(*) FROM code")
        do {
            _ = try project.importREFI(path: file)
        } catch let error as any Error & CustomStringConvertible {
            // Untouched.
            #expect(try project.count("SELECT COUNT(*) FROM document") == 0)
            #expect(try project.count("SELECT COUNT(*) FROM code") == before)
            return error.description
        }
        Issue.record("\(file) was imported")
        return ""
    }

    @Test func hostileArchivesAreRefusedNamingTheEntry() throws {
        let folder = try TemporaryDirectory()
        let good = Self.qde(Self.users + Self.codebook)
        let slip = try folder.zip("slip.qdpx", parts: ["project.qde": good, "../evil.txt": Data("x".utf8)])
        #expect(try refusal(slip).contains("'../evil.txt' points outside the archive's folder (zip slip)"))
        let absolute = try folder.zip("abs.qdpx", parts: ["project.qde": good, "/tmp/evil.txt": Data("x".utf8)])
        #expect(try refusal(absolute).contains("points outside the archive's folder"))
        let link = try folder.zip("link.qdpx", parts: ["project.qde": good], symlinks: ["sources/x.txt": "/etc/passwd"])
        #expect(try refusal(link).contains("'sources/x.txt' is a symbolic link"))
        // 64 MiB of spaces deflate to about 64 KiB.
        let bomb = try folder.zip(
            "bomb.qdpx", parts: ["project.qde": good + Data(repeating: 0x20, count: 64 << 20)])
        #expect(try refusal(bomb).contains("refused as a zip bomb"))
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>
            """
        let entities = try folder.zip("laughs.qdpx", parts: ["project.qde": Data(laughs.utf8)])
        #expect(try refusal(entities).contains("declares a DTD"))
        let none = try folder.zip("none.qdpx", parts: ["readme.txt": Data("x".utf8)])
        #expect(try refusal(none).contains("holds no project.qde"))
        let notZip = try folder.write("plain.qdpx", "not a zip")
        #expect(try refusal(notZip).contains("not a zip archive"))
        let broken = try folder.zip("broken.qdpx", parts: ["project.qde": Data("<Project name='x'><Users>".utf8)])
        #expect(
            try refusal(broken).contains("ends before its Users element is closed")
                || refusal(broken).contains("not well-formed"))
        let badText = try folder.zip(
            "bad.qdpx",
            parts: [
                "project.qde": Self.qde(
                    "<Sources><TextSource guid=\"50000000-0000-0000-0000-000000000001\" name=\"t\" plainTextPath=\"internal://t.txt\"/></Sources>"
                ),
                "sources/t.txt": Data([0x41, 0xFF, 0x42]),
            ])
        #expect(try refusal(badText).contains("byte 1"))
    }

    @Test func aProjectWithDocumentsIsNotImportedInto() throws {
        let folder = try TemporaryDirectory()
        let project = try codedProject(folder)
        let file = try folder.write("a.qdpx", data: try project.exportQDPX(origin: "qda").archive)
        #expect(throws: QDAError.self) { try project.importREFI(path: file) }
    }
}
