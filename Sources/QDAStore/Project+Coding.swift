import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// What `autoCode` did.
public struct AutoCodeSummary: Sendable, Equatable {
    /// Segments matched in this run (the others were already coded with this codebook).
    public var segmentsCoded = 0
    /// Segments that received at least one coding.
    public var segmentsWithCodings = 0
    /// Codings added.
    public var codingsAdded = 0
    /// Earlier automatic codings removed.
    public var codingsRemoved = 0

    /// Adds the counts of another run.
    public mutating func add(_ other: AutoCodeSummary) {
        segmentsCoded += other.segmentsCoded
        segmentsWithCodings += other.segmentsWithCodings
        codingsAdded += other.codingsAdded
        codingsRemoved += other.codingsRemoved
    }
}

extension Project {
    /// The coder name of the automatic coder. Its codings are the only ones it replaces.
    public static let autoCoder = Coder.auto

    /// Documents auto-coded per committed batch: bounds memory, and an interrupted run
    /// resumes where it stopped.
    static let codingBatch = 256

    /// Auto-codes the documents not yet coded with the current codebook (all of them with
    /// `all`), replacing only the auto-coder's earlier codings of those documents.
    ///
    /// Work is committed in batches of documents; each batch records the codebook it was
    /// coded with, so a run that is interrupted leaves whole documents coded or not, and
    /// the next run goes on from there.
    ///
    /// - Throws: `QDAError.noCodebook` when no codebook is loaded.
    public func autoCode(all: Bool = false, progress: ProgressHandler? = nil) throws -> AutoCodeSummary {
        try autoCode(all: all, progress: progress, batchSize: Self.codingBatch)
    }

