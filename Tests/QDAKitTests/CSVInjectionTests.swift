import Foundation
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// CSV cells a spreadsheet would run as formulas are neutralised, numbers kept, and the
/// Codings CSV import reads them back as written.
@Suite struct CSVInjectionTests {
    @Test func formulaCellsAreNeutralisedAndReadBack() throws {
        #expect(TextTable.csvField("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(TextTable.csvField("+cmd") == "'+cmd")
        #expect(TextTable.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(TextTable.csvField("- a bullet") == "'- a bullet")
        #expect(TextTable.csvField("-0.5") == "-0.5")
        #expect(TextTable.csvField("+1") == "+1")
        #expect(TextTable.csvField("--") == "--")
        #expect(TextTable.csvField("++") == "++")
        #expect(TextTable.csvField("plain") == "plain")
        #expect(TextTable.unneutralized("'=1+1") == "=1+1")
        #expect(TextTable.unneutralized("'quoted") == "'quoted")

        let folder = try TemporaryDirectory()
        let project = try Project.inMemory()
        _ = try project.loadCodebook(path: REFIProjectTests.root + "/codebooks/china-regional-innovation.yaml")
        try folder.write("corpus/a.txt", "=cmd|' /C calc'!A0 is what the attacker wrote.\n\nSecond paragraph.\n")
        _ = try project.ingest(paths: [folder.url("corpus")])
        try project.addCoding(
            .quote(document: nil, text: "=cmd|' /C calc'!A0"), code: "market.orientation", coder: "ann",
            memo: "@risk")
        let csv = CodingCSV.render(try project.codingRecords())
        #expect(csv.contains(",'@risk,"))
        #expect(csv.contains("'=cmd|"))
        let other = try Project.inMemory()
        _ = try other.loadCodebook(path: REFIProjectTests.root + "/codebooks/china-regional-innovation.yaml")
        _ = try other.ingest(paths: [folder.url("corpus")])
        let summary = try other.importCodings(path: try folder.write("c.csv", csv), defaultCoder: nil)
        #expect(summary.added == 1)
        #expect(try other.codingRecords().map(\.memo) == ["@risk"])
        #expect(try other.codingRecords().map(\.text) == ["=cmd|' /C calc'!A0"])
    }
}
