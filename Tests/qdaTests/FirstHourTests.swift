import Foundation
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// What a new user meets in the first hour: files passed over are named, the help's
/// examples run, no evidence reads apart from weak evidence, and the demo's analysis says
/// something in every section.
@Suite struct FirstHourTests {
    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
    }

    func run(_ arguments: String...) throws -> CommandRunner.Result {
        try qda.run(arguments, in: folder.path)
    }

    // MARK: - Files passed over

    @Test func aFolderWithNothingToReadIsAnErrorAndNamesWhatItHolds() throws {
        try folder.write("in/interview.doc", "binary")
        try folder.write("in/deck/slides.pages", "binary")
        try folder.write("in/deck/photo.png", "binary")
        try folder.write("in/notes", "no extension")
        let result = try run("ingest", "in", "--project", "p.sqlite")
        #expect(result.status != 0)
        #expect(result.stderr.contains("error: 1 folder not ingested"), "\(result.stderr)")
        #expect(result.stderr.contains("in: holds no file qda reads (passed over: "), "\(result.stderr)")
        #expect(result.stderr.contains("1 .doc"))
        #expect(result.stderr.contains("1 no extension"))
        #expect(!result.stderr.contains("type '.'"))
        #expect(result.stderr.contains("(--verbose names them)"))
        // --verbose names each file, with its reason.
        let verbose = try run("ingest", "in", "--project", "p.sqlite", "--verbose")
        #expect(verbose.stderr.contains("in/deck/photo.png: files of type '.png' are not read"), "\(verbose.stderr)")
        #expect(verbose.stderr.contains("in/notes: no extension, so its type is unknown"))
    }

    @Test func filesPassedOverBesideReadableOnesAreCountedAndTheRestIsStored() throws {
        try folder.write("in/a.txt", "Beijing has strong universities.\n")
        try folder.write("in/b.doc", "binary")
        try folder.write("in/README.md", "About this folder.\n")
        let result = try run("ingest", "in", "--project", "p.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("passed over 1 file in the folders, not of a type qda reads: 1 .doc"))
        #expect(result.stderr.contains("1 added"))
        // The README is passed over by design, not reported.
        #expect(!result.stderr.contains("README"))
    }

    @Test func aNamedFileWithoutAnExtensionSaysSo() throws {
        try folder.write("notes", "text")
        let result = try run("ingest", "notes", "--project", "p.sqlite")
        #expect(result.status != 0)
        #expect(result.stderr.contains("notes: files without an extension cannot be ingested"), "\(result.stderr)")
    }
}
