import Foundation
import QDACodebook
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// REFI-QDA codebooks (.qdc): what qda writes validates against the standard's schema and
/// keeps its GUIDs; what other tools write loads.
@Suite struct REFICodebookTests {
    static let root = Fixtures.repositoryRoot
    static let samples = root + "/../shared/refi-samples"

    func demoCodebook() throws -> Codebook {
        try CodebookLoader().load(path: Self.root + "/codebooks/china-regional-innovation.yaml").codebook
    }

    @Test(.requires(.refiSamples, .xmllint)) func theExportValidatesAgainstTheCodebookSchemaWithStableGUIDs() throws {
        let codebook = try demoCodebook()
        let xml = REFICodebook.export(codebook, origin: "qda test")
        #expect(REFICodebook.export(codebook, origin: "qda test") == xml)
        // Every group and code once, nested, with a GUID each.
        let guids = xml.components(separatedBy: "guid=\"").dropFirst().map { String($0.prefix(36)) }
        #expect(guids.count == codebook.groups.count + codebook.allCodes.count)
        #expect(Set(guids).count == guids.count)
        #expect(xml.contains("name=\"Technology base\""))
        #expect(xml.contains("R&amp;D"))
        #expect(!xml.contains("<Sets"))
        let folder = try TemporaryDirectory()
        let file = try folder.write("cb.qdc", xml)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProgramLocator.find("xmllint") ?? "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", Self.samples + "/schema/Codebook.xsd", file]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }

    @Test func anExportedCodebookComesBackWithItsTree() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("cb.qdc", REFICodebook.export(try demoCodebook(), origin: "qda"))
        let project = try Project.inMemory()
        let summary = try project.loadCodebook(path: file)
        #expect(summary.groups == 4)
        #expect(summary.codes == 18)
        let keys = try project.codes().map(\.key)
        #expect(keys.contains("technology-related-factors.technology-base"))
        let back = REFICodebook.export(try #require(try project.currentCodebook()), origin: "qda")
        func names(_ xml: String) -> [String] {
            xml.components(separatedBy: "name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        #expect(names(back) == names(REFICodebook.export(try demoCodebook(), origin: "qda")))
    }

    @Test(.requires(.refiSamples)) func taguettesCodebookLoadsDespiteItsEmptySets() throws {
        // Taguette 1.4.1 writes <Sets/>, which the schema forbids; the codes still load.
        let project = try Project.inMemory()
        let summary = try project.loadCodebook(path: Self.samples + "/taguette-1.4.1_codebook.qdc")
        #expect(summary.codes == 3)
        #expect(
            try project.codes().map(\.key) == [
                "imported", "imported.xsd-element-name", "imported.codebook", "imported.variables",
            ])
        #expect(try project.codes().map(\.label).contains("xsd:element name"))
    }

    @Test func aCodebookWithADTDOrNoCodesIsRefused() throws {
        let folder = try TemporaryDirectory()
        let dtd = try folder.write(
            "dtd.qdc",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">"
                + "<Codes><Code guid=\"00000000-0000-0000-0000-000000000000\" name=\"&a;\" isCodable=\"true\"/></Codes></CodeBook>"
        )
        let empty = try folder.write("empty.qdc", "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes/></CodeBook>")
        let project = try Project.inMemory()
        #expect(throws: CorpusError.self) { try project.loadCodebook(path: dtd) }
        #expect(throws: CorpusError.self) { try project.loadCodebook(path: empty) }
        #expect(try project.currentCodebook() == nil)
    }
}
