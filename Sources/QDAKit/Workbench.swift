public import Foundation
public import QDAAnalysis
public import QDACodebook
public import QDACorpus
public import QDAFormats
public import QDAStore

/// One project and everything a researcher does with it: the library's facade.
///
/// A client (the `qda` command line, a browser workbench, a script) opens a workbench on a
/// project file and calls its use cases: ingest documents, load a codebook and a gazetteer,
/// code (automatically or by hand), review and annotate codings, make reports, exchange
/// with other tools, merge coders' copies and measure their agreement. Each use case
/// orchestrates the parts of the library (readers, matcher, store, analyses, formats) and
/// answers in value types; none of them prints, and errors are structured
/// (`CorpusError`, `CodebookError`, `AnalysisError`, `QDAError`) so that each client words
/// them in its own terms.
///
/// A workbench is safe to use from several threads, and several processes may work on the
/// same project file: reads see each other's committed writes (docs/project-file.md).
///
/// ```swift
/// let workbench = try Workbench.openOrCreate(at: "study.sqlite")
/// _ = try workbench.loadCodebook(path: "codebooks/china-regional-innovation.yaml")
/// _ = try workbench.ingest(paths: ["corpus/interviews"], autoCode: true)
/// let report = try workbench.patternReport()
/// print(report.regions.map(\.pattern))
/// ```
public final class Workbench: Sendable {
    let project: Project

    init(_ project: Project) {
        self.project = project
    }

    /// The project file's name in the current folder when none is given.
    public static let defaultFileName = Project.defaultFileName
    /// The coder name of every coding the auto-coder made.
    public static let autoCoder = Project.autoCoder

    /// The project file.
    public var path: String { project.path }

    // MARK: - Opening

    /// Opens the project at `path`.
    ///
    /// - Throws: `QDAError.projectNotFound` when there is no file, `QDAError.notAProject`
    ///   when the file is not a project (or is damaged).
    public static func open(at path: String) throws -> Workbench { Workbench(try Project.open(at: path)) }

    /// Creates a project at `path`.
    ///
    /// - Throws: `QDAError` when a file is there already or the folder does not exist.
    public static func create(at path: String) throws -> Workbench { Workbench(try Project.create(at: path)) }

    /// Opens the project at `path`, creating it first when there is none.
    public static func openOrCreate(at path: String) throws -> Workbench {
        Workbench(try Project.openOrCreate(at: path))
    }

    /// A project that lives in memory only (for tests and one-off analyses).
    public static func inMemory() throws -> Workbench { Workbench(try Project.inMemory()) }

    // MARK: - Documents

    /// Reads the documents under `paths` (or, with none, the files the manifest of
    /// `options` lists), segments them and stores them; with `autoCode`, codes each new
    /// document with the project's codebook as it is read. Files that cannot be read are
    /// in the summary's `failures` (with `options.strict`, the first one stops the run and
    /// nothing is stored).
    public func ingest(
        paths: [String], options: IngestOptions = IngestOptions(), autoCode: Bool = false,
        progress: ProgressHandler? = nil
    ) throws -> IngestSummary {
        try project.ingest(paths: paths, options: options, autoCode: autoCode, progress: progress)
    }

    /// The number of documents.
    public func documentCount() throws -> Int { try project.documentCount() }

    /// The first `limit` segments (all with nil), in document order.
    public func segments(limit: Int? = nil) throws -> [SegmentListing] { try project.segments(limit: limit) }

    /// The segments that pass `filter` (codes, regions, coders, full-text terms ...), with
    /// their codings and marks.
    public func findSegments(_ filter: SegmentFilter, progress: ProgressHandler? = nil) throws -> SegmentSearchResult {
        try project.findSegments(filter, progress: progress)
    }

    /// Every document with its size and how much is coded, by name.
    public func documentSummaries() throws -> [DocumentSummary] { try project.documentSummaries() }

    /// A document to read: its text, segments and codings; nil when there is none.
    public func documentView(id: Int64) throws -> DocumentView? { try project.documentView(id: id) }

    /// Coding `id`, or nil.
    public func coding(id: Int64) throws -> CodingRecord? { try project.coding(id: id) }

    /// Each document's id by name (no counting: for links to documents).
    public func documentIDs() throws -> [String: Int64] { try project.documentIDs() }

    /// The document attributes and columns that reports can count by (`RegionLevel.attribute`).
    public func dimensions() throws -> [String] { try project.dimensions() }

    // MARK: - Codebook and gazetteer

    /// Validates the codebook at `path` and makes it the project's.
    public func loadCodebook(path: String) throws -> CodebookLoadSummary { try project.loadCodebook(path: path) }

