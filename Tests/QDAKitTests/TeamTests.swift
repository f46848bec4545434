import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// People coding: by hand, through CSV, reviewing the auto-coder, merging, agreeing.
@Suite struct TeamTests {
    let folder: TemporaryDirectory
    let project: Project

    /// Two documents of four segments each; the auto-coder finds "university" and "demand".
    static let documents = [
        "c/d1.txt": "The university is strong.\n\nDemand is weak.\n\nNothing here.\n\nThe university and demand.\n",
        "c/d2.txt": "Firms like demand.\n\nA university lab.\n\nQuiet words.\n\nMore demand, less university.\n",
    ]

    init() throws {
        folder = try TemporaryDirectory()
        project = try Self.makeProject(in: folder, name: nil)
    }

    static func makeProject(in folder: TemporaryDirectory, name: String?) throws -> Project {
        let project = try name.map { try Project.create(at: folder.url($0)) } ?? Project.inMemory()
        if !FileManager.default.fileExists(atPath: folder.url("cb.yaml")) {
            for (path, text) in documents { try folder.write(path, text) }
            try folder.write("cb.yaml", Fixtures.tinyCodebook)
        }
        _ = try project.ingest(paths: [folder.url("c")])
        _ = try project.loadCodebook(path: folder.url("cb.yaml"))
        _ = try project.autoCode()
        return project
    }

