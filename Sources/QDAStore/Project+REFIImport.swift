import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
package import QDACorpus
import QDAFormats
import QDAMatching
public import QDAText

/// What `qda import` read from a REFI-QDA project, and what it left out and why.
public struct REFIImportSummary: Sendable, Equatable, Encodable {
    /// `offsetsReason` when the importer was told how positions count.
    public static let offsetsAsAsked = "as asked"

    /// The file imported.
    public var path: String
    /// The project's name in the file.
    public var name: String
    /// The program that wrote it, as it says.
    public var origin: String?
    /// The unit positions were read in, and why.
    public var offsets: REFIOffsetUnit
    /// Why positions were read in that unit.
    public var offsetsReason: String
    /// Sources imported as documents.
    public var documents = 0
    /// Segments stored.
    public var segments = 0
    /// Codes imported.
    public var codes = 0
    /// Codings stored: one per selection and code and person (a selection over several
    /// segments is stored as one part per segment and counted once).
    public var codings = 0
    /// The coders of the imported codings.
    public var coders: [String] = []
    /// Variable values imported as document attributes.
    public var attributes = 0
    /// Sets imported.
    public var sets = 0
    /// Notes imported as memos.
    public var memos = 0
    /// Selections whose start and end fall on word boundaries, of those checked: a low
    /// share says the positions are counted in another unit (`--offsets`).
    public var selectionsOnBoundaries = 0
    /// Selections whose position and text were checked against the source.
    public var selectionsChecked = 0
    /// What was not imported, and why.
    public var skipped: [String] = []

    /// The one line of `skipped` when the project already holds this archive's import.
    public static let alreadyImported = "the project holds this archive's import already"

    enum CodingKeys: String, CodingKey {
        case path, name, origin, offsets, documents, segments, codes, codings, coders, attributes, sets, memos,
            skipped
        case offsetsReason = "offsets_reason"
        case selectionsOnBoundaries = "selections_on_boundaries"
        case selectionsChecked = "selections_checked"
    }
}

extension Project {
    /// Imports a REFI-QDA project (`.qdpx`) into this project, which must have no
    /// documents yet: its text sources become documents (text as the tool wrote it, with
    /// LF line endings), the code tree the codebook (names, descriptions, colours and
    /// GUIDs kept), every text coding a coding by the person who made it, cases and
    /// variables document attributes (a variable named region, or a case named after a
    /// known region, gives the region), sets sets, notes memos. Positions are read in
    /// `offsets`, or in the unit the exporting tool is known to write. One transaction:
    /// the project is either fully imported or untouched.
    public func importREFI(
        path: String, offsets: REFIOffsetUnit? = nil, unit: SegmentUnit = .turn, progress: ProgressHandler? = nil
    ) throws -> REFIImportSummary {
        let (package, file) = try Self.openREFIArchive(path)
        let detected = REFIOffsetUnit.detect(origin: file.origin)
        var run = REFIImportRun(
            path: path, file: file, package: package, unit: unit,
            summary: REFIImportSummary(
                path: path, name: file.name, origin: file.origin, offsets: offsets ?? detected.unit,
                offsetsReason: offsets == nil ? detected.reason : REFIImportSummary.offsetsAsAsked))
        // Everything is read and checked before anything is written.
        let texts = try Self.readTextSources(&run, progress: progress)
        if file.links > 0 { run.summary.skipped.append("\(plural(file.links, "link")) between items") }
        if file.graphs > 0 { run.summary.skipped.append("\(plural(file.graphs, "graph"))") }
        Self.choosePositions(&run, texts: texts, guessing: offsets == nil && detected.reason.contains("not known"))
        let tree = try Self.codeTree(of: file, path: path)
        run.codeKeys = tree?.keys ?? [:]
        let gazetteer = try currentGazetteer()
        let finder = gazetteer.map { RegionFinder(gazetteer: $0) }
        let hashes = texts.map { SHA256.hex(Data("refi:\(REFIGUID.key($0.source.guid)):".utf8) + $0.bytes) }
        var already = false
        try write { db in
            let present = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0
            // The same archive imported before (a re-run after an interruption): nothing to do.
            if present > 0, present == hashes.count,
                try Set(String.fetchAll(db, sql: "SELECT sha256 FROM document")) == Set(hashes)
            {
                already = true
                return
            }
            guard present == 0 else {
                throw QDAError.projectNotEmpty(documents: present, archive: run.archiveName)
            }
            if let tree {
                _ = try store(tree.codebook, yaml: tree.yaml, sourcePath: path, warnings: [], db)
                run.summary.codes = tree.keys.count
            }
            try Self.storeUsers(&run, db)
            let insertCoding = try db.cachedStatement(sql: Self.insertImportedCoding)
            for (index, item) in texts.enumerated() {
                progress?(WorkProgress(stage: "importing", done: index, total: texts.count))
                try storeSource(
                    item, hash: hashes[index], run: &run, gazetteer: gazetteer, finder: finder,
                    insertCoding: insertCoding, db)
            }
            for (reason, count) in run.skippedSelections.sorted(by: { $0.key < $1.key }) {
                run.summary.skipped.append("\(plural(count, "coding")) or selections that \(reason)")
            }
            run.summary.coders = run.coders.sorted()
            try Self.storeNotes(&run, db)
            run.summary.sets = file.sets.count
            run.summary.skipped += try Self.importSets(file.sets, documents: run.documentIDs, codes: run.codeIDs, db)
            try Self.documentsChanged(Array(run.documentIDs.values), db)
        }
        progress?(WorkProgress(stage: "importing", done: texts.count, total: texts.count))
        if already {
            return REFIImportSummary(
                path: path, name: file.name, origin: file.origin, offsets: run.summary.offsets,
                offsetsReason: run.summary.offsetsReason, skipped: [REFIImportSummary.alreadyImported])
        }
        return run.summary
    }