    /// The project's codebook, or nil before one is loaded.
    public func currentCodebook() throws -> Codebook? { try project.currentCodebook() }

    /// The name, version and hash of the project's codebook.
    public func codebookVersion() throws -> (name: String, version: String?, sha256: String)? {
        try project.codebookVersion()
    }

    /// The codebook's groups and codes with their counts of codings (without `counts`:
    /// zeros, and nothing counted — a code picker's list).
    public func codebookEntries(counts: Bool = true) throws -> [CodebookEntry] {
        try project.codebookEntries(counts: counts)
    }

    /// The active groups and codes, in codebook order.
    public func codes() throws -> [CodeInfo] { try project.codes() }

    /// Renames, moves or merges a code; codings, reviews, memos and grid cells follow.
    @discardableResult
    public func editCodebook(_ edit: CodebookEdit) throws -> CodebookEditSummary { try project.editCodebook(edit) }

    /// Validates the gazetteer at `path`, makes it the project's and places every segment
    /// in its regions again.
    public func loadGazetteer(path: String) throws -> GazetteerLoadSummary { try project.loadGazetteer(path: path) }

    /// The project's gazetteer, or nil before one is loaded.
    public func currentGazetteer() throws -> Gazetteer? { try project.currentGazetteer() }

    /// The gazetteer's grouping sets, the default first.
    public func groupingSets() throws -> [String] { try project.groupingSets() }

    // MARK: - Coding

    /// Codes the documents not yet coded with the current codebook (every document with
    /// `all`), replacing their earlier automatic codings.
    public func autoCode(all: Bool = false, progress: ProgressHandler? = nil) throws -> AutoCodeSummary {
        try project.autoCode(all: all, progress: progress)
    }

    /// Codes a passage by hand.
    @discardableResult
    public func addCoding(
        _ target: CodingTarget, code: String, coder: String, valence: Int = 0, memo: String? = nil
    ) throws -> CodingRecord {
        try project.addCoding(target, code: code, coder: coder, valence: valence, memo: memo)
    }

    /// Codes a passage a person selected (`text` must be the document's text there), cut
    /// at segment bounds, in one transaction.
    public func codeSelection(
        documentID: Int64, start: Int, end: Int, text: String, code: String, coder: String, valence: Int = 0,
        memo: String? = nil
    ) throws -> [CodingRecord] {
        try project.codeSelection(
            documentID: documentID, start: start, end: end, text: text, code: code, coder: coder, valence: valence,
            memo: memo)
    }

    /// Codes a selection for `coder` (the form `replaceCoding` and undo use).
    public func codeSelection(_ selection: CodingSelection, coder: String) throws -> [CodingRecord] {
        try project.codeSelection(
            documentID: selection.documentID, start: selection.start, end: selection.end, text: selection.text,
            code: selection.code, coder: coder, valence: selection.valence, memo: selection.memo)
    }

    /// Removes a person's coding by id (the auto-coder's are rejected in review instead);
    /// returns it with what it takes to put it back.
    /// With `owner`, only a coding of theirs (`QDAError.codingOfAnother` otherwise).
    @discardableResult
    public func removeCoding(id: Int64, ownedBy owner: String? = nil) throws -> RemovedCoding {
        try project.removeCoding(id: id, ownedBy: owner)
    }

    /// Replaces a person's coding by `change` of its selection (recode, new valence or
    /// memo, moved boundaries) in one transaction.
    public func replaceCoding(
        id: Int64, ownedBy owner: String? = nil, _ change: (CodingSelection) throws -> CodingSelection
    ) throws -> (removed: RemovedCoding, added: [CodingRecord]) {
        try project.replaceCoding(id: id, ownedBy: owner, change)
    }

    /// Removes `coder`'s codings that are exactly `remove` and stores `add` for them, in
    /// one transaction (undo and redo).
    public func exchangeCodings(remove: [CodingSelection], add: [CodingSelection], coder: String) throws -> (
        removed: [RemovedCoding], added: [CodingRecord]
    ) {
        try project.exchangeCodings(remove: remove, add: add, coder: coder)
    }

    /// Decides in one transaction whether a segment has a code for `coder` (a consensus):
    /// one coding of the whole segment, or none, in place of what `coder` had there.
    public func decideSegment(_ segment: Int64, code: String, coder: String, present: Bool) throws -> (
        coding: CodingRecord?, replaced: Int
    ) {
        try project.decideSegment(segment, code: code, coder: coder, present: present)
    }

    /// Removes `coder`'s codings of `code` on `target`; returns how many.
    public func removeCodings(_ target: CodingTarget, code: String, coder: String) throws -> Int {
        try project.removeCodings(target, code: code, coder: coder)
    }