    /// `autoCode` committing `batchSize` documents at a time (tests use small batches).
    func autoCode(all: Bool, progress: ProgressHandler?, batchSize: Int) throws -> AutoCodeSummary {
        guard let codebook = try currentCodebook() else { throw QDAError.noCodebook }
        let (documents, total) = try read { db -> ([Int64], Int) in
            let documents = try Int64.fetchAll(
                db,
                sql: """
                    SELECT document.id FROM document LEFT JOIN coding_state ON coding_state.document_id = document.id
                    WHERE ? OR coding_state.codebook_sha256 IS NULL OR coding_state.codebook_sha256 <> ?
                    ORDER BY document.id
                    """, arguments: [all, codebook.sha256])
            // The segments to code, for progress: counted only when there is something to code
            // (a scan of the segment table, which a re-run of an unchanged corpus need not pay).
            guard !documents.isEmpty else { return (documents, 0) }
            let total =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM segment LEFT JOIN coding_state USING (document_id)
                        WHERE segment.interviewer = 0
                          AND (? OR coding_state.codebook_sha256 IS NULL OR coding_state.codebook_sha256 <> ?)
                        """, arguments: [all, codebook.sha256]) ?? 0
            return (documents, total)
        }
        var summary = AutoCodeSummary()
        guard !documents.isEmpty else {
            // Nothing to code: the automaton (a large part of a re-run with a big codebook)
            // is not compiled.
            progress?(WorkProgress(stage: "code", done: 0, total: 0))
            return summary
        }
        let matcher = Matcher(codebook: codebook)
        let coder = AutoCoder(matcher: matcher)
        let codeIDs = try read { db in try self.codeIDs(of: matcher, db) }
        var run: Int64?
        let batches = stride(from: 0, to: documents.count, by: batchSize).map {
            Array(documents[$0..<min($0 + batchSize, documents.count)])
        }
        // The next batch is read and matched (on a reader connection, all cores) while the
        // writer stores this one; the writer checks that its segments are still those that
        // were read, and reads and matches them again if another command changed them.
        @Sendable func prepare(_ batch: [Int64], matchedBefore base: Int, _ db: Database) throws -> CodingBatch {
            try CodingBatch(documents: batch, coder: coder, db) { step in
                progress?(WorkProgress(stage: "code", done: base + step.done, total: total))
            }
        }
        func startPreparing(_ index: Int, matchedBefore base: Int) -> BackgroundResult<CodingBatch>? {
            guard index < batches.count else { return nil }
            let batch = batches[index]
            return BackgroundResult { try self.read { db in try prepare(batch, matchedBefore: base, db) } }
        }
        var matchedBefore = 0
        var next = startPreparing(0, matchedBefore: 0)
        for index in batches.indices {
            guard let job = next else { break }
            let read = try job.wait()
            let base = matchedBefore
            matchedBefore += read.segments.count
            next = startPreparing(index + 1, matchedBefore: matchedBefore)
            try write { db in
                let id = try run ?? Self.startCodingRun(codebookSHA256: codebook.sha256, db)
                try Self.storeCodings(
                    read, reread: { try prepare(read.documents, matchedBefore: base, $0) }, codeIDs: codeIDs,
                    codebookSHA256: codebook.sha256, run: id, summary: &summary, db)
                run = id
            }
        }
        progress?(WorkProgress(stage: "code", done: total, total: total))
        return summary
    }

    /// Stores the codings of `read` in the transaction of `db`, replacing the auto-coder's
    /// earlier codings of its documents, and marks the documents coded with
    /// `codebookSHA256`. `read` may come from another connection a moment before: if its
    /// documents changed since (`CodingBatch.fingerprint`), they are read and matched again
    /// with `reread`.
    static func storeCodings(
        _ read: CodingBatch, reread: (Database) throws -> CodingBatch, codeIDs: [Int64], codebookSHA256: String,
        run: Int64, summary: inout AutoCodeSummary, _ db: Database
    ) throws {
        var batch = read
        if try CodingBatch.fingerprint(of: batch.documents, db) != batch.fingerprint {
            batch = try reread(db)
        }
        try db.execute(
            sql:
                "DELETE FROM coding WHERE coder = 'auto' AND document_id IN (\(placeholders(batch.documents.count)))",
            arguments: StatementArguments(batch.documents))
        summary.codingsRemoved += db.changesCount
        // Spans a person accepted, rejected or recoded stay as the person left them.
        let reviewed = try Self.reviewedSpans(documents: batch.documents, db)
        var insert = try RowInserter(db, sql: Self.insertAutoCoding)
        for (segment, codings) in zip(batch.segments, batch.codings) {
            summary.segmentsCoded += 1
            guard !codings.isEmpty else { continue }
            for coding in codings {
                let code = codeIDs[coding.code]
                let start = segment.start + coding.start
                let end = segment.start + coding.end
                if !reviewed.isEmpty,
                    reviewed.contains(
                        ReviewedSpan(document: segment.document, code: code, start: start, end: end))
                {
                    continue
                }
                summary.codingsAdded += 1
                try Self.storeAutoCoding(
                    &insert, segment: segment.id, document: segment.document, code: code, start: start,
                    end: end, valence: coding.valence, run: run, db)
            }
            summary.segmentsWithCodings += 1
        }
        let mark = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO coding_state (document_id, codebook_sha256) VALUES (?, ?)")
        for document in batch.documents { try mark.execute(arguments: [document, codebookSHA256]) }
        try Self.codingsChanged(documents: batch.documents, db)
    }

    /// An auto-coding stores no text and no time of its own: what it matched is its span of
    /// the document's text, and when it was made is its run's (`coding_run`).
    static let insertAutoCoding = """
        INSERT INTO coding (segment_id, document_id, code_id, coder, start_offset, end_offset, valence, run_id)
        VALUES (?, ?, ?, 'auto', ?, ?, ?, ?)
        """

    /// Records a run of the auto-coder (its codebook and the time, once for all its codings).
    static func startCodingRun(codebookSHA256: String, _ db: Database) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO coding_run (codebook_sha256, started_at) VALUES (?, ?)",
            arguments: [codebookSHA256, now()])
        return db.lastInsertedRowID
    }

    /// Stores one auto-coding through `insert` (made with `insertAutoCoding`).
    static func storeAutoCoding(
        _ insert: inout RowInserter, segment: Int64, document: Int64, code: Int64, start: Int, end: Int, valence: Int,
        run: Int64, _ db: Database
    ) throws {
        insert.bind(segment)
        insert.bind(document)
        insert.bind(code)
        insert.bind(start)
        insert.bind(end)
        insert.bind(valence)
        insert.bind(run)
        try insert.run(db)
    }

    /// Marks the report cache (`segment_code`) stale. Every change to codings, or to the
    /// code tree they roll up through, must call it in the same transaction.
    static func markSegmentCodesStale(_ db: Database) throws {
        try db.execute(sql: "UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'")
        // Cached report numbers belong to the generation before this change, those that
        // read regions only too.
        try startNewGenerations(db)
    }

    /// After codings changed in `documents` only (no document, region or code came or
    /// went): `segment_code` is brought up to date for those documents when it was fresh
    /// (a rebuild otherwise), and only report numbers that read codings start a new
    /// generation — region totals stay cached.
    static func codingsChanged(documents: [Int64], _ db: Database) throws {
        try updateSegmentCodes(documents: documents, db)
        try startNewCodingGeneration(db)
    }

    /// After documents came, went or were replaced, or their segments' regions changed
    /// (`documents` names them, the ids of removed documents too): their `segment_code`
    /// rows are computed again, in time proportional to their codings, and every report
    /// number starts a new generation (region totals too).
    static func documentsChanged(_ documents: [Int64], _ db: Database) throws {
        try updateSegmentCodes(documents: documents, db)
        try startNewGenerations(db)
    }

    /// Replaces the `segment_code` rows of `documents` when the cache is fresh and they
    /// are few enough (`incrementalDocuments`); marks it stale for a rebuild otherwise.
    private static func updateSegmentCodes(documents: [Int64], _ db: Database) throws {
        guard !documents.isEmpty, try segmentCodesAreFresh(db) else { return }
        let unique = Array(Set(documents)).sorted()
        guard unique.count <= incrementalDocuments else {
            try db.execute(sql: "UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'")
            return
        }
        try replaceSegmentCodes(of: unique, column: "document_id", codings: "coding.document_id", db)
    }

    /// Replaces the `segment_code` rows whose `column` is one of `ids` by those of the
    /// codings whose `codings` (an expression of the defining statement) is one of them.
    private static func replaceSegmentCodes(of ids: [Int64], column: String, codings: String, _ db: Database) throws {
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = StatementArguments(ids[start..<min(start + 500, ids.count)])
            let marks = databaseQuestionMarks(count: min(500, ids.count - start))
            try db.execute(sql: "DELETE FROM segment_code WHERE \(column) IN (\(marks))", arguments: chunk)
            try db.execute(sql: segmentCodeRows(where: "\(codings) IN (\(marks))"), arguments: chunk)
        }
    }

    /// Every (ancestor, descendant) pair of the code tree, for `codeTreeChanged`.
    static func codeTree(_ db: Database) throws -> Set<CodePair> {
        var pairs = Set<CodePair>()
        var reader = try RowReader(db, sql: "SELECT ancestor_id, descendant_id FROM code_closure", arguments: [])
        while try reader.next(db) { pairs.insert(CodePair(ancestor: reader.int64(0), descendant: reader.int64(1))) }
        return pairs
    }

    /// After the code tree changed from `before` (a codebook loaded or edited), or the
    /// codings of `codes` moved or went: the `segment_code` rows of every code whose
    /// descendants changed, and of every ancestor of `codes` (before and after), are
    /// computed again, in time proportional to those codes' codings; report numbers that
    /// read codings start a new generation.
    static func codeTreeChanged(before: Set<CodePair>, codings codes: Set<Int64>, _ db: Database) throws {
        if try segmentCodesAreFresh(db) {
            let after = try codeTree(db)
            var affected = Set(after.symmetricDifference(before).map(\.ancestor))
            if !codes.isEmpty {
                for pair in before.union(after) where codes.contains(pair.descendant) { affected.insert(pair.ancestor) }
            }
            try replaceSegmentCodes(of: affected.sorted(), column: "code_id", codings: "closure.ancestor_id", db)
        }
        try startNewCodingGeneration(db)
    }

    /// Starts a new generation of the cached report numbers that read codings; those that
    /// read documents and regions only (`regionScope`) stay.
    static func startNewCodingGeneration(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE project_info SET value = CAST(value AS INTEGER) + 1 WHERE key = 'report_generation';
                DELETE FROM report_cache WHERE key NOT LIKE '\(regionScope)%';
                """)
    }

