import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
public import QDACorpus
import QDAFormats
import QDAMatching
import QDAText
import Synchronization

/// What `ingest` did, for the summary line.
public struct IngestSummary: Sendable, Equatable {
    /// Documents added.
    public var added = 0
    /// Files skipped because they are stored unchanged.
    public var skipped = 0
    /// Documents replaced by a changed file.
    public var replaced = 0
    /// Segments stored.
    public var segmentsAdded = 0
    /// Segments of replaced documents removed.
    public var segmentsRemoved = 0
    /// Documents whose region the gazetteer does not know, as sentences.
    public var unknownRegions: [String] = []
    /// Files that could not be ingested, with the reason; the others were.
    public var failures: [FileFailure] = []
    /// Files read in an encoding that was detected, not given ("path: GB18030").
    public var detectedEncodings: [String] = []
    /// Files the manifest lists that were not among those ingested.
    public var unlistedInRun: [String] = []
    /// Bytes of the files read.
    public var bytesRead: Int64 = 0
    /// What `ingest(autoCode: true)` coded as it stored the documents.
    public var coded = AutoCodeSummary()
    /// How each document added or replaced was read, in file order.
    public var readings: [DocumentReading] = []
    /// Files inside the folders ingested that were not read, and why.
    public var passedOver: [CorpusReader.PassedOver] = []
}

/// A file `ingest` passed over, and why.
public struct FileFailure: Sendable, Equatable {
    /// The file or folder.
    public var path: String
    /// Why it was not ingested, as a sentence.
    public var reason: String
    /// True for a folder that held no file to read.
    public var isFolder = false
    /// The reader's error, for a client to word in its own terms (`reason` is its description).
    public var cause: CorpusError?

    /// Creates the value from its fields.
    public init(path: String, reason: String, isFolder: Bool = false, cause: CorpusError? = nil) {
        self.path = path
        self.reason = reason
        self.isFolder = isFolder
        self.cause = cause
    }
}

extension Project {
    /// Reads the documents under `paths` (or, with none, the files a manifest lists),
    /// segments them and stores them.
    ///
    /// A file whose content (and reading options) is already in the project is skipped; a
    /// file whose name is known but whose content changed replaces the old version and its
    /// auto-codings. A file that cannot be read is reported in `failures` and the others are
    /// stored, each file all or nothing; with `options.strict` the first bad file stops the
    /// run and nothing is stored.
    ///
    /// - Throws: `QDAError` for paths that do not exist, and with `strict` for the first
    ///   bad file; database errors always.
    ///
    /// With `autoCode`, each new document is also coded with the project's codebook as it is
    /// read (on all cores, with its segments still in memory), exactly as `autoCode()` would
    /// code it next; without a codebook the flag does nothing.
    public func ingest(
        paths: [String], options: IngestOptions = IngestOptions(), autoCode: Bool = false,
        progress: ProgressHandler? = nil
    ) throws -> IngestSummary {
        let reader = CorpusReader()
        var summary = IngestSummary()
        let entries = try Self.filesToIngest(paths, reader: reader, options: options, summary: &summary)
        let segmenter = Segmenter()
        let gazetteer = try currentGazetteer()
        let finder = gazetteer.map { RegionFinder(gazetteer: $0) }
        let now = Self.now()
        let codebook = try autoCode ? currentCodebook() : nil
        let signatures = entries.map {
            options.signature(
                for: $0, format: DocumentFormat(pathExtension: URL(fileURLWithPath: $0.path).pathExtension))
        }
        // After reading files, their buffers and pages go back to the system before a report
        // (`qda analyze`) allocates its own; a re-run that read nothing keeps its connections.
        var readFiles = false
        defer { if readFiles { giveBackMemory() } }
        return try writeFirstFill { db in
            let unchanged = try db.cachedStatement(sql: Self.unchangedDocumentSQL)
            // Same file, size, modification time and options: unchanged, not even read.
            var pending: [CorpusReader.Entry] = []
            for (entry, signature) in zip(entries, signatures) {
                if try Bool.fetchOne(unchanged, arguments: [entry.name, entry.size, entry.modified, signature]) ?? false
                {
                    summary.skipped += 1
                } else {
                    pending.append(entry)
                }
            }
            readFiles = !pending.isEmpty
            // The automaton is compiled only when some file is to be read.
            var compiled = try pending.isEmpty ? nil : codebook.map { try ingestCoder(for: $0, db) }
            if let sha = compiled?.codebookSHA256 { compiled?.run = try Self.startCodingRun(codebookSHA256: sha, db) }
            let coder = compiled
            var changed: [Int64] = []
            let deferredIndexes = try Self.deferIndexesOfAnEmptyProject(db)
            // Reading, hashing, segmenting (and matching) run on all cores, a chunk of files at
            // a time, while the single writer stores the chunk before in file order, each file
            // in a savepoint.
            var done = summary.skipped
            let chunks = stride(from: 0, to: pending.count, by: Self.ingestChunk).map {
                Array(pending[$0..<min($0 + Self.ingestChunk, pending.count)])
            }
            func start(_ index: Int) -> BackgroundResult<[Result<[ParsedDocument], Error>]>? {
                guard index < chunks.count else { return nil }
                return BackgroundResult {
                    Self.parse(
                        chunks[index], reader: reader, segmenter: segmenter, options: options, coder: coder,
                        finder: finder)
                }
            }
            // Two chunks are read ahead, so that the readers never wait for the writer to
            // take a chunk before starting the next (one ahead left both sides idle at times).
            var ahead = [start(0), start(1)].compactMap { $0 }
            for index in chunks.indices {
                guard !ahead.isEmpty else { break }
                let results = try ahead.removeFirst().wait()
                if let job = start(index + 2) { ahead.append(job) }
                try storeChunk(
                    zip(chunks[index], results), done: &done, total: entries.count, summary: &summary,
                    gazetteer: gazetteer, finder: finder, coder: coder, now: now, strict: options.strict,
                    changed: &changed, progress: progress, db)
            }
            progress?(
                WorkProgress(stage: "ingest", done: entries.count, total: entries.count, bytes: summary.bytesRead))
            try Self.withBulkSortCache(db) {
                for sql in deferredIndexes { try db.execute(sql: sql) }
            }
            if let run = coder?.run, summary.coded.codingsAdded == 0 {
                try db.execute(sql: "DELETE FROM coding_run WHERE id = ?", arguments: [run])
            }
            // New and replaced documents change every report's numbers (segments per region
            // too): their rows of the report cache are computed again.
            if !changed.isEmpty { try Self.documentsChanged(changed, db) }
            return summary
        }
    }