    func segmentID(_ document: String, _ ordinal: Int, in project: Project? = nil) throws -> Int64 {
        try #require(
            try (project ?? self.project).read { db in
                try Int64.fetchOne(
                    db,
                    sql:
                        "SELECT s.id FROM segment s JOIN document d ON d.id = s.document_id WHERE d.name LIKE ? AND s.ordinal = ?",
                    arguments: ["%" + document, ordinal])
            })
    }

    @Test func peopleCodeSegmentsSpansAndQuotedPassages() throws {
        let quiet = try segmentID("d1.txt", 2)
        let whole = try project.addCoding(.segment(quiet), code: "market.demand", coder: "ann", memo: "nothing?")
        #expect(whole.text == "Nothing here.")
        #expect(whole.memo == "nothing?")
        let quoted = try project.addCoding(.quote(document: nil, text: "lab"), code: "technology.base", coder: "ann")
        #expect(quoted.document.hasSuffix("d2.txt"))
        #expect(quoted.text == "lab")
        let span = try project.addCoding(
            .span(document: quoted.document, start: quoted.start - 11, end: quoted.end), code: "technology.base",
            coder: "ann", valence: 1)
        #expect(span.text == "university lab")
        // Coding the same place again replaces, not duplicates.
        try project.addCoding(.segment(quiet), code: "market.demand", coder: "ann", memo: "on reflection")
        #expect(try project.codingRecords(coders: ["ann"]).count == 3)
        // A passage that occurs twice, or nowhere, or a span over two segments: errors.
        #expect(throws: QDAError.self) {
            try project.addCoding(.quote(document: nil, text: "university"), code: "technology.base", coder: "ann")
        }
        #expect(throws: QDAError.self) {
            try project.addCoding(.quote(document: nil, text: "absent words"), code: "technology.base", coder: "ann")
        }
        #expect(throws: QDAError.self) {
            try project.addCoding(
                .span(document: quoted.document, start: 0, end: 30), code: "technology.base", coder: "ann")
        }
        #expect(throws: QDAError.self) {
            try project.addCoding(.segment(quiet), code: "market.demand", coder: "auto")
        }
        #expect(try project.removeCodings(.segment(quiet), code: "market.demand", coder: "ann") == 1)
        #expect(throws: QDAError.self) {
            try project.removeCodings(.segment(quiet), code: "market.demand", coder: "ann")
        }
    }

    @Test func codingsGoOutAndComeBackThroughCSVWithoutLoss() throws {
        try project.addCoding(
            .quote(document: nil, text: "Quiet words"), code: "market.demand", coder: "ann", valence: -1,
            memo: "irony, \"maybe\"")
        try project.addCoding(.segment(try segmentID("d1.txt", 0)), code: "technology.base", coder: "bo")
        let exported = CodingCSV.render(try project.codingRecords(coders: ["ann", "bo"]))
        let file = try folder.write("codings.csv", exported)
        // Into a second project holding the same documents.
        let other = try Self.makeProject(in: folder, name: "other.sqlite")
        let summary = try other.importCodings(path: file, defaultCoder: nil)
        #expect(summary.added == 2)
        #expect(summary.coders == ["ann", "bo"])
        func portable(_ records: [CodingRecord]) -> [String] {
            records.map {
                "\($0.document) \($0.start) \($0.end) \($0.code) \($0.coder) \($0.valence) \($0.memo ?? "") \($0.text)"
            }
        }
        #expect(
            portable(try other.codingRecords(coders: ["ann", "bo"]))
                == portable(try project.codingRecords(coders: ["ann", "bo"])))
        // Again: nothing new.
        #expect(try other.importCodings(path: file, defaultCoder: nil).unchanged == 2)
        // A spreadsheet coded by hand: a quoted passage and the coder from the command line.
        let sheet = try folder.write("sheet.csv", "document,code,text\nc/d2.txt,market.demand,Firms like demand.\n")
        #expect(try other.importCodings(path: sheet, defaultCoder: "cy").added == 1)
        // One bad row: nothing stored, and the error names the line.
        let bad = try folder.write(
            "bad.csv", "document,code,start,end,coder\nc/d1.txt,technology.base,0,3,dee\nc/d1.txt,no.such,0,3,dee\n")
        do {
            _ = try other.importCodings(path: bad, defaultCoder: nil)
            Issue.record("a bad row was accepted")
        } catch let error as QDAError {
            #expect(error.description.contains("line 3"))
        }
        #expect(try other.codingRecords(coders: ["dee"]).isEmpty)
    }

    @Test func reviewDecisionsSurviveTheAutoCoder() throws {
        let pending = try project.pendingReviews()
        // d1: university, demand, university + demand; d2: demand, university, demand + university.
        #expect(pending.count == 8)
        let rejected = try #require(pending.first { $0.text == "demand" && $0.document.hasSuffix("d2.txt") })
        let accepted = try #require(pending.first { $0.text == "university" && $0.document.hasSuffix("d1.txt") })
        let recoded = try #require(pending.first { $0.text == "university" && $0.document.hasSuffix("d2.txt") })
        try project.review([rejected.id], decision: .reject, reviewer: "ann")
        try project.review([accepted.id], decision: .accept, reviewer: "ann")
        try project.review([recoded.id], decision: .recode("market.demand"), reviewer: "ann")
        #expect(try project.pendingReviews().count == 5)
        // Re-coding everything brings none of them back, and adds no duplicate.
        _ = try project.autoCode(all: true)
        let after = try project.codingRecords()
        // 8 found − 1 rejected: 5 auto, one accepted, one recoded.
        #expect(after.count == 7)
        #expect(
            !after.contains {
                $0.id == rejected.id
                    || ($0.coder == "auto" && $0.start == rejected.start && $0.document == rejected.document)
            })
        #expect(after.filter { $0.start == accepted.start && $0.document == accepted.document }.map(\.coder) == ["ann"])
        #expect(after.first { $0.start == recoded.start && $0.document == recoded.document }?.code == "market.demand")
        #expect(try project.pendingReviews().count == 5)
        // Only auto codings are reviewed, and nothing changes when one id is wrong.
        #expect(throws: QDAError.self) {
            try project.review([accepted.id, 999_999], decision: .reject, reviewer: "ann")
        }
        #expect(throws: QDAError.self) { try project.review([accepted.id], decision: .reject, reviewer: "ann") }
    }

    @Test func mergingParallelProjectsKeepsCodersApartAndIsIdempotent() throws {
        let ann = try Self.makeProject(in: folder, name: "ann.sqlite")
        let bo = try Self.makeProject(in: folder, name: "bo.sqlite")
        try ann.addCoding(.segment(try segmentID("d1.txt", 2, in: ann)), code: "market.demand", coder: "ann")
        try ann.addMemo(.code("market.demand"), text: "broad reading", author: "ann")
        try bo.addCoding(.segment(try segmentID("d1.txt", 2, in: bo)), code: "technology.base", coder: "bo")
        try bo.addCoding(.quote(document: nil, text: "Firms"), code: "market.demand", coder: "bo")
        let first = try ann.merge(path: folder.url("bo.sqlite"))
        #expect(first.matchedDocuments == 2)
        #expect(first.codingsAdded == 2)
        #expect(first.coders == ["bo"])
        #expect(first.conflicts.isEmpty)
        let again = try ann.merge(path: folder.url("bo.sqlite"))
        #expect(again.codingsAdded == 0)
        #expect(again.codingsPresent == 2)
        #expect(try ann.codingRecords(coders: ["ann"]).count == 1)
        #expect(try ann.codingRecords(coders: ["bo"]).map(\.text) == ["Nothing here.", "Firms"])
        // The other way round brings ann's memo too.
        #expect(try bo.merge(path: folder.url("ann.sqlite")).memosAdded == 1)
        // Once: the same memo (target, author, text; no segment, no region) is not added twice.
        #expect(try bo.merge(path: folder.url("ann.sqlite")).memosAdded == 0)
        #expect(try bo.memos().count == 1)
        // A document with the same name and other text is a conflict, not a merge.
        let changed = try TemporaryDirectory()
        try changed.write("c/d1.txt", "Other text altogether.\n")
        try changed.write("c/d2.txt", Self.documents["c/d2.txt"]!)
        try changed.write("cb.yaml", Fixtures.tinyCodebook)
        let third = try Self.makeProject(in: changed, name: "third.sqlite")
        try third.addCoding(.segment(try segmentID("d1.txt", 0, in: third)), code: "market.demand", coder: "cy")
        let conflicting = try ann.merge(path: changed.url("third.sqlite"))
        #expect(conflicting.matchedDocuments == 1)
        #expect(conflicting.conflicts.contains { $0.contains("d1.txt: same document name, different text") })
        #expect(try ann.codingRecords(coders: ["cy"]).isEmpty)
    }

    @Test func memosAttachToWhatTheyAreAbout() throws {
        try project.addMemo(.project, text: "Pilot round.", author: "ann")
        try project.addMemo(.document("c/d1.txt"), text: "Noisy recording.", author: "ann")
        try project.addMemo(.segment(try segmentID("d2.txt", 1)), text: "Which lab?", author: "bo")
        try project.addMemo(.cell(region: "North", code: "technology"), text: "Thin.", author: "bo")
        let memos = try project.memos()
        #expect(memos.map(\.target) == ["project", "document", "segment", "cell"])
        #expect(memos[2].document == "c/d2.txt")
        #expect(throws: QDAError.self) { try project.addMemo(.document("nope.txt"), text: "x", author: "a") }
        #expect(throws: QDAError.self) { try project.addMemo(.code("no.code"), text: "x", author: "a") }
        #expect(throws: QDAError.self) { try project.addMemo(.project, text: "  ", author: "a") }
        // A document that carries people's memos is not silently replaced.
        try folder.write("c/d1.txt", "Changed text.\n")
        let summary = try project.ingest(paths: [folder.url("c")])
        #expect(summary.replaced == 0)
        #expect(summary.failures.first?.reason.contains("memo") == true)
    }

    /// ann and bo code the 8 segments for market.demand by hand:
    ///   segment: d1.0 d1.1 d1.2 d1.3 d2.0 d2.1 d2.2 d2.3
    ///   ann:       0    1    0    1    1    0    0    1
    ///   bo:        0    1    1    1    0    0    0    1
    /// Agree on 6 of 8 (0.75). ann: 4 yes; bo: 4 yes. pe = 0.5·0.5 + 0.5·0.5 = 0.5;
    /// κ = (0.75 − 0.5) / 0.5 = 0.5. α = 1 − 15 × 4 / (2 × 8 × 8) = 0.53125.
    /// AC1: π = 0.5, pe = 0.5, AC1 = 0.5.
    @Test func agreementPerCodeMatchesTheHandCount() throws {
        let ann = [1, 3, 4, 7]
        let bo = [1, 2, 3, 7]
        for (coder, ordinals) in [("ann", ann), ("bo", bo)] {
            for n in ordinals {
                let (document, ordinal) = n < 4 ? ("d1.txt", n) : ("d2.txt", n - 4)
                try project.addCoding(.segment(try segmentID(document, ordinal)), code: "market.demand", coder: coder)
            }
        }
        let report = try AgreementReport(project: project, coders: ["ann", "bo"], codes: ["market.demand"])
        #expect(report.documents == 2)
        let demand = try #require(report.codes.first)
        #expect(demand.units == 8)
        #expect(demand.percentAgreement == .value(0.75))
        #expect(try #require(demand.cohenKappa.value).isClose(to: 0.5))
        #expect(try #require(demand.krippendorffAlpha.value).isClose(to: 1 - 15.0 * 4 / (2 * 8 * 8)))
        #expect(try #require(demand.gwetAC1.value).isClose(to: 0.5))
        #expect(report.pairs.first?.disagreements == 2)
        // technology.base: neither coded it — one category only: undefined, with a reason.
        let all = try AgreementReport(project: project, coders: ["ann", "bo"])
        let base = try #require(all.codes.first { $0.code == "technology.base" })
        #expect(base.cohenKappa.value == nil)
        #expect(base.undefined["cohen_kappa"]?.contains("one category") == true)
        let json = try ReportRendering.render(all, format: .json)
        #expect(!json.contains("NaN"))
        #expect(json.contains("\"cohen_kappa\" : null"))
        // The disagreements are the two segments they differ on.
        let listed = try AgreementReport(
            project: project, coders: ["ann", "bo"], codes: ["market."], disagreements: true)
        #expect(listed.disagreements.map(\.text) == ["Nothing here.", "Firms like demand."])
        #expect(listed.disagreements.map(\.coded) == [["bo"], ["ann"]])
        // The auto-coder against ann on market.demand: auto coded d1.1, d1.3, d2.0, d2.3;
        // ann d1.1, d1.3, d2.0, d2.3 → all four agree: precision 1, recall 1.
        let auto = try AgreementReport(project: project, coders: ["auto", "ann"], codes: ["market.demand"])
        let check = try #require(auto.auto.first?.codes.first)
        #expect(check.truePositives == 4)
        #expect(check.precision == .value(1))
        #expect(check.recall == .value(1))
        // Against bo: auto misses d1.2 (FN) and fires on d2.0 (FP): 3 / 4 each.
        let againstBo = try AgreementReport(project: project, coders: ["auto", "bo"], codes: ["market.demand"])
        let row = try #require(againstBo.auto.first?.codes.first)
        #expect(row.precision == .value(0.75))
        #expect(row.recall == .value(0.75))
        #expect(try #require(row.f1.value).isClose(to: 0.75))
        #expect(row.falsePositiveExamples == [try segmentID("d2.txt", 0)])
        #expect(row.falseNegativeExamples == [try segmentID("d1.txt", 2)])
    }

    @Test func aCoderWhoDidNotCodeADocumentIsMissingThereNotDisagreeing() throws {
        // ann and bo code d1 and d2; cy only d1. For cy, d2's segments are missing values.
        for coder in ["ann", "bo", "cy"] {
            try project.addCoding(.segment(try segmentID("d1.txt", 1)), code: "market.demand", coder: coder)
        }
        for coder in ["ann", "bo"] {
            try project.addCoding(.segment(try segmentID("d2.txt", 0)), code: "market.demand", coder: coder)
        }
        let report = try AgreementReport(project: project, coders: ["ann", "bo", "cy"], codes: ["market.demand"])
        let demand = try #require(report.codes.first)
        // Everyone agrees wherever they coded: α = 1, percent agreement 1.
        #expect(demand.krippendorffAlpha == .value(1))
        #expect(demand.percentAgreement == .value(1))
        // Fleiss' κ uses the units all three coded (d1's four segments): still 1.
        #expect(demand.fleissKappa == .value(1))
        #expect(demand.cohenKappa.value == nil)
        // By character: the coded segment's characters agree as well.
        let characters = try AgreementReport(
            project: project, coders: ["ann", "bo"], codes: ["market.demand"], unit: .character)
        #expect(characters.codes.first?.krippendorffAlpha == .value(1))
        #expect(try #require(characters.codes.first?.units) > 40)
        #expect(throws: QDAError.self) { try AgreementReport(project: project, coders: ["ann"]) }
        #expect(throws: QDAError.self) { try AgreementReport(project: project, coders: ["ann", "zed"]) }
    }

    @Test func renamingMovingAndMergingCodesKeepsCodingsRight() throws {
        let quiet = try segmentID("d1.txt", 2)
        try project.addCoding(.segment(quiet), code: "market.demand", coder: "ann")
        try project.addMemo(.code("market.demand"), text: "needs or demand?", author: "ann")
        let rejected = try #require(try project.pendingReviews(codes: ["market.demand"]).first)
        try project.review([rejected.id], decision: .reject, reviewer: "ann")
        // Rename: everything keyed by the code follows; re-coding uses the new key and still
        // respects the rejection.
        let renamed = try project.editCodebook(.rename("market.demand", to: "needs"))
        #expect(renamed.renamed == ["market.demand": "market.needs"])
        #expect(renamed.yaml.contains("key: needs"))
        #expect(try project.codingRecords(coders: ["ann"]).map(\.code) == ["market.needs"])
        #expect(try project.memos().first?.code == "market.needs")
        _ = try project.autoCode()
        let needs = try project.codingRecords(coders: ["auto"]).filter { $0.code == "market.needs" }
        // Four "demand"s, one rejected.
        #expect(needs.count == 3)
        #expect(!needs.contains { $0.start == rejected.start && $0.document == rejected.document })
        // Move: the code joins the technology group, and reports count it there.
        try project.editCodebook(.move("market.needs", toGroup: "technology"))
        #expect(try project.codingRecords(coders: ["ann"]).map(\.code) == ["technology.needs"])
        let matrix = try RegionMatrix(project: project, columns: .group)
        #expect(matrix.columns.map(\.key) == ["technology", "market"])
        #expect(matrix.cells[0][1].segments == 0)
        // Merge: base's codings and keywords join needs; a coding both had is kept once.
        try project.addCoding(.segment(quiet), code: "technology.base", coder: "ann")
        let merged = try project.editCodebook(.merge("technology.base", into: "technology.needs"))
        #expect(merged.duplicatesDropped == 1)
        #expect(try project.codes().map(\.key) == ["technology", "technology.needs", "market"])
        _ = try project.autoCode()
        // "university" now codes technology.needs.
        #expect(
            try project.codingRecords(coders: ["auto"]).contains {
                $0.text == "university" && $0.code == "technology.needs"
            })
        // Loading the old file again warns that it undoes the edits.
        let summary = try project.loadCodebook(path: folder.url("cb.yaml"))
        #expect(summary.warnings.contains { $0.message.contains("'market.demand' was renamed to 'market.needs'") })
        #expect(throws: CodebookError.noSuchCode("no.such")) { try project.editCodebook(.rename("no.such", to: "x")) }
        #expect(throws: CodebookError.noSuchCode("technology.needs")) {
            try project.editCodebook(.rename("technology.needs", to: "market.x"))
        }
    }
}