    /// The archive and its one project file (`project.qde`, or the only `.qde` at the top).
    static func openREFIArchive(_ path: String) throws -> (ZipPackage, REFIProjectFile) {
        let format = "REFI-QDA project"
        let package = try ZipPackage(path: path, format: format)
        let rootQDE = package.fileNames.filter { !$0.contains("/") && $0.lowercased().hasSuffix(".qde") }
        guard let qde = rootQDE.first(where: { $0.lowercased() == "project.qde" }) ?? rootQDE.first,
            rootQDE.count == 1 || rootQDE.contains(where: { $0.lowercased() == "project.qde" })
        else {
            throw QDAError.malformedDocument(
                path: path, format: format,
                reason: rootQDE.isEmpty
                    ? "it holds no project.qde" : "it holds several .qde files (\(rootQDE.joined(separator: ", ")))")
        }
        guard let qdeData = try package.read(qde) else {
            throw QDAError.malformedDocument(path: path, format: format, reason: "'\(qde)' cannot be read")
        }
        return (package, try REFIProjectFile.parse(qdeData, part: qde, path: path))
    }

    /// The text sources with their text decoded; the others (pictures, PDF, audio, video,
    /// sources whose text is missing) are listed in the summary with the codings they lose.
    static func readTextSources(_ run: inout REFIImportRun, progress: ProgressHandler?) throws -> [REFIImportText] {
        var texts: [REFIImportText] = []
        let sources = run.file.sources
        for (index, source) in sources.enumerated() {
            progress?(WorkProgress(stage: "reading sources", done: index, total: sources.count))
            let label = "\(source.kind.rawValue) '\(source.name ?? source.guid)'"
            guard source.kind == .text else {
                let codings =
                    source.selections.reduce(source.codings.count) { $0 + $1.codings.count }
                    + source.otherCodings
                run.summary.skipped.append(
                    "\(label): only text sources are imported"
                        + (codings > 0 ? " (\(plural(codings, "coding")) on it not imported)" : ""))
                continue
            }
            let bytes: Data
            if let content = source.plainTextContent {
                bytes = Data(content.utf8)
            } else if let reference = source.plainTextPath {
                let found = run.entries.resolve(reference)
                guard let name = found.name, let data = try run.package.read(name) else {
                    run.summary.skipped.append(
                        "\(label): \(found.why ?? "its text cannot be read")" + Self.lostCodings(source) + ".")
                    continue
                }
                bytes = data
            } else {
                run.summary.skipped.append(
                    "\(label): it has neither text nor a plainTextPath" + Self.lostCodings(source))
                continue
            }
            let shown = "\(run.path): \(source.plainTextPath ?? "the text of \(label)")"
            texts.append(REFIImportText(source: source, text: try REFIText(data: bytes, path: shown), bytes: bytes))
        }
        return texts
    }