    /// Every coding (of `coders`, or of everyone).
    public func codingRecords(coders: [String] = []) throws -> [CodingRecord] {
        try project.codingRecords(coders: coders)
    }

    /// Imports codings from a coding CSV, all or nothing.
    public func importCodings(path: String, defaultCoder: String?) throws -> CodingImportSummary {
        try project.importCodings(path: path, defaultCoder: defaultCoder)
    }

    // MARK: - Review and memos

    /// The auto-coder's codings nobody has reviewed yet.
    public func pendingReviews(codes: [String] = [], region: String? = nil, limit: Int? = nil) throws -> [CodingRecord]
    {
        try project.pendingReviews(codes: codes, region: region, limit: limit)
    }

    /// Accepts or rejects automatic codings.
    public func review(_ ids: [Int64], decision: ReviewDecision, reviewer: String) throws -> ReviewSummary {
        try project.review(ids, decision: decision, reviewer: reviewer)
    }

    /// Writes a memo on a document, segment, code or region.
    @discardableResult
    public func addMemo(_ target: MemoTarget, text: String, author: String) throws -> Memo {
        try project.addMemo(target, text: text, author: author)
    }

    /// Replaces a memo's text (with `owner`, only a memo of theirs).
    @discardableResult
    public func editMemo(id: Int64, text: String, ownedBy owner: String? = nil) throws -> Memo {
        try project.editMemo(id: id, text: text, ownedBy: owner)
    }

    /// Every memo.
    public func memos() throws -> [Memo] { try project.memos() }

    // MARK: - The researcher's grid

    /// Sets (or replaces) the researcher's judgement of a region on a group or code.
    @discardableResult
    public func setGridCell(
        region: String, code: String, rating: Rating?, descriptor: String?, note: String?, evidence: [Int64],
        coder: String
    ) throws -> GridCell {
        try project.setGridCell(
            region: region, code: code, rating: rating, descriptor: descriptor, note: note, evidence: evidence,
            coder: coder)
    }

    /// Removes a grid cell; false when there was none.
    public func removeGridCell(region: String, code: String) throws -> Bool {
        try project.removeGridCell(region: region, code: code)
    }

    /// The researcher's grid cells.
    public func gridCells() throws -> [GridCell] { try project.gridCells() }

    // MARK: - Reports

    /// Which factor pattern each region shows, rated on the codebook's scale, with the
    /// typology and the quotes behind the ratings.
    public func patternReport(
        level: RegionLevel = .region, minimumSegments: Int = PatternReport.defaultMinimumSegments,
        ratingQuotes: Bool = true
    ) throws -> PatternReport {
        try PatternReport(project: project, level: level, minimumSegments: minimumSegments, ratingQuotes: ratingQuotes)
    }

    /// The region × code (or × group) matrix of coded evidence.
    public func matrix(columns: MatrixColumns, level: RegionLevel = .region, minimumDocuments: Int = 0) throws
        -> RegionMatrix
    {
        try RegionMatrix(project: project, columns: columns, level: level, minimumDocuments: minimumDocuments)
    }

    /// Two regions side by side.
    public func comparison(a: String, b: String, level: RegionLevel = .region, minimumSegments: Int) throws
        -> RegionComparison
    {
        try RegionComparison(project: project, a: a, b: b, level: level, minimumSegments: minimumSegments)
    }

    /// How often codes are applied together.
    public func cooccurrence(columns: MatrixColumns = .code, window: Int = 0, region: String? = nil) throws
        -> Cooccurrence
    {
        try Cooccurrence(project: project, columns: columns, window: window, region: region)
    }

    /// The coded summary for a paper or for R.
    public func codedSummary(level: RegionLevel = .region, minimumSegments: Int, quotes: Int = 2) throws
        -> CodedSummary
    {
        try CodedSummary(project: project, level: level, minimumSegments: minimumSegments, quotes: quotes)
    }

    /// The researcher's grid beside the derived ratings.
    public func gridReport(level: RegionLevel = .region, minimumSegments: Int) throws -> GridReport {
        try GridReport(project: project, level: level, minimumSegments: minimumSegments)
    }

    /// The self-contained HTML report.
    public func htmlReport(
        level: RegionLevel = .region, minimumSegments: Int = PatternReport.defaultMinimumSegments,
        qca: [HTMLReport.QCARequest]? = nil, title: String? = nil
    ) throws -> HTMLReport {
        try HTMLReport(project: project, level: level, minimumSegments: minimumSegments, qca: qca, title: title)
    }