    /// Stores one chunk of files read by the workers, in file order, each file in a
    /// savepoint: a file that cannot be read or stored is a failure (the first one stops
    /// the run with `strict`), and the others are stored.
    private func storeChunk(
        _ chunk: Zip2Sequence<[CorpusReader.Entry], [Result<[ParsedDocument], Error>]>, done: inout Int, total: Int,
        summary: inout IngestSummary, gazetteer: Gazetteer?, finder: RegionFinder?, coder: IngestCoder?, now: String,
        strict: Bool, changed: inout [Int64], progress: ProgressHandler?, _ db: Database
    ) throws {
        for (entry, parsed) in chunk {
            done += 1
            summary.bytesRead += Int64(max(entry.size, 0))
            progress?(WorkProgress(stage: "ingest", done: done, total: total, bytes: summary.bytesRead))
            do {
                let documents = try parsed.get()
                var fileSummary = summary
                var fileChanged: [Int64] = []
                try db.inSavepoint {
                    for document in documents {
                        try self.store(
                            document, entry: entry, summary: &fileSummary, gazetteer: gazetteer, finder: finder,
                            coder: coder, now: now, changed: &fileChanged, db)
                    }
                    return .commit
                }
                summary = fileSummary
                changed += fileChanged
                if let first = documents.first?.source, first.encodingDetected, let encoding = first.encoding,
                    encoding != .utf8
                {
                    summary.detectedEncodings.append("\(entry.path): \(encoding.rawValue)")
                }
            } catch let error as CorpusError {
                if strict { throw error }
                summary.failures.append(FileFailure(path: entry.path, reason: error.description, cause: error))
            } catch let error as QDAError {
                if strict { throw error }
                summary.failures.append(FileFailure(path: entry.path, reason: error.description))
            } catch  where !(error is DatabaseError) {
                // A reader's unexpected error is the file's problem, not the run's.
                if strict { throw error }
                summary.failures.append(
                    FileFailure(path: entry.path, reason: "\(entry.path): \(error.localizedDescription)"))
            }
        }
    }

