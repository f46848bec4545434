import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// Bad and hostile inputs, generated here: each gives a clear message naming the file,
/// a non-zero exit (or a line in the skipped-file report of a batch), and leaves the
/// project with only what was good. `QDA_HOSTILE_FULL=1` uses the full sizes (a 200 MB
/// single-line file, 100,000 tiny files); the default sizes keep `swift test` quick.
@Suite struct HostileInputTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let formats = here.path + "/QDAKitTests/Fixtures/formats"
    static let root = here.deletingLastPathComponent().path
    static let full = ProcessInfo.processInfo.environment["QDA_HOSTILE_FULL"] == "1"

    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
    }

    /// The parts of a fixture archive, to rebuild it with something added.
    func parts(of fixture: String) throws -> [String: Data] {
        let package = try ZipPackage(path: Self.formats + "/" + fixture, format: "test")
        var parts: [String: Data] = [:]
        for name in package.fileNames { parts[name] = try package.read(name) }
        return parts
    }

    @Test func aBatchOfBadFilesIsReportedFileByFileAndTheGoodOnesStored() throws {
        let docx = try parts(of: "interview.docx")
        let pdf = try Data(contentsOf: URL(fileURLWithPath: Self.formats + "/interview.pdf"))
        let chinese = String(repeating: "技术创新与市场需求。", count: 40)
        var bad: [String: String] = [:]  // file → a part of the message expected for it
        func add(_ name: String, _ data: Data, _ message: String) throws {
            try folder.write("in/" + name, data: data)
            bad[name] = message
        }
        try add("empty.txt", Data(), "it holds no text")
        try add("blank.md", Data("---\nregion: Beijing\n---\n \n\n".utf8), "it holds no text")
        try add("random.txt", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }), "NUL byte")
        try add(
            "truncated.docx", try Data(contentsOf: URL(fileURLWithPath: Self.formats + "/interview.docx")).prefix(700),
            "not a zip archive")
        try add(
            "slip.docx",
            try Data(
                contentsOf: URL(
                    fileURLWithPath: folder.zip(
                        "s.zip", parts: docx.merging(["../../evil.sh": Data("rm -rf ~".utf8)]) { a, _ in a }))),
            "zip slip")
        try add(
            "bomb.docx",
            try Data(
                contentsOf: URL(
                    fileURLWithPath: folder.zip(
                        "b.zip", parts: docx.merging(["word/document.xml": Data(count: 300 << 20)]) { _, b in b }))),
            "zip bomb")
        let laughs = Data(
            "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document>&b;</w:document>"
                .utf8)
        try add(
            "laughs.docx",
            try Data(
                contentsOf: URL(
                    fileURLWithPath: folder.zip(
                        "l.zip", parts: docx.merging(["word/document.xml": laughs]) { _, b in b }))), "DTD")
        try add(
            "garbage.odt",
            try Data(
                contentsOf: URL(
                    fileURLWithPath: folder.zip(
                        "g.zip",
                        parts: [
                            "content.xml": Data("<office:document-content><unclosed>".utf8),
                            "mimetype": Data("application/vnd.oasis.opendocument.text".utf8),
                        ]))), "it ends before its unclosed element is closed")
        // Without pdftotext the file is still reported, as needing it.
        try add(
            "truncated.pdf", pdf.prefix(pdf.count / 3),
            Requirement.pdftotext.isMet || Requirement.underCI ? "PDF" : "needs `pdftotext`")
        for offset in [0, 601, chinese.utf8.count - 1] {
            var bytes = [UInt8](chinese.utf8)
            bytes[offset] = 0xFF
            // Reported at the start of the character the damaged byte is in (3 bytes each).
            try add("broken-utf8-\(offset).txt", Data(bytes), "at byte \(offset - offset % 3)")
        }
        try add(
            "wrong-types.md", Data("---\nregion: [Beijing, Shanghai]\n---\nText.\n".utf8), "takes one value, not a list"
        )
        try add("mapping.md", Data("---\ndate: {year: 2020}\n---\nText.\n".utf8), "must be a single value or a list")
        // Good files, with names a shell would trip over.
        let good = ["my interview 1.txt", "访谈 二.md", "$(rm -rf x);`id` & 'q'.txt", "-dash.txt"]
        for name in good {
            try folder.write("in/" + name, "\(name): universities and labs matter. 技术创新很重要。\n\nSecond paragraph.\n")
        }

        let result = try qda.run(["ingest", "in", "--project", "p.sqlite"], in: folder.path)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("\(bad.count) files not ingested"))
        for (name, message) in bad.sorted(by: { $0.key < $1.key }) {
            let line = result.stderr.split(separator: "\n").first { $0.contains("/in/" + name) }
            #expect(line?.contains(message) == true, "\(name): \(line ?? "not reported")\n\(result.stderr)")
        }
        let project = try Project.open(at: folder.url("p.sqlite"))
        let names = try project.read { db in try String.fetchAll(db, sql: "SELECT source FROM document ORDER BY source")
        }
        #expect(Set(names.map { URL(fileURLWithPath: $0).lastPathComponent }) == Set(good))
        #expect(try project.check().allSatisfy(\.ok))
        // A file of a type qda does not read, named on the command line.
        try folder.write("notes.xyz", "text")
        let unknown = try qda.run(["ingest", "notes.xyz", "--project", "p.sqlite"], in: folder.path)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("notes.xyz: files of type '.xyz' cannot be ingested"))
    }

    @Test func hugeAndManyInputsIngestInBoundedSteps() throws {
        // One line of many megabytes: one segment, counted and searchable.
        let megabytes = Self.full ? 200 : 12
        let line = String(repeating: "market demand grows while universities train engineers ", count: 1 << 14)
        var data = Data()
        while data.count < megabytes << 20 { data.append(contentsOf: line.utf8) }
        try folder.write("big/line.txt", data: data)
        let big = try qda.run(["ingest", "big", "--project", "big.sqlite"], in: folder.path)
        #expect(big.status == 0, "\(big.stderr)")
        let project = try Project.open(at: folder.url("big.sqlite"))
        #expect(try project.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment") } == 1)

        // Many tiny files.
        let count = Self.full ? 100_000 : 2_000
        for index in 0..<count { try folder.write("many/\(index / 1000)/f\(index).txt", "File \(index) on markets.\n") }
        let many = try qda.run(["ingest", "many", "--project", "many.sqlite"], in: folder.path)
        #expect(many.status == 0, "\(many.stderr)")
        #expect(many.stderr.contains("\(count) added"))
    }

    @Test func hostileCodebooksAndArchivesAreRefusedWithTheirFile() throws {
        #expect(try qda.run(["init", "--project", "p.sqlite"], in: folder.path).status == 0)
        try folder.write("deep.yaml", "codebook: x\ngroups: " + String(repeating: "[", count: 50_000) + "\n")
        try folder.write(
            "regex.yaml",
            """
            codebook: x
            groups:
              - key: g
                label: G
                codes:
                  - key: c
                    label: C
                    regex: "(a+)+$"
            """)
        try folder.write("binary.yaml", data: Data([0x00, 0xFF, 0xFE, 0x00, 0x01]))
        for (file, message) in [
            ("deep.yaml", "Maximum nesting level"), ("regex.yaml", "unknown field 'regex'"),
            ("binary.yaml", "binary.yaml"),
        ] {
            let result = try qda.run(["codebook", "load", file, "--project", "p.sqlite"], in: folder.path)
            #expect(result.status == 1, "\(file)")
            #expect(result.stderr.contains(message), "\(file): \(result.stderr)")
        }
        let slip = try folder.zip(
            "slip.qdpx",
            parts: [
                "project.qde": Data("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"/>".utf8),
                "sources/../../../etc/cron.d/x": Data("x".utf8),
            ])
        let result = try qda.run(["import", slip, "--project", "new.sqlite"], in: folder.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("zip slip"))
        #expect(!FileManager.default.fileExists(atPath: folder.url("new.sqlite")))
    }
}
