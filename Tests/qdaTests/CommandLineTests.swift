import Foundation
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// The built `qda` binary, run as a user runs it: exit codes, standard output against
/// golden files, messages on standard error.
@Suite struct CommandLineTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let fixtures = here + "/Fixtures"
    static let golden = here + "/Golden"

    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
    }

    func run(_ arguments: String...) throws -> CommandRunner.Result {
        try qda.run(arguments, in: folder.path)
    }

    func analyze(_ extra: String...) throws -> CommandRunner.Result {
        try qda.run(
            [
                "analyze", Self.fixtures + "/corpus", "--codebook", Self.fixtures + "/codebook.yaml", "--project",
                "p.sqlite", "--min-segments", "1",
            ]
                + extra, in: folder.path)
    }

    func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let problem = Golden.mismatch(actual, path: Self.golden + "/" + name) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [("table", "txt"), ("json", "json"), ("csv", "csv"), ("markdown", "md")])
    func analyzePrintsThePatternReport(format: String, ext: String) throws {
        let result = try analyze("--format", format)
        #expect(result.status == 0, "\(result.stderr)")
        expectGolden(result.stdout, "analyze-patterns.\(ext)")
    }

    @Test func analyzeSaysWhatItDidAndIsIncremental() throws {
        let first = try analyze()
        #expect(first.status == 0)
        #expect(
            first.stderr.contains("Ingested: 4 added, 0 skipped (unchanged), 0 replaced; 15 segments added, 0 removed.")
        )
        #expect(first.stderr.contains("Loaded the codebook Fixture codebook 1: 3 groups, 3 codes, 12 keywords."))
        #expect(first.stderr.contains("Coded 10 segments: 10 with codings"))
        let second = try analyze()
        #expect(second.status == 0)
        #expect(second.stderr.contains("Ingested: 0 added, 4 skipped (unchanged)"))
        #expect(second.stderr.contains("Coded 0 segments"))
        #expect(second.stdout == first.stdout)
        #expect(try analyze("--quiet").stderr == "")
    }

    @Test func stepByStepGivesTheSameReportAsAnalyze() throws {
        #expect(try run("init", "--project", "s.sqlite").status == 0)
        #expect(try run("ingest", Self.fixtures + "/corpus", "--project", "s.sqlite").status == 0)
        #expect(try run("codebook", "load", Self.fixtures + "/codebook.yaml", "--project", "s.sqlite").status == 0)
        #expect(try run("code", "--project", "s.sqlite").status == 0)
        let report = try run("report", "patterns", "--project", "s.sqlite", "--min-segments", "1")
        #expect(report.status == 0)
        #expect(report.stdout == (try analyze()).stdout)
    }

    @Test func matrixReportsInEachMeasure() throws {
        _ = try analyze()
        var output = ""
        for measure in ["segments", "documents", "share", "valence"] {
            let result = try run("report", "matrix", "--measure", measure, "--project", "p.sqlite")
            #expect(result.status == 0)
            output += result.stdout + "\n"
        }
        let groups = try run("report", "matrix", "--by", "group", "--format", "csv", "--project", "p.sqlite")
        expectGolden(output + groups.stdout, "matrix.txt")
        let json = try run("report", "matrix", "--format", "json", "--project", "p.sqlite")
        expectGolden(json.stdout, "matrix.json")
    }

    @Test func patternsJSONKeepsItsContract() throws {
        let result = try analyze("--format", "json")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let regions = try #require(object["regions"] as? [[String: Any]])
        #expect(regions.compactMap { $0["region"] as? String } == ["Alpha", "Beta", "Gamma"])
        // Alpha (++ ++ -) and Gamma (++ o -) differ on market only: one cluster; Beta apart.
        #expect(object["clusters"] as? [[String]] == [["Alpha", "Gamma"]])
        for region in regions {
            #expect(region["documents"] is Int)
            #expect(region["segments"] is Int)
            let factors = try #require(region["factors"] as? [String: [String: Any]])
            #expect(Set(factors.keys) == ["technology", "market", "mindset"])
            for factor in factors.values {
                #expect(factor["segments"] is Int)
                #expect(factor["share"] is NSNumber)
                #expect(factor["valence"] is NSNumber)
                #expect(factor["score"] is NSNumber)
                #expect(["++", "+", "o", "-", "--"].contains(factor["rating"] as? String ?? "?"))
            }
        }
    }

    /// Every analysis report in one format on the fixture project, one golden file per
    /// format (Golden/reports/), so a change to any report shows in review.
    @Test(arguments: [("table", "txt"), ("json", "json"), ("csv", "csv"), ("markdown", "md")])
    func everyReportInEveryFormat(format: String, ext: String) throws {
        #expect(try analyze().status == 0)
        let grid = try run(
            "grid", "set", "Alpha", "technology", "--rating", "+", "--note", "R&D strong, but see a2", "--evidence",
            "2", "--coder", "ann", "--project", "p.sqlite")
        #expect(grid.status == 0, "\(grid.stderr)")
        let reports: [(String, [String])] = [
            (
                "matrix --measure density --min-documents 2",
                ["report", "matrix", "--measure", "density", "--min-documents", "2"]
            ),
            ("matrix --by group --measure presence", ["report", "matrix", "--by", "group", "--measure", "presence"]),
            ("patterns", ["report", "patterns", "--min-segments", "1"]),
            ("types", ["report", "types", "--min-segments", "1"]),
            ("compare Alpha Beta", ["report", "compare", "Alpha", "Beta", "--min-segments", "1"]),
            ("cooccurrence --window 1", ["report", "cooccurrence", "--window", "1"]),
            ("grid show", ["grid", "show", "--min-segments", "1"]),
            ("segments --code technology --context 1", ["segments", "--code", "technology", "--context", "1"]),
            ("search strong OR 领先", ["search", "strong OR 领先"]),
        ]
        var output = ""
        for (name, arguments) in reports {
            let result = try qda.run(arguments + ["--format", format, "--project", "p.sqlite"], in: folder.path)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            output += "=== \(name)\n" + result.stdout
        }
        // The grid cell's time of setting is today's.
        output = output.replacingOccurrences(
            of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "(time set)", options: .regularExpression)
        expectGolden(output, "reports/all.\(ext)")
    }

    @Test(arguments: [("markdown", "md"), ("csv", "csv"), ("json", "json")])
    func theCodedSummaryIsWrittenWholeAndTheSameEveryTime(format: String, ext: String) throws {
        #expect(try analyze().status == 0)
        let first = try run("export", "summary", "--out", "summary.\(ext)", "--project", "p.sqlite")
        #expect(first.status == 0, "\(first.stderr)")
        let written = try String(contentsOfFile: folder.url("summary.\(ext)"), encoding: .utf8)
        expectGolden(written, "summary.\(ext)")
        #expect(try run("export", "summary", "--out", "again.\(ext)", "--project", "p.sqlite").status == 0)
        #expect(try String(contentsOfFile: folder.url("again.\(ext)"), encoding: .utf8) == written)
        // A folder that does not exist: an error naming the file, nothing written.
        let bad = try run("export", "summary", "--out", "no/such/summary.md", "--project", "p.sqlite")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("no/such/summary.md: the folder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func theHTMLReportEscapesHostileTextAndHoldsEverySection() throws {
        try folder.write(
            "evil/e1.txt",
            "---\nregion: <b>Evil&Co</b>\nkind: interview\n---\n"
                + "R1: <script>alert(\"x\")</script> The universities & 'R&D' are strong.\n"
                + "R1: Demand is strong </details><img src=x onerror=alert(1)>.\n")
        #expect(try analyze().status == 0)
        #expect(try run("ingest", folder.url("evil"), "--project", "p.sqlite").status == 0)
        #expect(try run("code", "--project", "p.sqlite").status == 0)
        let result = try run("report", "html", "--out", "report.html", "--min-segments", "1", "--project", "p.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: folder.url("report.html"), encoding: .utf8)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>Evil"))
        #expect(
            html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; The universities &amp; &#39;R&amp;D&#39;"))
        #expect(html.contains("&lt;b&gt;Evil&amp;Co&lt;/b&gt;"))
        // Self-contained: nothing fetched from anywhere.
        #expect(
            !html.contains("http://")
                || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!html.contains("https://"))
        for section in ["heatmap", "profiles", "types", "grid", "cooccurrence", "qca", "evidence"]
        where section != "grid" {
            #expect(html.contains("id=\"\(section)\""), "no \(section) section")
        }
        // Every heatmap cell links to the drill-down holding its quotes.
        #expect(html.contains("href=\"#cell-0-technology\""))
        #expect(html.contains("<div id=\"cell-0-technology\">"))
        #expect(html.contains("<svg"))
        // The QCA section: the typology's type as the outcome of the factor groups, with
        // its truth table and solutions.
        #expect(html.contains("type:tech-led ← technology, market, mindset"))
        #expect(html.contains("<th>OUT</th>"))
        #expect(html.contains("parsimonious:"))
    }

    @Test(.requires(.program("script", package: "bsdutils")))
    func tablesUseColourOnlyOnATerminalAndNeverWithNO_COLOR() throws {
        #expect(try analyze().status == 0)
        func onTerminal(_ environment: [String: String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProgramLocator.find("script") ?? "/usr/bin/script")
            process.arguments = ["-qec", "'\(qda.executable)' search strong --project p.sqlite", "/dev/null"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
            process.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm"].merging(environment) { $1 }
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try onTerminal([:]).contains("\u{1B}[1;33mstrong\u{1B}[0m"))
        #expect(try !onTerminal(["NO_COLOR": "1"]).contains("\u{1B}["))
        #expect(try onTerminal(["NO_COLOR": "1"]).contains("«strong»"))
        // Piped: no colour.
        #expect(try !run("search", "strong", "--project", "p.sqlite").stdout.contains("\u{1B}["))
    }

    @Test(.requires(.program("script", package: "bsdutils")))
    func reviewWalksThePendingCodingsOnATerminal() throws {
        #expect(try analyze().status == 0)
        let before = try run("review", "list", "--format", "json", "--project", "p.sqlite")
        let pending = before.stdout.components(separatedBy: "\"id\"").count - 1
        #expect(pending > 3)
        // Accept the first, reject the second, answer nonsense then skip the third, quit.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProgramLocator.find("script") ?? "/usr/bin/script")
        process.arguments = ["-qec", "'\(qda.executable)' review --coder ann --project p.sqlite", "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        process.environment = ["PATH": "/usr/bin:/bin", "TERM": "dumb"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("a\nr\nwhat\ns\nq\n".utf8))
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("[1/\(pending)]"))
        #expect(text.contains("Type a, r, c KEY, s or q."))
        #expect(text.contains("Accepted 1, rejected 1, recoded 0."))
        let after = try run("review", "list", "--format", "json", "--project", "p.sqlite")
        #expect(after.stdout.components(separatedBy: "\"id\"").count - 1 == pending - 2)
        #expect(try run("code", "list", "--coders", "ann", "--project", "p.sqlite").stdout.contains("ann"))
    }

    @Test func tableReportsFitEightyColumns() throws {
        #expect(try analyze().status == 0)
        for arguments in [
            ["report", "matrix"], ["report", "matrix", "--measure", "density"],
            ["report", "patterns", "--quotes", "0", "--min-segments", "1"], ["report", "cooccurrence"],
            ["grid", "show", "--min-segments", "1"], ["segments"], ["search", "strong"],
        ] {
            let result = try qda.run(arguments + ["--project", "p.sqlite"], in: folder.path)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let widest = result.stdout.split(separator: "\n").map { TextTable.width(String($0)) }.max() ?? 0
            #expect(widest <= 80, "\(arguments.joined(separator: " ")) is \(widest) columns wide")
        }
    }

    @Test func peopleCodeReviewMergeAndAgreeFromTheCommandLine() throws {
        #expect(try analyze().status == 0)
        // Segments 2 and 3 are Alpha's answers; 9 and 11 Beta's.
        for (coder, segments) in [("ann", ["2", "3", "11"]), ("bo", ["2", "9", "11"])] {
            for segment in segments {
                let added = try run(
                    "code", "add", "market.demand", "--segment", segment, "--coder", coder, "--project", "p.sqlite")
                #expect(added.status == 0, "\(added.stderr)")
            }
        }
        let agreement = try run("agreement", "--coders", "ann,bo", "--format", "json", "--project", "p.sqlite")
        #expect(agreement.status == 0, "\(agreement.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(agreement.stdout.utf8)) as? [String: Any])
        let codes = try #require(object["codes"] as? [[String: Any]])
        let fields = ["units", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"]
        for entry in codes + [try #require(object["overall"] as? [String: Any])] {
            for field in fields { #expect(entry.keys.contains(field), "\(field) missing") }
        }
        let demand = try #require(codes.first { $0["code"] as? String == "market.demand" })
        // Both coded Alpha and Beta (6 + 3 countable segments... the documents they coded):
        // they differ on segments 3 and 9.
        #expect(demand["percent_agreement"] is NSNumber)
        let technology = try #require(codes.first { $0["code"] as? String == "technology.base" })
        #expect(technology["cohen_kappa"] is NSNull)
        #expect((technology["undefined"] as? [String: String])?["cohen_kappa"] != nil)
        let differing = try run(
            "agreement", "disagreements", "--coders", "ann,bo", "--format", "csv", "--project", "p.sqlite")
        #expect(differing.stdout.split(separator: "\r\n").count == 3)
        // Review: reject an auto coding; a re-run of the auto-coder does not bring it back.
        let pending = try run("review", "list", "--format", "json", "--project", "p.sqlite")
        let listed = try #require(
            (JSONSerialization.jsonObject(with: Data(pending.stdout.utf8)) as? [String: Any])?["codings"]
                as? [[String: Any]])
        let first = try #require(listed.first?["id"] as? Int)
        #expect(try run("review", "reject", String(first), "--coder", "ann", "--project", "p.sqlite").status == 0)
        #expect(try run("code", "--all", "--project", "p.sqlite").status == 0)
        let after = try run("review", "list", "--format", "json", "--project", "p.sqlite")
        #expect(after.stdout.components(separatedBy: "\"id\"").count == listed.count)
        // Export ann's codings, import them into a fresh project, merge that back: nothing new.
        #expect(try run("code", "export", "ann.csv", "--coders", "ann", "--project", "p.sqlite").status == 0)
        _ = try qda.run(
            [
                "analyze", Self.fixtures + "/corpus", "--codebook", Self.fixtures + "/codebook.yaml", "--project",
                "q.sqlite",
            ],
            in: folder.path)
        let imported = try run("code", "import", "ann.csv", "--project", "q.sqlite")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("Imported 3 codings (0 already present) by ann."))
        let merged = try run("merge", "q.sqlite", "--project", "p.sqlite")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("0 codings added (3 already here)"))
        #expect(
            try run(
                "memo", "add", "Check Beta's answers.", "--document", "corpus/beta/b1.txt", "--coder", "ann",
                "--project", "p.sqlite"
            ).status == 0)
        #expect(try run("memo", "export", "--out", "memos.md", "--project", "p.sqlite").status == 0)
        #expect(try String(contentsOfFile: folder.url("memos.md"), encoding: .utf8).contains("Check Beta's answers."))
    }

    @Test func segmentsListsEveryTurnAndParagraph() throws {
        _ = try analyze()
        let result = try run("segments", "--format", "json", "--project", "p.sqlite")
        #expect(result.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let segments = try #require(object["segments"] as? [[String: Any]])
        #expect(segments.count == 15)
        let first = try #require(segments.first)
        #expect(first["document"] as? String == "corpus/alpha/a1.txt")
        #expect(first["speaker"] as? String == "Interviewer")
        #expect(first["interviewer"] as? Bool == true)
        #expect(first["text"] as? String == "Are the universities strong here?")
        let table = try run("segments", "--limit", "3", "--project", "p.sqlite")
        expectGolden(table.stdout, "segments.txt")
    }

    @Test func ingestTakesAManifestAttributesAndUnitsAndReportsByAttribute() throws {
        let formats = Self.here + "/../QDAKitTests/Fixtures/formats"
        try folder.write(
            "in/manifest.csv",
            "path,region,kind,role\nfounder.docx,Beijing,interview,founder\ncall.vtt,Anhui,,scholar\n")
        try FileManager.default.copyItem(atPath: formats + "/interview.docx", toPath: folder.url("in/founder.docx"))
        try FileManager.default.copyItem(atPath: formats + "/two-speakers.vtt", toPath: folder.url("in/call.vtt"))
        let ingest = try run(
            "ingest", "--manifest", folder.url("in/manifest.csv"), "--attr", "wave=2", "--unit", "sentence",
            "--project", "p.sqlite")
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("Ingested: 2 added"))
        let segments = try run("segments", "--format", "json", "--project", "p.sqlite")
        let object = try #require(JSONSerialization.jsonObject(with: Data(segments.stdout.utf8)) as? [String: Any])
        let list = try #require(object["segments"] as? [[String: Any]])
        // Sentences: the second turn of the subtitle file is two sentences, both Li Wei's.
        let liWei = list.filter { $0["speaker"] as? String == "Li Wei" }.map { $0["text"] as? String }
        #expect(
            Array(liWei.prefix(2)) == [
                "The universities are strong, especially USTC.", "Funding for basic research is generous & stable.",
            ])
        #expect(list.first { $0["document"] as? String == "founder.docx" }?["region"] as? String == "Beijing")
        try folder.write("cb.yaml", Fixtures.tinyCodebook)
        #expect(try run("codebook", "load", "cb.yaml", "--project", "p.sqlite").status == 0)
        #expect(try run("code", "--project", "p.sqlite").status == 0)
        let matrix = try run(
            "report", "matrix", "--by", "role", "--columns", "group", "--project", "p.sqlite", "--format", "csv")
        #expect(matrix.status == 0)
        let lines = matrix.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "role,docs,segs,technology,market")
        #expect(lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) } == ["founder", "scholar"])
        let wave = try run("report", "matrix", "--rows", "wave", "--project", "p.sqlite", "--format", "json")
        #expect(wave.stdout.contains("\"dimension\" : \"wave\""))
        #expect(wave.stdout.contains("\"value\" : \"2\""))
        let unknown = try run("report", "matrix", "--by", "respondent", "--project", "p.sqlite")
        #expect(unknown.status == 1)
        #expect(
            unknown.stderr.contains(
                "No document attribute 'respondent'; this project has: kind, language, date, format, title, role, wave."
            ))
        let badEncoding = try run("ingest", "in", "--encoding", "ebcdic", "--project", "p.sqlite")
        #expect(badEncoding.status == 64)
        #expect(badEncoding.stderr.contains("--encoding 'ebcdic' is not one of: utf-8"))
    }

    @Test func qcaMinimizeOnADataTableKeepsItsJSONContract() throws {
        // Lipset's crisp data (the R package QCA's LC).
        var csv = "case,DEV,URB,LIT,IND,STB,SURV\n"
        let rows = [
            "AU,1,0,1,1,0,0", "BE,1,1,1,1,1,1", "CZ,1,1,1,1,1,1", "EE,0,0,1,0,1,0", "FI,1,0,1,0,1,1", "FR,1,0,1,1,1,1",
            "DE,1,1,1,1,0,0", "GR,0,0,0,0,0,0", "HU,0,0,1,0,0,0", "IE,1,0,1,0,1,1", "IT,0,0,0,0,1,0", "NL,1,1,1,1,1,1",
            "PL,0,0,1,0,0,0", "PT,0,0,0,0,0,0", "RO,0,0,0,0,1,0", "ES,0,0,0,0,0,0", "SE,1,0,1,1,1,1", "UK,1,1,1,1,1,1",
        ]
        csv += rows.joined(separator: "\n") + "\n"
        try folder.write("lipset.csv", csv)
        let result = try run(
            "qca", "minimize", "--data", "lipset.csv", "--conditions", "DEV,URB,LIT,IND,STB", "--outcome", "SURV",
            "--incl-cut", "1", "--dir-exp", "1,1,1,1,1", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let solutions = try #require(object["solutions"] as? [[String: Any]])
        #expect(solutions.map { $0["kind"] as? String } == ["complex", "parsimonious", "intermediate"])
        #expect(solutions.allSatisfy { $0["outcome"] as? String == "SURV" && $0["negated"] as? Bool == false })
        let complex = try #require((solutions[0]["models"] as? [[String: Any]])?.first)
        let terms = try #require(complex["terms"] as? [[String: Any]])
        #expect(terms.map { $0["expression"] as? String } == ["DEV*~URB*LIT*STB", "DEV*LIT*IND*STB"])
        #expect(terms.map { $0["raw_coverage"] as? Double } == [0.5, 0.75])
        #expect(terms.map { $0["unique_coverage"] as? Double } == [0.25, 0.5])
        #expect(terms[0]["cases"] as? [String] == ["FI", "FR", "IE", "SE"])
        #expect(complex["consistency"] as? Double == 1 && complex["coverage"] as? Double == 1)
        let parsimonious = try #require(
            (solutions[1]["models"] as? [[String: Any]])?.first?["terms"] as? [[String: Any]])
        #expect(parsimonious.map { $0["expression"] as? String } == ["DEV*STB"])
        let negated = try run(
            "qca", "minimize", "--data", "lipset.csv", "--conditions", "DEV,URB,LIT,IND,STB", "--outcome", "SURV",
            "--incl-cut", "1", "--negated")
        #expect(negated.stdout.contains("M1: ~DEV + ~STB -> ~SURV"))
        let table = try run("qca", "table", "--data", "lipset.csv", "--conditions", "DEV,URB", "--outcome", "SURV")
        #expect(table.stdout.contains("Contradictory rows: 10"))
        let bad = try run("qca", "table", "--data", "lipset.csv", "--conditions", "DEV,GDP", "--outcome", "SURV")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("No column 'GDP' in the data; it has: DEV, URB, LIT, IND, STB, SURV."))
    }

    @Test func qcaOnTheProjectCalibratesScoresWithTheRatingThresholds() throws {
        _ = try analyze()
        let result = try run(
            "qca", "calibrate", "--conditions", "technology,market", "--project", "p.sqlite", "--min-segments", "1",
            "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.first?["anchors"] as? [Double] == [-0.75, 0, 0.75])
        #expect(columns.first?["log_odds"] as? Double == 3)
        let cases = try #require(object["cases"] as? [[String: Any]])
        #expect(!cases.isEmpty)
        // Shares lie in [0, 1] but are not memberships: calibrated with suggested anchors.
        let shares = try run(
            "qca", "calibrate", "--conditions", "technology", "--measure", "share", "--project", "p.sqlite",
            "--min-segments", "1", "--format", "json")
        let shareObject = try #require(JSONSerialization.jsonObject(with: Data(shares.stdout.utf8)) as? [String: Any])
        let shareColumn = try #require((shareObject["columns"] as? [[String: Any]])?.first)
        #expect(shareColumn["method"] as? String == "fuzzy")
        #expect(shareColumn["suggested"] as? Bool == true)
        for item in cases {
            let membership = try #require(item["membership"] as? [String: Double])
            #expect(membership.values.allSatisfy { (0...1).contains($0) })
        }
    }

    @Test func aPDFWithoutPdftotextIsReportedWithTheCommandThatInstallsIt() throws {
        let pdf = Self.here + "/../QDAKitTests/Fixtures/formats/interview.pdf"
        // No pdftotext on this PATH.
        let result = try qda.run(
            ["ingest", pdf, "--project", "p.sqlite"], in: folder.path, environment: ["PATH": folder.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("reading this file needs `pdftotext`, which is not installed"))
        #expect(result.stderr.contains("apt-get install poppler-utils"))
    }

    @Test func aMissingProjectIsAClearError() throws {
        let result = try run("report", "patterns", "--project", "nothing.sqlite")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "nothing.sqlite: no project here. Create one with `qda init --project nothing.sqlite`"))
        #expect(!FileManager.default.fileExists(atPath: folder.url("nothing.sqlite")))
    }

    @Test func aBadCodebookIsReportedWithLinesAndLoadsNothing() throws {
        _ = try analyze()
        let bad = try folder.write(
            "bad.yaml", "codebook: Bad\ngroups:\n  - key: Tech\n    label: T\n    codes:\n      - {key: a}\n")
        let before = try run("report", "patterns", "--project", "p.sqlite", "--min-segments", "1").stdout
        let result = try run("codebook", "load", bad, "--project", "p.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.yaml: the codebook has 2 problems; nothing was loaded."))
        #expect(
            result.stderr.contains("bad.yaml:3: error: group 'Tech': the key 'Tech' may use only lower-case letters"))
        #expect(result.stderr.contains("bad.yaml:6: error: code 'Tech.a': the field 'label' is required."))
        #expect(try run("report", "patterns", "--project", "p.sqlite", "--min-segments", "1").stdout == before)
    }

    @Test func analyzeValidatesTheCodebookBeforeWritingAnything() throws {
        let bad = try folder.write("bad.yaml", "codebook: Bad\n")
        let result = try qda.run(
            ["analyze", Self.fixtures + "/corpus", "--codebook", bad, "--project", "new.sqlite"], in: folder.path)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.url("new.sqlite")))
    }

    @Test func badInputFilesAreNamedAndTheOthersIngested() throws {
        let broken = try folder.write("in/broken.txt", data: Data("café naïve ".utf8 + [0xC3, 0x28]))
        try folder.write("in/good.txt", "A paragraph.\n")
        let result = try run("ingest", folder.url("in"), "--project", "p.sqlite")
        #expect(result.status == 3)
        #expect(result.stderr.contains("error: 1 file not ingested:"))
        #expect(result.stderr.contains("\(broken): cannot be read as text at byte 13 (byte 0xC3 is not UTF-8"))
        // The library names the problem; the command line names its flag for it.
        #expect(result.stderr.contains("Name the file's encoding with --encoding ("))
        #expect(result.stderr.contains("Ingested: 1 added, 0 skipped (unchanged), 0 replaced, 1 failed"))
        // --strict stops at the bad file and stores nothing.
        try folder.write("in/other.txt", "Another paragraph.\n")
        let strict = try run("ingest", folder.url("in"), "--project", "p.sqlite", "--strict")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("\(broken): cannot be read as text at byte 13"))
        let listed = try run("segments", "--project", "p.sqlite", "--format", "csv")
        #expect(!listed.stdout.contains("Another paragraph."))
        let missing = try run("ingest", "nowhere", "--project", "p.sqlite")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nowhere: cannot be read (no such file or folder)."))
    }

    @Test func badFlagsExitWithUsageErrors() throws {
        let result = try run("report", "patterns", "--format", "xml")
        #expect(result.status == 64)
        #expect(result.stderr.contains("--format"))
        #expect(try run("init", "--project", "p.sqlite").status == 0)
        let again = try run("init", "--project", "p.sqlite")
        #expect(again.status == 1)
        #expect(again.stderr.contains("p.sqlite: a file already exists here; pass another --project path."))
    }

    @Test func helpReadsLikeAManual() throws {
        let help = try run("--help")
        #expect(help.status == 0)
        expectGolden(help.stdout, "help.txt")
        for command in [
            "init", "ingest", "codebook load", "code", "report matrix", "report patterns", "report types",
            "report compare", "report cooccurrence", "report html", "segments", "search", "grid set", "export summary",
            "qca", "analyze", "code add", "code import", "review", "memo add", "merge", "agreement", "serve",
        ] {
            let result = try qda.run(command.split(separator: " ").map(String.init) + ["--help"], in: folder.path)
            #expect(result.status == 0)
            #expect(result.stdout.contains("Example"), "\(command) --help has no example")
        }
    }

    @Test func sqlTraceNamesSlowStatementsOnStandardError() throws {
        let traced = try qda.run(
            ["init", "--project", "t.sqlite"], in: folder.path, environment: ["QDA_TRACE_SQL": "0"])
        #expect(traced.status == 0)
        #expect(traced.stderr.contains("qda: sql "))
        #expect(traced.stderr.contains(" ms: CREATE TABLE project_info"))
        // Above any statement's time: nothing.
        let quiet = try qda.run(
            ["init", "--project", "u.sqlite", "--quiet"], in: folder.path, environment: ["QDA_TRACE_SQL": "100000"])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("qda: sql"))
    }

    @Test func theProjectComesFromTheEnvironmentWhenNotGiven() throws {
        #expect(try qda.run(["init"], in: folder.path, environment: ["QDA_PROJECT": "env.sqlite"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.url("env.sqlite")))
        #expect(try run("init").status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.url("qda-project.sqlite")))
    }
}