    /// The files to read: under `paths` (or, with none, those the manifest lists), with
    /// missing listed files and folders that hold nothing to read recorded as failures
    /// (thrown with `options.strict`), and the manifest itself left out.
    static func filesToIngest(
        _ paths: [String], reader: CorpusReader, options: IngestOptions, summary: inout IngestSummary
    ) throws -> [CorpusReader.Entry] {
        var entries: [CorpusReader.Entry]
        if paths.isEmpty, let manifest = options.manifest {
            entries = []
            for file in manifest.order {
                if FileManager.default.fileExists(atPath: file) {
                    let base = URL(fileURLWithPath: manifest.path).deletingLastPathComponent().standardizedFileURL.path
                    let name = file.hasPrefix(base + "/") ? String(file.dropFirst(base.count + 1)) : file
                    entries.append(CorpusReader.Entry(path: file, name: name))
                } else {
                    let failure = FileFailure(
                        path: file,
                        reason: "listed in \(manifest.path) line \(manifest.lines[file] ?? 0), but not found")
                    if options.strict { throw CorpusError.unreadable(path: file, reason: failure.reason) }
                    summary.failures.append(failure)
                }
            }
        } else {
            let scan = try reader.scan(paths)
            entries = scan.entries
            summary.passedOver = scan.passedOver
            for (folder, inside) in scan.emptyFolders {
                // A folder that gave nothing is a failure, not an empty success.
                let reason =
                    "\(folder): holds no file qda reads"
                    + (inside.isEmpty
                        ? ""
                        : " (passed over: " + CorpusReader.PassedOver.tally(inside) + ")")
                    + "; supported: " + DocumentFormat.supportedExtensionList
                if options.strict { throw CorpusError.unreadable(path: folder, reason: "it holds no file qda reads") }
                summary.failures.append(FileFailure(path: folder, reason: reason, isFolder: true))
            }
        }
        if let manifest = options.manifest {
            let manifestPath = URL(fileURLWithPath: manifest.path).standardizedFileURL.path
            entries.removeAll { $0.path == manifestPath }
            let ingested = Set(entries.map(\.path))
            summary.unlistedInRun = manifest.order.filter {
                !ingested.contains($0) && FileManager.default.fileExists(atPath: $0)
            }
        }
        return entries
    }

