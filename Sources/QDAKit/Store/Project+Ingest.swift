import Foundation
import GRDB
import Synchronization

/// What `ingest` did, for the summary line.
public struct IngestSummary: Sendable, Equatable {
    public var added = 0
    public var skipped = 0
    public var replaced = 0
    public var segmentsAdded = 0
    public var segmentsRemoved = 0
    /// Documents whose region the gazetteer does not know, as sentences.
    public var unknownRegions: [String] = []
}

extension Project {
    /// Reads the documents under `paths`, segments them and stores them.
    ///
    /// A file whose content is already in the project is skipped; a file whose name is
    /// known but whose content changed replaces the old version and its auto-codings.
    /// All files are stored in one transaction: any error leaves the project unchanged.
    ///
    /// - Throws: `QDAError` naming the file for unreadable files, bad encodings and bad
    ///   front matter, and when replacing a document would drop codings made by people.
    public func ingest(paths: [String], progress: ProgressHandler? = nil) throws -> IngestSummary {
        let reader = CorpusReader()
        let entries = try reader.entries(for: paths)
        let segmenter = Segmenter()
        let gazetteer = try currentGazetteer()
        let finder = gazetteer.map { RegionFinder(gazetteer: $0) }
        let now = Self.now()
        return try write { db in
            var summary = IngestSummary()
            let unchanged = try db.cachedStatement(
                sql: "SELECT 1 FROM document WHERE name = ? AND file_size = ? AND file_modified = ?")
            // Same name, size and modification time: unchanged, not even read.
            var pending: [CorpusReader.Entry] = []
            for entry in entries {
                if try Bool.fetchOne(unchanged, arguments: [entry.name, entry.size, entry.modified]) ?? false {
                    summary.skipped += 1
                } else {
                    pending.append(entry)
                }
            }
            // Reading, hashing and segmenting run on all cores, a chunk of files at a time;
            // the single writer stores the results in file order, and the first failing
            // file (in that order) stops the run.
            var done = summary.skipped
            for chunk in stride(from: 0, to: pending.count, by: Self.ingestChunk) {
                let files = Array(pending[chunk..<min(chunk + Self.ingestChunk, pending.count)])
                for parsed in Self.parse(files, reader: reader, segmenter: segmenter) {
                    progress?(WorkProgress(stage: "ingest", done: done, total: entries.count))
                    done += 1
                    let (entry, document, segments, length) = try parsed.get()
                    if try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM document WHERE sha256 = ?", arguments: [document.sha256])
                        ?? false
                    {
                        // Same content (touched, or copied under another name): remember the new time.
                        try db.execute(
                            sql: "UPDATE document SET file_size = ?, file_modified = ? WHERE name = ? AND sha256 = ?",
                            arguments: [entry.size, entry.modified, entry.name, document.sha256])
                        summary.skipped += 1
                        continue
                    }
                    if let old = try Row.fetchOne(
                        db,
                        sql: "SELECT id, (SELECT COUNT(*) FROM segment WHERE document_id = document.id) AS n "
                            + "FROM document WHERE name = ?", arguments: [document.name])
                    {
                        let oldID: Int64 = old["id"]
                        let human =
                            try Int.fetchOne(
                                db, sql: "SELECT COUNT(*) FROM coding WHERE document_id = ? AND coder <> 'auto'",
                                arguments: [oldID]) ?? 0
                        guard human == 0 else {
                            throw QDAError.wouldDropHumanCodings(document: entry.path, count: human)
                        }
                        try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [oldID])
                        try Self.markSegmentCodesStale(db)
                        summary.replaced += 1
                        summary.segmentsRemoved += old["n"] as Int
                    } else {
                        summary.added += 1
                    }
                    let documentID = try insert(document, length: length, segments: segments, ingestedAt: now, db)
                    try db.execute(
                        sql: "UPDATE document SET file_size = ?, file_modified = ? WHERE id = ?",
                        arguments: [entry.size, entry.modified, documentID])
                    summary.segmentsAdded += segments.count
                    try attributeRegions(documentID: documentID, gazetteer: gazetteer, finder: finder, db)
                    if let region = document.region, let gazetteer, let finder, finder.resolve(region) == nil {
                        summary.unknownRegions.append(
                            "\(entry.path): region '\(region)' is not in the gazetteer \(gazetteer.name); kept as written."
                        )
                    }
                }
            }
            progress?(WorkProgress(stage: "ingest", done: entries.count, total: entries.count))
            return summary
        }
    }

    /// Files read and segmented in parallel per chunk.
    static let ingestChunk = 64

    /// A file read, decoded, hashed and segmented, with its length in Unicode scalars.
    typealias Parsed = (entry: CorpusReader.Entry, document: SourceDocument, segments: [SegmentDraft], length: Int)

    /// Reads and segments `files` on all cores; results come back in file order.
    static func parse(_ files: [CorpusReader.Entry], reader: CorpusReader, segmenter: Segmenter)
        -> [Result<Parsed, Error>]
    {
        let results = Mutex<[Result<Parsed, Error>?]>(
            Array(repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let entry = files[index]
            let result = Result { () throws -> Parsed in
                let document = try reader.read(entry)
                let segments = segmenter.segments(
                    of: document.text, kind: document.kind,
                    interviewers: Set(document.attributes["interviewer"].map { [$0] } ?? []))
                return (entry, document, segments, document.text.unicodeScalars.count)
            }
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Stores one document and its segments; returns the document's id.
    func insert(
        _ document: SourceDocument, length: Int, segments: [SegmentDraft], ingestedAt: String, _ db: Database
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO document (name, source_path, kind, title, region, date, language, sha256, text, length, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                document.name, document.path, document.kind.rawValue, document.title, document.region, document.date,
                document.language, document.sha256, document.text, length, ingestedAt,
            ])
        let documentID = db.lastInsertedRowID
        for (key, value) in document.attributes.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT INTO document_attribute (document_id, key, value) VALUES (?, ?, ?)",
                arguments: [documentID, key, value])
        }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO segment (document_id, ordinal, start_offset, end_offset, speaker, timestamp, interviewer, text)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for segment in segments {
            try statement.execute(arguments: [
                documentID, segment.ordinal, segment.start, segment.end, segment.speaker, segment.timestamp,
                segment.isInterviewer, segment.text,
            ])
        }
        return documentID
    }
}