    /// Positions: the given or detected unit; for a tool not known (`guessing`), the unit
    /// that puts most selections on word boundaries. Records how well the unit fits.
    static func choosePositions(_ run: inout REFIImportRun, texts: [REFIImportText], guessing: Bool) {
        let candidates = texts.map { ($0.text, $0.source.selections) }
        if guessing {
            let scored = REFIOffsetUnit.allCases.map { ($0, Self.boundaryFit(candidates, unit: $0)) }
            if let best = scored.max(by: { $0.1.fit < $1.1.fit }), best.1.checked > 0,
                best.1.fit > scored[0].1.fit
            {
                run.summary.offsets = best.0
                run.summary.offsetsReason =
                    "the exporting tool (\(run.file.origin ?? "not named")) is not known; \(best.0.rawValue) puts "
                    + "most selections on word boundaries"
            }
        }
        let fit = Self.boundaryFit(candidates, unit: run.summary.offsets)
        run.summary.selectionsOnBoundaries = fit.onBoundaries
        run.summary.selectionsChecked = fit.checked
    }

    /// The code tree as a codebook (validated like a loaded one), its YAML and the key
    /// of each code's GUID; nil when the file has no codes.
    static func codeTree(of file: REFIProjectFile, path: String) throws -> (
        codebook: Codebook, yaml: String, keys: [String: String]
    )? {
        let tree = file.codebookYAML(
            name: file.name.isEmpty ? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent : file.name,
            header: "Imported from \(URL(fileURLWithPath: path).lastPathComponent)"
                + (file.origin.map { " (exported by \($0))" } ?? ""))
        guard let tree else { return nil }
        let codebook = try CodebookLoader().parse(
            yaml: tree.yaml, path: "\(path) (code tree read as YAML)", sha256: SHA256.hex(Data(tree.yaml.utf8))
        ).codebook
        return (codebook, tree.yaml, tree.keys)
    }

