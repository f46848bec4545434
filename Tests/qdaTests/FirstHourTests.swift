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

    // MARK: - No evidence is not weak evidence

    /// Two regions: Alpha speaks of technology only, Beta of technology and market.
    func twoRegions() throws -> CommandRunner.Result {
        let codebook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/codebook.yaml"
        try folder.write(
            "in/a.txt",
            "---\nregion: Alpha\n---\nThe universities are strong.\n\nThe R&D is leading.\n\nA research institute opened.\n"
        )
        try folder.write(
            "in/b.txt",
            "---\nregion: Beta\n---\nThe universities are weak.\n\nCustomers are demanding, demand is strong.\n\n"
                + "Demand grows.\n")
        return try run("analyze", "in", "--codebook", codebook, "--project", "p.sqlite", "--min-segments", "1")
    }

    @Test func aCellWithoutEvidenceIsNotRatedAndSaysSo() throws {
        let table = try twoRegions()
        #expect(table.status == 0, "\(table.stderr)")
        // Alpha never speaks of the market: not `-*`, but no evidence.
        let alpha = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("Alpha") })
        #expect(alpha.contains("·"), "\(alpha)")
        #expect(!alpha.contains("-* ("), "\(alpha)")
        #expect(table.stdout.contains("· no coded segment: no evidence, not rated"))
        // JSON: rating and score null, the count 0.
        let json = try run("report", "patterns", "--project", "p.sqlite", "--min-segments", "1", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let regions = try #require(object["regions"] as? [[String: Any]])
        let alphaJSON = try #require(regions.first { $0["region"] as? String == "Alpha" })
        let market = try #require((alphaJSON["factors"] as? [String: Any])?["market"] as? [String: Any])
        #expect(market["rating"] is NSNull)
        #expect(market["score"] is NSNull)
        #expect(market["segments"] as? Int == 0)
        // Beta's market is rated.
        let beta = try #require(regions.first { $0["region"] as? String == "Beta" })
        #expect((beta["factors"] as? [String: Any]).flatMap { $0["market"] as? [String: Any] }?["rating"] is String)
        // The coded summary's CSV leaves rating and score empty; the HTML report hatches the cell.
        let export = try run(
            "export", "summary", "--out", "s.csv", "--project", "p.sqlite", "--min-segments", "1")
        #expect(export.status == 0, "\(export.stderr)")
        let csv = try String(contentsOfFile: folder.url("s.csv"), encoding: .utf8)
        #expect(csv.contains("Alpha,market,market,segments,0\r\n"), "\(csv)")
        #expect(csv.contains("Alpha,market,market,score,\r\nAlpha,market,market,rating,\r\n"), "\(csv)")
        let html = try run("report", "html", "--out", "r.html", "--project", "p.sqlite", "--min-segments", "1")
        #expect(html.status == 0, "\(html.stderr)")
        let page = try String(contentsOfFile: folder.url("r.html"), encoding: .utf8)
        #expect(page.contains("Alpha · market: no evidence (no coded segment), not rated"))
        #expect(page.contains("fill=\"url(#no-evidence)\""))
        #expect(page.contains("no evidence</p>"))
    }

    // MARK: - What analyze and an empty project print

    @Test func analyzePrintsTheEvidenceBehindTheRatings() throws {
        let result = try twoRegions()
        #expect(result.stdout.contains("\nEvidence\n"), "\(result.stdout)")
        #expect(result.stdout.contains("\"The universities are strong.\""))
        let none = try run(
            "analyze", "in", "--codebook",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/codebook.yaml",
            "--project", "p.sqlite", "--min-segments", "1", "--quotes", "0")
        #expect(!none.stdout.contains("\"The universities are strong.\""))
    }

    @Test func anEmptyProjectSaysWhatToDoNext() throws {
        #expect(try run("init", "--project", "p.sqlite").status == 0)
        let empty = try run("report", "patterns", "--project", "p.sqlite")
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("The project has no documents."))
        #expect(empty.stdout.contains("qda analyze FOLDER"))
        try folder.write("a.txt", "---\nregion: Alpha\n---\nThe universities are strong.\n")
        #expect(try run("ingest", "a.txt", "--project", "p.sqlite").status == 0)
        let uncoded = try run("report", "patterns", "--project", "p.sqlite")
        #expect(uncoded.stdout.contains("The project has 1 document but no codebook."), "\(uncoded.stdout)")
    }

    // MARK: - Quotes are cut between words

    @Test func quotesAreCutBetweenWordsWithAnEllipsis() {
        let text = "Shanghai has world-class universities and subsidies for start-ups."
        let cut = TextTable.cut(text, limit: 22)
        #expect(cut == "Shanghai has…", "\(cut)")
        #expect(TextTable.cut(text, limit: 26) == "Shanghai has world-class…")
        #expect(TextTable.cut(text, limit: 200) == text)
        // A single long word is cut inside it rather than dropped.
        #expect(TextTable.cut("Supercalifragilistic", limit: 8) == "Superca…")
        // Chinese is cut between any two characters.
        #expect(TextTable.cut("我们做低成本、性价比高的产品，需求很大", limit: 8) == "我们做低成本、…")
        #expect(ReportRendering.shorten("the universities are strong", to: 20) == "the universities…")
    }

    // MARK: - One option, two spellings

    @Test func coderAndCodersAreBothAccepted() throws {
        try folder.write("in/a.txt", "---\nregion: Alpha\n---\nThe universities are strong.\n")
        let codebook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/codebook.yaml"
        #expect(try run("analyze", "in", "--codebook", codebook, "--project", "p.sqlite").status == 0)
        // The documented spelling of each command, and the other one.
        #expect(
            try run("code", "add", "technology.base", "--segment", "1", "--coders", "ann", "--project", "p.sqlite")
                .status == 0)
        #expect(
            try run("code", "add", "technology.base", "--segment", "1", "--coder", "bo", "--project", "p.sqlite")
                .status == 0)
        for spelling in ["--coders", "--coder"] {
            let listed = try run("code", "list", spelling, "ann", "--format", "csv", "--project", "p.sqlite")
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains(",ann,") && !listed.stdout.contains(",bo,"), "\(listed.stdout)")
            let segments = try run("segments", spelling, "bo", "--project", "p.sqlite")
            #expect(segments.status == 0, "\(segments.stderr)")
            #expect(segments.stdout.contains("The universities are strong."))
        }
        let two = try run("code", "list", "--coder", "ann", "--coder", "bo", "--format", "csv", "--project", "p.sqlite")
        #expect(two.stdout.contains(",ann,") && two.stdout.contains(",bo,"))
        // One coder where one is taken.
        let list = try run("segments", "--coders", "ann,bo", "--project", "p.sqlite")
        #expect(list.status != 0)
        #expect(list.stderr.contains("takes one coder"))
        // The help documents one spelling.
        let help = try run("code", "list", "--help")
        #expect(help.stdout.contains("--coders") && !help.stdout.contains("--coder "))
    }
}