    /// Whether `segment_code` holds every coding (`project_info.segment_code_fresh`).
    static func segmentCodesAreFresh(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM project_info WHERE key = 'segment_code_fresh'") == "1"
    }

    /// Starts a new generation of every cached report number, region totals too.
    static func startNewGenerations(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE project_info SET value = CAST(value AS INTEGER) + 1 WHERE key = 'report_generation';
                INSERT INTO project_info (key, value) VALUES ('region_generation', '1')
                    ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
                DELETE FROM report_cache;
                """)
    }

    /// The statement that fills `segment_code` from the codings that meet `condition`:
    /// one row per code and ancestor, region and segment.
    static func segmentCodeRows(where condition: String) -> String {
        """
        INSERT INTO segment_code (code_id, region, segment_id, document_id, valence, codings)
        \(segmentCodeSelect(where: condition))
        """
    }

    /// The `segment_code` rows of the codings that meet `condition`, as a query.
    static func segmentCodeSelect(where condition: String) -> String {
        """
        SELECT closure.ancestor_id, COALESCE(sr.region, ''), coding.segment_id, coding.document_id,
               SUM(coding.valence), COUNT(*)
        FROM coding JOIN code_closure AS closure ON closure.descendant_id = coding.code_id
        LEFT JOIN segment_region AS sr ON sr.segment_id = coding.segment_id
        WHERE \(condition)
        GROUP BY closure.ancestor_id, sr.region, coding.segment_id
        """
    }

    /// Up to this many documents' `segment_code` rows are updated in place; more are rebuilt.
    static let incrementalDocuments = 2000

    /// The prefix of report-cache keys whose numbers read documents and regions only.
    static let regionScope = "region:"
}

/// An (ancestor, descendant) pair of `code_closure`.
struct CodePair: Hashable {
    var ancestor: Int64
    var descendant: Int64
}

/// The segments of a batch of documents, read for auto-coding, with the codings found in
/// them (`Project.autoCode`).
struct CodingBatch: Sendable {
    struct Segment: Sendable {
        var id: Int64
        var document: Int64
        /// The segment's offset in its document, in Unicode scalars.
        var start: Int
    }

    /// What was read: another command replacing or removing a document of the batch
    /// changes it. (Ids alone do not tell: SQLite gives a replaced document's rows the ids
    /// of the rows it deleted when they were the last.)
    struct Fingerprint: Equatable, Sendable {
        /// Each document's id, content hash and reading options.
        var documents: [String] = []
        var segments = 0
        var idSum: Int64 = 0

        mutating func add(segment id: Int64) {
            segments += 1
            idSum &+= id
        }
    }

    var documents: [Int64]
    var segments: [Segment] = []
    /// The codings of each segment, in the order of `segments`.
    var codings: [[AutoCodeRow]] = []
    var fingerprint = Fingerprint()

    /// Reads the countable segments of `documents` and matches them on all cores.
    init(documents: [Int64], coder: AutoCoder, _ db: Database, progress: ProgressHandler?) throws {
        self.documents = documents
        var reader = try RowReader(
            db,
            sql: """
                SELECT id, document_id, start_offset, end_offset FROM segment \(Self.filter(documents.count))
                ORDER BY document_id, ordinal
                """,
            arguments: StatementArguments(documents))
        var texts: [SegmentText] = []
        var cutter = TextCutter()
        fingerprint.documents = try Self.documentStates(documents, db)
        while try reader.next(db) {
            let id = reader.int64(0)
            let document = reader.int64(1)
            let start = Int(reader.int64(2))
            segments.append(Segment(id: id, document: document, start: start))
            texts.append(
                SegmentText(
                    id: id, text: try cutter.cut(document: document, start: start, end: Int(reader.int64(3)), db)))
            fingerprint.add(segment: id)
        }
        var report: (@Sendable (Int, Int) -> Void)?
        if let progress {
            report = { done, total in progress(WorkProgress(stage: "code", done: done, total: total)) }
        }
        codings = coder.codings(texts, progress: report)
    }

    /// The fingerprint of `documents` as they are now: the same as `init` takes of the rows
    /// it reads.
    static func fingerprint(of documents: [Int64], _ db: Database) throws -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.documents = try documentStates(documents, db)
        var reader = try RowReader(
            db, sql: "SELECT id FROM segment \(filter(documents.count))", arguments: StatementArguments(documents))
        while try reader.next(db) { fingerprint.add(segment: reader.int64(0)) }
        return fingerprint
    }

    /// Each document's id, content hash and reading options.
    private static func documentStates(_ documents: [Int64], _ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT id || ' ' || sha256 || ' ' || options FROM document
                WHERE id IN (\(placeholders(documents.count))) ORDER BY id
                """, arguments: StatementArguments(documents))
    }

    /// The segments auto-coded: interviewer turns are not.
    private static func filter(_ count: Int) -> String {
        "WHERE interviewer = 0 AND document_id IN (\(placeholders(count)))"
    }
}