    /// The codes' ids by GUID, and the users' GUIDs, to be written back on export.
    static func storeUsers(_ run: inout REFIImportRun, _ db: Database) throws {
        for (guid, key) in run.codeKeys {
            run.codeIDs[guid] = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [key])
        }
        for (_, user) in run.file.users.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT OR REPLACE INTO exchange_guid (kind, key, guid) VALUES ('user', ?, ?)",
                arguments: [user.name == Self.autoCoder ? "auto (imported)" : user.name, user.guid])
        }
    }

    static let insertImportedCoding = """
        INSERT INTO coding (segment_id, document_id, code_id, coder, start_offset, end_offset, valence,
                            created_at, selection_start, selection_end)
        VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
        """

    /// Stores one text source as a document with its segments, regions, attributes and
    /// description, then its codings and the notes' targets.
    func storeSource(
        _ item: REFIImportText, hash: String, run: inout REFIImportRun, gazetteer: Gazetteer?, finder: RegionFinder?,
        insertCoding: Statement, _ db: Database
    ) throws {
        let source = item.source
        let name = run.uniqueName(for: source)
        let described = run.describe(source, finder: finder)
        run.summary.attributes += described.attributes.count + (described.region == nil ? 0 : 1)
        var document = SourceDocument(
            name: name, path: "\(run.path)#\(source.plainTextPath ?? source.guid)", text: item.text.text,
            kind: described.kind, region: described.region, title: described.columns["title"],
            date: described.columns["date"], language: described.columns["language"],
            attributes: described.attributes, sha256: hash, source: run.archiveName)
        document.format = .qdpx
        document.encoding = .utf8
        document.options = "unit=\(run.unit.rawValue)"
        document.segments = Segmenter().segmentDrafts(of: document, unit: run.unit)
        for i in document.segments.indices {
            document.segments[i].words = FullText.wordCount(document.segments[i].text)
        }
        let documentID = try insert(
            document, length: item.text.length, segments: document.segments, ingestedAt: run.now, db
        ).document
        run.documentIDs[REFIGUID.key(source.guid)] = documentID
        try db.execute(
            sql: "INSERT INTO exchange_guid (kind, key, guid) VALUES ('document', ?, ?)",
            arguments: [name, REFIGUID.normalize(source.guid) ?? source.guid])
        try attributeRegions(documentID: documentID, gazetteer: gazetteer, finder: finder, db)
        run.summary.documents += 1
        run.summary.segments += document.segments.count
        for note in source.notes { run.noteTargets[REFIGUID.key(note)] = ("document", documentID, nil, nil) }
        if let description = source.description {
            try run.addMemo(
                "document", document: documentID, segment: nil, code: nil, author: run.user(source.user),
                text: description, created: source.created, db)
        }
        let segmentIDs = try Int64.fetchAll(
            db, sql: "SELECT id FROM segment WHERE document_id = ? ORDER BY ordinal", arguments: [documentID])
        var coding = REFISourceCoding(
            document: documentID, segments: zip(segmentIDs, document.segments).map { ($0, $1.start, $1.end) },
            insert: insertCoding)
        try Self.storeSelections(item, coding: &coding, run: &run, db)
    }

    /// Stores a source's selections (each cut at the segments it crosses) and the codings
    /// of the whole source, and records where the selections' notes go.
    static func storeSelections(
        _ item: REFIImportText, coding: inout REFISourceCoding, run: inout REFIImportRun, _ db: Database
    ) throws {
        let source = item.source
        for selection in source.selections {
            guard let rawStart = selection.start, let rawEnd = selection.end else {
                run.skippedSelections["have no start or end position", default: 0] += 1
                continue
            }
            guard
                let start = item.text.offset(min(rawStart, rawEnd), unit: run.summary.offsets),
                let end = item.text.offset(max(rawStart, rawEnd), unit: run.summary.offsets, roundingUp: true)
            else {
                run.skippedSelections["reach past the end of their text", default: 0] += 1
                continue
            }
            guard end > start else {
                run.skippedSelections["are empty (start = end)", default: 0] += 1
                continue
            }
            let segment = try coding.code(
                selection.codings, start: start, end: end, fallbackUser: selection.user ?? source.user, run: &run)
            let memoSegment =
                try segment
                ?? Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM segment WHERE document_id = ? AND end_offset > ?
                        ORDER BY ordinal LIMIT 1
                        """, arguments: [coding.document, start])
            for note in selection.notes {
                run.noteTargets[REFIGUID.key(note)] =
                    memoSegment.map { ("segment", coding.document, $0, nil) } ?? ("document", coding.document, nil, nil)
            }
            if let description = selection.description {
                try run.addMemo(
                    memoSegment == nil ? "document" : "segment", document: coding.document, segment: memoSegment,
                    code: nil, author: run.user(selection.user ?? source.user), text: description,
                    created: selection.created, db)
            }
        }
        if !source.codings.isEmpty, item.text.length > 0 {
            _ = try coding.code(
                source.codings, start: 0, end: item.text.length, fallbackUser: source.user, run: &run)
        }
    }

    /// Stores the notes as memos: on what refers to them (a code, a source, a selection),
    /// the others on the project; then the project's name and description.
    static func storeNotes(_ run: inout REFIImportRun, _ db: Database) throws {
        func walk(_ codes: [REFIProjectFile.Code]) {
            for code in codes {
                if let key = run.codeKeys[REFIGUID.key(code.guid)] {
                    for note in code.notes { run.noteTargets[REFIGUID.key(note)] = ("code", nil, nil, key) }
                }
                walk(code.children)
            }
        }
        walk(run.file.codes)
        for note in run.file.notes {
            var text = note.text
            if text == nil, let reference = note.plainTextPath, let name = run.entries.resolve(reference).name,
                let data = try run.package.read(name)
            {
                text = try REFIText(data: data, path: "\(run.path): \(reference)").text
            }
            guard var body = text?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty else {
                run.summary.skipped.append("note '\(note.name ?? note.guid)': it has no text")
                continue
            }
            if let title = note.name?.trimmingCharacters(in: .whitespaces), !title.isEmpty,
                !body.hasPrefix(title.trimmingCharacters(in: CharacterSet(charactersIn: "…. ")))
            {
                body = "\(title)\n\n\(body)"
            }
            let target = run.noteTargets[REFIGUID.key(note.guid)] ?? ("project", nil, nil, nil)
            try run.addMemo(
                target.0, document: target.1, segment: target.2, code: target.3, author: run.user(note.user),
                text: body, created: note.created, db)
        }
        if !run.file.name.isEmpty {
            try db.execute(
                sql: "INSERT OR REPLACE INTO project_info (key, value) VALUES ('name', ?)", arguments: [run.file.name])
        }
        // A project's description becomes a memo, except the one qda writes (the
        // codebook it was coded with, which the imported codebook replaces).
        if let description = run.file.description, run.file.origin?.hasPrefix("qda") != true {
            try run.addMemo(
                "project", document: nil, segment: nil, code: nil, author: "unknown", text: description, created: nil,
                db)
        }
    }

    /// Stores REFI-QDA sets with the members that were imported; returns a line for each
    /// set that lost some (notes, or sources and codes not imported).
    static func importSets(
        _ sets: [REFIProjectFile.Set], documents: [String: Int64], codes: [String: Int64], _ db: Database
    ) throws -> [String] {
        var skipped: [String] = []
        for set in sets {
            var name = set.name.isEmpty ? set.guid : set.name
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_set WHERE name = ?", arguments: [name]) ?? 0 > 0 {
                name += " (\(set.guid))"
            }
            try db.execute(
                sql: "INSERT INTO item_set (name, description, guid) VALUES (?, ?, ?)",
                arguments: [name, set.description, REFIGUID.normalize(set.guid)])
            let setID = db.lastInsertedRowID
            let members =
                set.sources.map { (documents[REFIGUID.key($0)], "document_id") }
                + set.codes.map { (codes[REFIGUID.key($0)], "code_id") }
            var missing = set.notes.count
            for (id, column) in members {
                guard let id else {
                    missing += 1
                    continue
                }
                try db.execute(
                    sql: "INSERT INTO item_set_member (set_id, \(column)) VALUES (?, ?)", arguments: [setID, id])
            }
            if missing > 0 {
                skipped.append(
                    "set '\(name)': \(plural(missing, "member")) not imported (notes, or sources and codes not imported)"
                )
            }
        }
        return skipped
    }

    /// ", N codings on it not imported" for a source that is skipped.
    static func lostCodings(_ source: REFIProjectFile.Source) -> String {
        let count = source.selections.reduce(source.codings.count) { $0 + $1.codings.count } + source.otherCodings
        return count > 0 ? " (\(plural(count, "coding")) on it not imported)" : ""
    }

    /// How many selections (with a start and end) start and end on a word boundary when
    /// their positions are read in `unit`.
    static func boundaryFit(_ texts: [(REFIText, [REFIProjectFile.Selection])], unit: REFIOffsetUnit) -> (
        onBoundaries: Int, checked: Int, fit: Double
    ) {
        var on = 0
        var checked = 0
        for (text, selections) in texts where !selections.isEmpty {
            let scalars = Array(text.text.unicodeScalars)
            // Latin-script words have boundaries; CJK text has one between any two characters.
            func isWord(_ i: Int) -> Bool {
                guard i >= 0, i < scalars.count else { return false }
                return ScriptClass.isWordCharacter(scalars[i]) && !ScriptClass.isCJK(scalars[i])
            }
            func boundary(_ i: Int) -> Bool { !(isWord(i - 1) && isWord(i)) }
            for selection in selections {
                guard let s = selection.start, let e = selection.end, e > s else { continue }
                checked += 1
                guard let start = text.offset(s, unit: unit), let end = text.offset(e, unit: unit) else { continue }
                if boundary(start) && boundary(end) { on += 1 }
            }
        }
        return (on, checked, checked == 0 ? 0 : Double(on) / Double(checked))
    }
}

/// A REFI-QDA text source with its text decoded, ready to store.
struct REFIImportText {
    var source: REFIProjectFile.Source
    var text: REFIText
    var bytes: Data
}

/// One import under way: what it reads from and what its steps have stored so far.
struct REFIImportRun {
    let path: String
    let file: REFIProjectFile
    let package: ZipPackage
    let entries: REFIEntries
    let unit: SegmentUnit
    let now = Project.now()
    var summary: REFIImportSummary
    /// The codebook key of each code's GUID (by `REFIGUID.key`), and its id once stored.
    var codeKeys: [String: String] = [:]
    var codeIDs: [String: Int64] = [:]
    /// The document id of each source's GUID.
    var documentIDs: [String: Int64] = [:]
    var usedNames: Set<String> = []
    var coders: Set<String> = []
    /// Selections not stored, by reason.
    var skippedSelections: [String: Int] = [:]
    /// Where each note goes: target kind, document, segment, code.
    var noteTargets: [String: (String, Int64?, Int64?, String?)] = [:]
    /// Variable names by GUID, and the cases of each source.
    let variables: [String: String]
    let casesBySource: [String: [REFIProjectFile.Case]]

    init(path: String, file: REFIProjectFile, package: ZipPackage, unit: SegmentUnit, summary: REFIImportSummary) {
        self.path = path
        self.file = file
        self.package = package
        self.entries = REFIEntries(package.fileNames)
        self.unit = unit
        self.summary = summary
        variables = Dictionary(
            file.variables.map { (REFIGUID.key($0.guid), $0.name) }, uniquingKeysWith: { first, _ in first })
        var cases: [String: [REFIProjectFile.Case]] = [:]
        for item in file.cases {
            for source in item.sources { cases[REFIGUID.key(source), default: []].append(item) }
        }
        casesBySource = cases
    }

    /// The archive's file name.
    var archiveName: String { URL(fileURLWithPath: path).lastPathComponent }

    /// The coder name of a user GUID (the other tool's `auto` is not ours).
    func user(_ guid: String?) -> String {
        guard let guid else { return "unknown" }
        let name = file.users[REFIGUID.key(guid)]?.name ?? guid
        return name == Project.autoCoder ? "auto (imported)" : name
    }

    /// The source's name, numbered when another source has it.
    mutating func uniqueName(for source: REFIProjectFile.Source) -> String {
        var name =
            source.name
            ?? URL(fileURLWithPath: source.plainTextPath ?? source.guid).deletingPathExtension()
            .lastPathComponent
        if name.isEmpty { name = source.guid }
        var unique = name
        var n = 2
        while usedNames.contains(unique) {
            unique = "\(name) (\(n))"
            n += 1
        }
        usedNames.insert(unique)
        return unique
    }

    /// A source's kind, region, document columns and attributes: its variables, then its
    /// cases' (a case's name too, unless it is the region).
    func describe(_ source: REFIProjectFile.Source, finder: RegionFinder?) -> (
        kind: DocumentKind, region: String?, columns: [String: String], attributes: [String: String]
    ) {
        var attributes: [String: String] = [:]
        var region: String?
        var kind = DocumentKind.other
        var columns: [String: String] = [:]
        func take(_ values: [REFIProjectFile.VariableValue]) {
            for value in values {
                guard let variable = variables[REFIGUID.key(value.variable)], !value.value.isEmpty else { continue }
                switch variable.lowercased() {
                case "region", "地区", "地域":
                    region = region ?? value.value
                case "kind":
                    if let parsed = DocumentKind(rawValue: value.value.lowercased()) { kind = parsed }
                case "title", "date", "language":
                    columns[variable.lowercased()] = columns[variable.lowercased()] ?? value.value
                default:
                    attributes[variable] = attributes[variable] ?? value.value
                }
            }
        }
        take(source.variables)
        let cases = casesBySource[REFIGUID.key(source.guid)] ?? []
        for item in cases { take(item.variables) }
        for item in cases {
            guard let caseName = item.name, !caseName.isEmpty, caseName != region else { continue }
            if region == nil, let resolved = finder?.resolve(caseName) {
                region = resolved
            } else {
                attributes["case"] = attributes["case"].map { "\($0); \(caseName)" } ?? caseName
            }
        }
        return (kind, region, columns, attributes)
    }

    /// Stores a memo (an empty one is not stored).
    mutating func addMemo(
        _ target: String, document: Int64?, segment: Int64?, code: String?, author: String, text: String,
        created: String?, _ db: Database
    ) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        var memo = MemoRecord(
            target: target, documentID: document, segmentID: segment, code: code, region: nil, author: author,
            text: text, createdAt: created ?? now)
        try memo.insert(db)
        summary.memos += 1
    }
}

/// The codings of one imported source: each selection cut at the bounds of the segments
/// it crosses, and stored once per code and coder.
struct REFISourceCoding {
    let document: Int64
    /// Each segment's id, start and end.
    let segments: [(id: Int64, start: Int, end: Int)]
    let insert: Statement
    private var stored: Set<String> = []

    init(document: Int64, segments: [(Int64, Int, Int)], insert: Statement) {
        self.document = document
        self.segments = segments.map { (id: $0.0, start: $0.1, end: $0.2) }
        self.insert = insert
    }

    /// Stores `codings` of the span `start`–`end`; returns the first segment it lies in, or
    /// nil when it lies in none.
    mutating func code(
        _ codings: [REFIProjectFile.Coding], start: Int, end: Int, fallbackUser: String?, run: inout REFIImportRun
    ) throws -> Int64? {
        let pieces = segments.filter { $0.end > start && $0.start < end }.map {
            (id: $0.id, start: max(start, $0.start), end: min(end, $0.end))
        }
        guard !pieces.isEmpty else {
            if !codings.isEmpty { run.skippedSelections["lie in no segment (only white space)", default: 0] += 1 }
            return nil
        }
        for coding in codings {
            guard let codeID = run.codeIDs[REFIGUID.key(coding.code)] else {
                run.skippedSelections["refer to a code not in the code tree", default: 0] += 1
                continue
            }
            let coder = run.user(coding.user ?? fallbackUser)
            guard stored.insert("\(codeID)|\(coder)|\(start)|\(end)").inserted else { continue }
            run.coders.insert(coder)
            for piece in pieces {
                try insert.execute(arguments: [
                    piece.id, document, codeID, coder, piece.start, piece.end, coding.created ?? run.now, start, end,
                ])
            }
            run.summary.codings += 1
        }
        return pieces[0].id
    }
}

/// A `.qdpx` archive's entries, found by the references sources and notes make to them.
struct REFIEntries {
    /// Entries by lower-cased name, so `Sources/` and `sources/` both resolve.
    private var entries: [String: String] = [:]

    init(_ names: [String]) {
        for name in names { entries[name.lowercased()] = entries[name.lowercased()] ?? name }
    }

    /// The entry a `plainTextPath` names (`internal://X`, or a bare `X` as some tools
    /// write it, under `sources/` or at the top), or why there is none. References out
    /// of the archive are never followed.
    func resolve(_ reference: String) -> (name: String?, why: String?) {
        var ref = reference.trimmingCharacters(in: .whitespaces)
        let lower = ref.lowercased()
        if lower.hasPrefix("internal://") {
            ref = String(ref.dropFirst("internal://".count))
        } else if lower.contains("://") || ref.hasPrefix("/") || ref.hasPrefix("\\") {
            return (nil, "its text is outside the archive (\(reference)) and is not read")
        }
        ref = ref.replacingOccurrences(of: "\\", with: "/")
        guard !ref.split(separator: "/").contains("..") else {
            return (nil, "its path \(reference) climbs out of the archive; refused")
        }
        for candidate in ["sources/" + ref, ref] {
            if let found = entries[candidate.lowercased()] { return (found, nil) }
        }
        return (nil, "its text file \(reference) is not in the archive")
    }
}

extension REFIProjectFile {
    /// The code tree as codebook YAML, and the key each code's GUID (by `REFIGUID.key`)
    /// got; nil when the file has no codes.
    func codebookYAML(name: String, header: String) -> (yaml: String, keys: [String: String])? {
        guard !codes.isEmpty else { return nil }
        var order: [String] = []
        func node(_ code: Code) -> REFICodebook.Node {
            order.append(REFIGUID.key(code.guid))
            return REFICodebook.Node(
                name: code.name, description: code.description, color: code.color,
                guid: REFIGUID.normalize(code.guid), children: code.children.map(node))
        }
        let made = REFICodebook.yaml(codes.map(node), name: name, header: header)
        return (made.yaml, Dictionary(zip(order, made.keys), uniquingKeysWith: { first, _ in first }))
    }
}