/// `qda import` and `qda export qdpx` as a user runs them.
extension CommandLineTests {
    @Test func anExportImportsIntoANewProjectAndAFailedImportLeavesNoFile() throws {
        let analyzed = try run(
            "analyze", CommandLineTests.fixtures + "/corpus", "--codebook",
            CommandLineTests.fixtures + "/codebook.yaml",
            "--project", "p.sqlite")
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let export = try run("export", "qdpx", "study.qdpx", "--project", "p.sqlite")
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("to study.qdpx (positions in UTF-16 code units)."))
        let imported = try run("import", "study.qdpx", "--project", "b.sqlite", "--format", "json")
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any]
        #expect(summary?["documents"] as? Int == 4)
        #expect(summary?["offsets"] as? String == "utf16")
        #expect(summary?["coders"] as? [String] == ["qda auto-coder"])
        // Again (as after an interruption): nothing to do.
        let again = try run("import", "study.qdpx", "--project", "b.sqlite")
        #expect(again.status == 0)
        #expect(again.stdout.contains("the project holds this archive's import already"))
        // Another archive into a project that has documents: refused.
        let other = try folder.zip(
            "other.qdpx",
            parts: [
                "project.qde": Data(
                    """
                    <Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>
                    <TextSource guid="50000000-0000-0000-0000-000000000001" name="t"><PlainTextContent>Hi</PlainTextContent></TextSource>
                    </Sources></Project>
                    """.utf8)
            ])
        let refused = try run("import", other, "--project", "b.sqlite")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("The project already holds 4 documents"))
        // A broken archive into a new file: an error naming it, and no file left behind.
        try folder.write("broken.qdpx", "not a zip")
        let broken = try run("import", "broken.qdpx", "--project", "new.sqlite")
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("broken.qdpx"))
        #expect(broken.stderr.contains("not a zip archive"))
        #expect(!FileManager.default.fileExists(atPath: folder.url("new.sqlite")))
        let crlf = try run("export", "qdpx", "x.qdpx", "--offsets", "crlf1", "--project", "p.sqlite")
        #expect(crlf.status != 0)
    }
}