    /// Stores one document read from `entry`: skipped when its content and options are
    /// stored already, replacing an earlier version of the same name otherwise.
    private func store(
        _ parsed: ParsedDocument, entry: CorpusReader.Entry, summary: inout IngestSummary, gazetteer: Gazetteer?,
        finder: RegionFinder?, coder: IngestCoder?, now: String, changed: inout [Int64], _ db: Database
    ) throws {
        let document = parsed.source
        if let same = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT name, options FROM document WHERE sha256 = ?"), arguments: [document.sha256]
        ),
            same["options"] == document.options || same["name"] != document.name
        {
            // Same content (touched, or copied under another name): remember the new time.
            try db.execute(
                sql: "UPDATE document SET file_size = ?, file_modified = ?, options = ? WHERE name = ? AND sha256 = ?",
                arguments: [entry.size, entry.modified, document.options, document.name, document.sha256])
            summary.skipped += 1
            return
        }
        if let old = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT id, (SELECT COUNT(*) FROM segment WHERE document_id = document.id) AS n "
                    + "FROM document WHERE name = ?"), arguments: [document.name])
        {
            let oldID: Int64 = old["id"]
            let human =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT COUNT(*) FROM coding WHERE document_id = ?1 AND coder <> 'auto')
                             + (SELECT COUNT(*) FROM memo WHERE document_id = ?1)
                             + (SELECT COUNT(*) FROM coding_review WHERE document_id = ?1)
                        """,
                    arguments: [oldID]) ?? 0
            guard human == 0 else {
                throw QDAError.wouldDropHumanCodings(document: entry.path, count: human)
            }
            try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [oldID])
            changed.append(oldID)
            summary.replaced += 1
            summary.segmentsRemoved += old["n"] as Int
        } else {
            summary.added += 1
        }
        if let reading = document.reading { summary.readings.append(reading) }
        let segments = document.segments
        let (documentID, segmentIDs) = try insert(
            document, length: document.length, segments: segments, ingestedAt: now, db)
        try db.cachedStatement(sql: "UPDATE document SET file_size = ?, file_modified = ? WHERE id = ?").execute(
            arguments: [entry.size, entry.modified, documentID])
        changed.append(documentID)
        summary.segmentsAdded += segments.count
        if let coder, let rows = parsed.autoCodes {
            summary.coded.add(
                try coder.store(rows, document: documentID, segments: segments, segmentIDs: segmentIDs, db))
        }
        // The document's region as the gazetteer names it (nil when it does not know it).
        let resolved = document.region.flatMap { finder?.resolve($0) }
        if let places = parsed.places {
            // Found by the reading workers: the segments' text is not read back.
            let placed = segments.indices.map { index in
                PlacedSegment(
                    id: segmentIDs[index], start: segments[index].start, counted: segments[index].isCounted,
                    block: segments[index].block, places: places[index])
            }
            try Self.storePlaces(of: placed, document: documentID, region: resolved ?? document.region, db)
        } else {
            try attributeRegions(documentID: documentID, gazetteer: gazetteer, finder: finder, db)
        }
        if let region = document.region, let gazetteer, finder != nil, resolved == nil {
            summary.unknownRegions.append(
                "\(entry.path): region '\(region)' is not in the gazetteer \(gazetteer.name); kept as written.")
        }
    }

    /// Indexes that only reports and deletions read, dropped while a project without
    /// segments is first filled and built once at the end, in the same transaction: sorting
    /// all keys once costs less than inserting every document's rows into three more
    /// b-trees (`qda analyze` of the 100 MB benchmark corpus: 15.8 s against 18.6 s without
    /// it, docs/performance.md). Returns the statements that create them again, as the
    /// schema has them; none when the project holds segments already.
    static func deferIndexesOfAnEmptyProject(_ db: Database) throws -> [String] {
        guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM segment)")! else { return [] }
        return try dropIndexes(
            ["coding_segment", "coding_code", "coding_document"], db)
    }

    /// Drops the named indexes (those that exist) and returns the statements that create
    /// them again, as the schema has them, for building them once after a bulk load.
    static func dropIndexes(_ names: [String], _ db: Database) throws -> [String] {
        let indexes = try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                  AND name IN (\(databaseQuestionMarks(count: names.count)))
                ORDER BY name
                """, arguments: StatementArguments(names))
        for index in indexes {
            try db.execute(sql: "DROP INDEX \((index["name"] as String).quotedDatabaseIdentifier)")
        }
        return indexes.map { $0["sql"] }
    }

    /// Whether a document was stored from this file (source path), size, modification time
    /// and reading options: answered from the covering index `document_unchanged`, without
    /// reading the document's row, whose text lies before its options.
    static let unchangedDocumentSQL =
        "SELECT 1 FROM document WHERE source = ? AND file_size = ? AND file_modified = ? AND options = ? LIMIT 1"

    /// Files read and segmented in parallel per chunk.
    static let ingestChunk = 64

    /// Reads and segments `files` on all cores (a file may hold several documents), codes
    /// them with `coder` and finds the places they name with `finder`; results come back in
    /// file order.
    static func parse(
        _ files: [CorpusReader.Entry], reader: CorpusReader, segmenter: Segmenter, options: IngestOptions,
        coder: IngestCoder? = nil, finder: RegionFinder? = nil
    ) -> [Result<[ParsedDocument], Error>] {
        let results = Mutex<[Result<[ParsedDocument], Error>?]>(Array(repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let result = Result { () throws -> [ParsedDocument] in
                try reader.read(files[index], options: options).map { document in
                    var document = document
                    segmenter.segment(&document, options: options)
                    for index in document.segments.indices {
                        document.segments[index].words = FullText.wordCount(document.segments[index].text)
                    }
                    document.length = TextHygiene.scalarCount(document.text)
                    var parsed = ParsedDocument(source: document)
                    if let coder { parsed.autoCodes = coder.code(document.segments) }
                    if let finder {
                        // As `attributeRegions` would find them in the stored segments.
                        var normalizer = TextNormalizer()
                        parsed.places = document.segments.map { segment in
                            SegmentPlaces(
                                text: segment.text, kind: document.kind, counted: segment.isCounted,
                                finder: finder, normalizer: &normalizer)
                        }
                    }
                    return parsed
                }
            }
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Stores one document and its segments; returns the ids of the document and of its
    /// segments, in order.
    @discardableResult
    func insert(
        _ document: SourceDocument, length: Int, segments: [SegmentDraft], ingestedAt: String, _ db: Database
    ) throws -> (document: Int64, segments: [Int64]) {
        // Cached statements: compiling ten statements per document was a visible part of
        // storing thousands of documents.
        try db.cachedStatement(
            sql: """
                INSERT INTO document (name, source_path, kind, title, region, date, language, sha256, text, length,
                    ingested_at, source, format, encoding, options)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                document.name, document.path, document.kind.rawValue, document.title, document.region, document.date,
                document.language, document.sha256, document.text, length, ingestedAt, document.source,
                document.format.rawValue, document.encoding?.rawValue, document.options,
            ])
        let documentID = db.lastInsertedRowID
        for (key, value) in document.attributes.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: "INSERT INTO document_attribute (document_id, key, value) VALUES (?, ?, ?)")
                .execute(arguments: [documentID, key, value])
        }
        var statement = try RowInserter(
            db,
            sql: """
                INSERT INTO segment (document_id, ordinal, start_offset, end_offset, speaker, timestamp, interviewer, page,
                    words, role, block)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var segmentIDs: [Int64] = []
        segmentIDs.reserveCapacity(segments.count)
        for segment in segments {
            statement.bind(documentID)
            statement.bind(segment.ordinal)
            statement.bind(segment.start)
            statement.bind(segment.end)
            statement.bind(segment.speaker)
            statement.bind(segment.timestamp)
            // The column says whether the segment counts: interviewer turns and the parts of
            // an article that are not evidence do not (docs/project-file.md).
            statement.bind(!segment.isCounted)
            statement.bind(segment.page)
            statement.bind(segment.words)
            statement.bind(segment.role.rawValue)
            statement.bind(segment.block)
            try statement.run(db)
            segmentIDs.append(db.lastInsertedRowID)
        }
        return (documentID, segmentIDs)
    }

    /// The codebook's matcher for coding documents as they are ingested.
    func ingestCoder(for codebook: Codebook, _ db: Database) throws -> IngestCoder {
        let matcher = Matcher(codebook: codebook)
        return IngestCoder(matcher: matcher, codeIDs: try codeIDs(of: matcher, db), codebookSHA256: codebook.sha256)
    }

    /// The ids of the matcher's codes, in its order.
    func codeIDs(of matcher: Matcher, _ db: Database) throws -> [Int64] {
        try matcher.codes.map { key in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [key]) else {
                throw QDAError.notAProject(path: path, reason: "code '\(key)' of the codebook is missing")
            }
            return id
        }
    }
}

/// A document as the reading workers leave it for the writer: read and cut, and, when
/// the run codes or places as it reads, its matches and place names per segment.
struct ParsedDocument: Sendable {
    var source: SourceDocument
    /// The auto-coder's matches per segment (empty for interviewer turns).
    var autoCodes: [[AutoCodeRow]]?
    /// The places each segment names, when the project has a gazetteer.
    var places: [SegmentPlaces]?
}

/// Auto-coding during ingest: the matcher runs in the reading workers, the writer stores
/// the codings with the segments, and the document is marked as coded with the codebook.
/// (`segment_code` rows are added for all new documents at the end, or rebuilt by the
/// first report after a large ingest: one statement over all new codings costs less than
/// adding each document's rows as it is stored, measured.)
struct IngestCoder: Sendable {
    let matcher: Matcher
    let codeIDs: [Int64]
    let codebookSHA256: String
    /// The run the codings belong to (`coding_run`).
    var run: Int64 = 0

    /// The codings of each segment; interviewer turns are not coded.
    func code(_ segments: [SegmentDraft]) -> [[AutoCodeRow]] {
        var normalizer = TextNormalizer()
        return segments.map { segment in
            guard segment.isCounted else { return [] }
            return AutoCodeRow.rows(matcher.matches(in: segment.text, normalizer: &normalizer))
        }
    }

    /// Stores one new document's codings and its coding state.
    func store(
        _ rows: [[AutoCodeRow]], document: Int64, segments: [SegmentDraft], segmentIDs: [Int64], _ db: Database
    ) throws -> AutoCodeSummary {
        var summary = AutoCodeSummary()
        var insert = try RowInserter(db, sql: Project.insertAutoCoding)
        for (index, codings) in rows.enumerated() where segments[index].isCounted {
            summary.segmentsCoded += 1
            guard !codings.isEmpty else { continue }
            summary.segmentsWithCodings += 1
            let base = segments[index].start
            for coding in codings {
                try Project.storeAutoCoding(
                    &insert, segment: segmentIDs[index], document: document, code: codeIDs[coding.code],
                    start: base + coding.start, end: base + coding.end, valence: coding.valence, run: run, db)
                summary.codingsAdded += 1
            }
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO coding_state (document_id, codebook_sha256) VALUES (?, ?)")
            .execute(arguments: [document, codebookSHA256])
        return summary
    }
}