    /// Per region, the measure of each QCA condition and of the outcome.
    public func qcaRawData(
        conditions: [String], outcome: String, measure: QCAMeasure, level: RegionLevel = .region,
        minimumSegments: Int = PatternReport.defaultMinimumSegments
    ) throws -> QCARawData {
        try project.qcaRawData(
            conditions: conditions, outcome: outcome, measure: measure, level: level, minimumSegments: minimumSegments)
    }

    /// Intercoder agreement between `coders` on the codes under `codes`.
    public func agreement(
        coders: [String] = [], codes: [String] = [], unit: AgreementUnit = .segment, disagreements: Bool = false
    ) throws -> AgreementReport {
        try AgreementReport(project: project, coders: coders, codes: codes, unit: unit, disagreements: disagreements)
    }

    /// Everyone who coded, people first (by name), the auto-coder last.
    public func coders() throws -> [String] { try project.coders() }

    /// The auto-coder's codings (or another machine coder's, such as `suggest`) measured
    /// against `person`'s on the documents `person` coded: presence per unit for every code
    /// and group, span overlap, valence, confusion, and every error (docs/methods.md).
    ///
    /// - Throws: `QDAError.unknownCoder` when `person` coded nothing.
    public func evaluate(person: String, machine: String = Workbench.autoCoder) throws -> CoderEvaluation {
        let coders = try project.coders()
        guard coders.contains(person) else { throw QDAError.unknownCoder(coder: person, coders: coders) }
        return CoderEvaluation(
            try project.evaluationInput(machine: machine, person: person), machine: machine, person: person)
    }

    // MARK: - Learned suggestions

    /// Learns a model per code from the people's codings and stores it in the project.
    public func trainSuggestions(progress: ProgressHandler? = nil) throws -> SuggestTrainingSummary {
        try project.trainSuggestions(progress: progress)
    }

    /// Proposes suggestions with the stored models into the review queue (never counted by
    /// a report until accepted); returns how many are pending.
    public func proposeSuggestions(progress: ProgressHandler? = nil) throws -> Int {
        try project.proposeSuggestions(progress: progress)
    }

    /// The pending suggestions, best first (of codes under `codes`, in `region`, when given).
    public func suggestions(codes: [String] = [], region: String? = nil, limit: Int? = nil) throws -> [Suggestion] {
        try project.suggestions(codes: codes, region: region, limit: limit)
    }

    /// Accepts (each becomes `reviewer`'s coding) or rejects (never proposed again) suggestions.
    public func decideSuggestions(_ ids: [Int64], accept: Bool, reviewer: String) throws -> SuggestDecisionSummary {
        try project.decideSuggestions(ids, accept: accept, reviewer: reviewer)
    }

    /// Cross-validated suggestions against the keyword rules, with a learning curve.
    public func evaluateSuggestions(folds: Int = 5) throws -> SuggestEvaluation {
        try project.evaluateSuggestions(folds: folds)
    }

    // MARK: - Exchange

    /// The project as a REFI-QDA project archive (`.qdpx`) for NVivo, ATLAS.ti, MAXQDA and
    /// QualCoder.
    public func exportQDPX(origin: String, offsets: REFIOffsetUnit = .utf16, includeAuto: Bool = true) throws
        -> (archive: Data, summary: REFIExportSummary)
    {
        try project.exportQDPX(origin: origin, offsets: offsets, includeAuto: includeAuto)
    }

    /// Imports a REFI-QDA project (`.qdpx`) or codebook into this project.
    public func importREFI(
        path: String, offsets: REFIOffsetUnit? = nil, unit: SegmentUnit = .turn, progress: ProgressHandler? = nil
    ) throws -> REFIImportSummary {
        try project.importREFI(path: path, offsets: offsets, unit: unit, progress: progress)
    }

    /// Merges another coder's copy of this project: their codings, memos and reviews.
    public func merge(path other: String) throws -> MergeSummary { try project.merge(path: other) }

    // MARK: - Maintenance

    /// A consistent copy of the project file, made while others may write.
    public func backup(to destination: String) throws -> BackupSummary { try project.backup(to: destination) }

    /// Checks the project file's invariants.
    public func check(progress: ProgressHandler? = nil) throws -> [CheckResult] {
        try project.check(progress: progress)
    }

    /// Rebuilds the caches reports read from the codings, documents and regions (after the
    /// project file was edited by hand); returns the rows of the report cache.
    @discardableResult
    public func repairCaches() throws -> Int { try project.repairCaches() }

    /// Builds the full-text index again.
    public func refreshFullTextIndex(progress: ProgressHandler? = nil) throws {
        try project.refreshFullTextIndex(progress: progress)
    }
}
