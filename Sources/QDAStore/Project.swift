import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// A `qda` project: one SQLite file holding documents, segments, the codebook and codings.
///
/// The schema is documented in `docs/project-file.md`; offsets are Unicode scalar values
/// (code points) into `document.text`, so `substr(text, start_offset + 1, end_offset -
/// start_offset)` in SQLite, or `text[start:end]` in Python, retrieves a segment. Every
/// command runs in one write transaction: a failed command leaves the file as it was.
package final class Project: Sendable {
    /// The file name `qda` uses when no `--project` is given.
    public static let defaultFileName = "qda-project.sqlite"

    /// The path of the project file, or `:memory:`.
    public let path: String
    let database: any DatabaseWriter

    private init(path: String, database: any DatabaseWriter) throws {
        self.path = path
        self.database = database
        do {
            // Never add our tables to another program's database.
            let foreign = try database.read { db in
                try !db.tableExists("grdb_migrations")
                    && Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0 > 0
            }
            if foreign {
                throw QDAError.notAProject(path: path, reason: "it is an SQLite database of another program")
            }
            let migrator = Self.migrator
            let applied = try database.read { db in try migrator.appliedIdentifiers(db) }
            if !Set(migrator.migrations).isSubset(of: applied) {
                // A migration rewrites whole tables in one transaction: its statement journal
                // and sorts go to temporary files (in memory, migrating the 1 GB benchmark
                // project to v9 took 1.3 GiB). The writer keeps the setting until set back.
                try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = FILE") }
                defer {
                    try? database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
                }
                try migrator.migrate(database)
                if !applied.isEmpty && !applied.contains("v9") {
                    // Migrating to v9 dropped the segments' copy of their text: the file gives
                    // the pages back (once; without room for the copy VACUUM makes, the file
                    // stays as large and works).
                    try? database.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
                }
            }
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                throw QDAError.busy(path: path, seconds: Self.busyTimeout)
            }
            throw QDAError.notAProject(path: path, reason: error.message ?? "the database cannot be migrated")
        }
    }

    /// How long a command waits for another that is writing (seconds): `$QDA_BUSY_TIMEOUT`,
    /// else 10.
    static var busyTimeout: Double {
        ProcessInfo.processInfo.environment["QDA_BUSY_TIMEOUT"].flatMap(Double.init).map { max(0, $0) } ?? 10
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A second writer waits for the first rather than failing at once.
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Page cache: 64 MiB for the writer (ingest and coding revisit the same pages),
            // 16 MiB for each reader, whose reports mostly walk a table once; every
            // connection holds its own.
            try db.execute(sql: "PRAGMA cache_size = \(db.configuration.readonly ? -16384 : -65536)")
            // In WAL mode NORMAL keeps every commit atomic and the file consistent after a
            // crash; a power cut may undo the last commit, which a re-run redoes.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Ingest keeps each file in a savepoint; its sub-journal stays in memory rather
            // than in a temporary file (it holds the pages one file's insert changes).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // `QDA_TRACE_SQL=MS`: every statement that takes at least MS milliseconds, with its
            // time, on standard error (for finding where a slow command spends its time).
            if let threshold = ProcessInfo.processInfo.environment["QDA_TRACE_SQL"].flatMap(Double.init) {
                db.trace(options: .profile) { event in
                    guard case .profile(let statement, let duration) = event, duration * 1000 >= threshold else {
                        return
                    }
                    let sql = statement.sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    let milliseconds = String(format: "%.1f", duration * 1000)
                    FileHandle.standardError.write(Data("qda: sql \(milliseconds) ms: \(sql.prefix(300))\n".utf8))
                }
            }
        }
        return configuration
    }

    /// Runs `body` (a bulk sort: building an index, rebuilding a cache) with a page cache
    /// of 16 MiB: the sorter keeps runs as large as the page cache in memory (with the
    /// writer's 64 MiB, `qda analyze` of a 1 GB corpus peaked at 329 MiB while building its
    /// indexes), and the pages a bulk sort writes are written once, in order. Its
    /// transaction sorts on disk (`sortingOnDisk`).
    static func withBulkSortCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -65536
        try db.execute(sql: "PRAGMA cache_size = -16384")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
        return try body()
    }

    /// Runs `body` — a transaction that sorts in bulk — with SQLite's temporary files on
    /// disk. The connection keeps them in memory (`temp_store = MEMORY`, for ingest's
    /// savepoints), which holds a whole sort in memory too: `CREATE INDEX` over the 2.8
    /// million codings of a 1 GB corpus took 198 MiB instead of 134 MiB, page cache
    /// included. Called outside the transaction: SQLite refuses the switch inside one once
    /// the connection has opened its temporary database (GRDB's schema queries do), and the
    /// sorts then stayed in memory unnoticed.
    private static func sortingOnDisk<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try? db.execute(sql: "PRAGMA temp_store = FILE")
        defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
        return try body()
    }

    /// Gives memory back to the system between the phases of a long command (an ingest,
    /// then the first report's rebuild of its cache): every connection's page cache, and
    /// the heap the allocator keeps after large frees. Without it, `qda analyze` of a 1 GB
    /// corpus held the ingest's 170 MiB while the rebuild allocated its own.
    func giveBackMemory() {
        (database as? DatabasePool)?.releaseMemory()
        #if os(Linux)
            _ = mallocTrim(0)
        #endif
    }

    /// Creates a new project file. Fails if a file already exists at `path`.
    public static func create(at path: String) throws -> Project {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw QDAError.fileExists(path: path)
        }
        return try openPool(path)
    }

    /// Opens an existing project file.
    public static func open(at path: String) throws -> Project {
        guard FileManager.default.fileExists(atPath: path) else { throw QDAError.projectNotFound(path: path) }
        return try openPool(path)
    }

    /// Opens the project at `path`, creating it first if there is none.
    public static func openOrCreate(at path: String) throws -> Project {
        try openPool(path)
    }

    /// A project that lives in memory only, for tests and scripts.
    public static func inMemory() throws -> Project {
        try Project(path: ":memory:", database: DatabaseQueue(configuration: configuration()))
    }

    private static func openPool(_ path: String) throws -> Project {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty,
            !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue
        {
            throw QDAError.unreadable(path: path, reason: "the folder \(folder) does not exist")
        }
        // While a first ingest holds the file in rollback-journal mode (`writeFirstFill`),
        // SQLite refuses at once to put it back in WAL mode, without waiting: the open is
        // retried until the busy timeout, so that the command waits as for a second writer.
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration())
                return try Project(path: path, database: pool)
            } catch let error as DatabaseError {
                guard error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED else {
                    throw QDAError.notAProject(path: path, reason: error.message ?? "SQLite error \(error.resultCode)")
                }
                guard Date() < deadline else { throw QDAError.busy(path: path, seconds: busyTimeout) }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Runs `body` in one write transaction, turning SQLite errors into sentences.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as DatabaseError {
            throw translate(error)
        }
    }

    /// Runs `body` in one write transaction, as `write` does, for a bulk load. While the
    /// project holds no segments (its first fill), the transaction goes through a rollback
    /// journal instead of the write-ahead log: SQLite journals only pages that existed
    /// before, so each new page is written to the file once, not to the log and then again
    /// by a checkpoint. Another connection to the file (another command, a reader in this
    /// process) keeps the log; the mode is set back before returning, and a crash leaves a
    /// rollback journal that the next open applies.
    func writeFirstFill<T>(_ body: (Database) throws -> T) throws -> T {
        guard let pool = database as? DatabasePool else { return try write(body) }
        pool.invalidateReadOnlyConnections()
        do {
            return try pool.barrierWriteWithoutTransaction { db in
                let empty = try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM segment)")!
                let journal = empty && (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete"
                defer {
                    if journal { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                }
                var result: T?
                func fill() throws {
                    try db.inTransaction(.immediate) {
                        result = try body(db)
                        return .commit
                    }
                }
                // A first fill builds its indexes at the end: their sorts go to disk.
                if empty { try Self.sortingOnDisk(db, fill) } else { try fill() }
                return result!
            }
        } catch let error as DatabaseError {
            throw translate(error)
        }
    }

    /// Runs `body` in one write transaction, as `write` does, for a bulk sort (rebuilding
    /// the report cache): SQLite's temporary files go to disk for the transaction, so
    /// that the sorts spill there instead of into memory.
    func writeSortingOnDisk<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try Self.sortingOnDisk(db) {
                    try db.inTransaction(.immediate) {
                        result = try body(db)
                        return .commit
                    }
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw translate(error)
        }
    }

    /// Runs `body` in a write transaction if no other connection is writing; otherwise
    /// does nothing at once (for work that may be skipped, such as caching a report).
    func writeUnlessBusy(_ body: (Database) throws -> Void) throws {
        do {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA busy_timeout = 0")
                defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(Self.busyTimeout * 1000))") }
                do {
                    try db.inTransaction(.immediate) {
                        try body(db)
                        return .commit
                    }
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                    return
                }
            }
        } catch let error as DatabaseError {
            throw translate(error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as DatabaseError {
            throw translate(error)
        }
    }

    /// An SQLite error as a sentence: a busy project says another command holds it.
    func translate(_ error: DatabaseError) -> QDAError {
        if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return .busy(path: path, seconds: Self.busyTimeout)
        }
        return .notAProject(path: path, reason: error.message ?? "SQLite error \(error.resultCode)")
    }

    /// The schema, one named migration per released version; a shipped migration is never edited.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE project_info (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE document (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        source_path TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        title TEXT,
                        region TEXT,
                        date TEXT,
                        language TEXT,
                        sha256 TEXT NOT NULL UNIQUE,
                        file_size INTEGER,
                        file_modified REAL,
                        text TEXT NOT NULL,
                        length INTEGER NOT NULL,
                        ingested_at TEXT NOT NULL
                    );
                    CREATE INDEX document_region ON document(region);
                    CREATE TABLE document_attribute (
                        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (document_id, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE segment (
                        id INTEGER PRIMARY KEY,
                        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                        ordinal INTEGER NOT NULL,
                        start_offset INTEGER NOT NULL,
                        end_offset INTEGER NOT NULL,
                        speaker TEXT,
                        timestamp TEXT,
                        interviewer INTEGER NOT NULL DEFAULT 0,
                        text TEXT NOT NULL,
                        UNIQUE (document_id, ordinal),
                        CHECK (start_offset >= 0 AND end_offset > start_offset)
                    );
                    -- Counting segments per region must not read their text.
                    CREATE INDEX segment_countable ON segment(interviewer, document_id);
                    CREATE TABLE segment_region (
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        document_id INTEGER NOT NULL,
                        region TEXT NOT NULL,
                        basis TEXT NOT NULL CHECK (basis IN ('document', 'mention')),
                        PRIMARY KEY (segment_id, region)
                    ) WITHOUT ROWID;
                    CREATE INDEX segment_region_region ON segment_region(region, segment_id);
                    CREATE TABLE segment_mention (
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        region TEXT NOT NULL,
                        name TEXT NOT NULL,
                        start_offset INTEGER NOT NULL,
                        end_offset INTEGER NOT NULL
                    );
                    CREATE INDEX segment_mention_segment ON segment_mention(segment_id);
                    CREATE TABLE gazetteer (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        version TEXT,
                        sha256 TEXT NOT NULL,
                        source_path TEXT NOT NULL,
                        yaml TEXT NOT NULL,
                        loaded_at TEXT NOT NULL
                    );
                    CREATE TABLE region_grouping (
                        set_name TEXT NOT NULL,
                        region TEXT NOT NULL,
                        grouping TEXT NOT NULL,
                        PRIMARY KEY (set_name, region)
                    ) WITHOUT ROWID;
                    CREATE TABLE codebook (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        version TEXT,
                        sha256 TEXT NOT NULL,
                        source_path TEXT NOT NULL,
                        yaml TEXT NOT NULL,
                        loaded_at TEXT NOT NULL
                    );
                    CREATE TABLE code (
                        id INTEGER PRIMARY KEY,
                        key TEXT NOT NULL UNIQUE,
                        parent_id INTEGER REFERENCES code(id),
                        group_key TEXT NOT NULL,
                        depth INTEGER NOT NULL,
                        ordinal INTEGER NOT NULL,
                        label TEXT NOT NULL,
                        definition TEXT,
                        role TEXT NOT NULL DEFAULT 'factor',
                        active INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE TABLE code_closure (
                        ancestor_id INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        descendant_id INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        PRIMARY KEY (ancestor_id, descendant_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX code_closure_descendant ON code_closure(descendant_id, ancestor_id);
                    CREATE TABLE coding (
                        id INTEGER PRIMARY KEY,
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                        code_id INTEGER NOT NULL REFERENCES code(id),
                        coder TEXT NOT NULL,
                        start_offset INTEGER NOT NULL,
                        end_offset INTEGER NOT NULL,
                        valence INTEGER NOT NULL DEFAULT 0 CHECK (valence IN (-1, 0, 1)),
                        matched TEXT,
                        memo TEXT,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX coding_segment ON coding(segment_id, coder);
                    CREATE INDEX coding_code ON coding(code_id, segment_id, document_id, valence);

                    -- A cache for reports: each segment's net valence per code and ancestor
                    -- code (groups included) and per region it counts in ('' for none), in
                    -- the order reports group by; rebuilt when codings or regions changed.
                    CREATE TABLE segment_code (
                        code_id INTEGER NOT NULL,
                        region TEXT NOT NULL,
                        segment_id INTEGER NOT NULL,
                        document_id INTEGER NOT NULL,
                        valence INTEGER NOT NULL,
                        PRIMARY KEY (code_id, region, segment_id)
                    ) WITHOUT ROWID;
                    INSERT INTO project_info (key, value) VALUES ('segment_code_fresh', '0');
                    -- The codebook (SHA-256) each document's segments were last auto-coded with.
                    CREATE TABLE coding_state (
                        document_id INTEGER PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
                        codebook_sha256 TEXT NOT NULL
                    );
                    CREATE INDEX coding_document ON coding(document_id, coder);
                    """)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    -- Formats beyond plain text: where a document came from and how it was read.
                    ALTER TABLE document ADD COLUMN source TEXT;
                    UPDATE document SET source = name;
                    ALTER TABLE document ADD COLUMN format TEXT NOT NULL DEFAULT 'text';
                    ALTER TABLE document ADD COLUMN encoding TEXT;
                    ALTER TABLE document ADD COLUMN options TEXT NOT NULL DEFAULT 'unit=turn';
                    UPDATE document SET encoding = 'UTF-8',
                        format = CASE WHEN lower(name) LIKE '%.md' OR lower(name) LIKE '%.markdown'
                                      THEN 'markdown' ELSE 'text' END;
                    CREATE INDEX document_source ON document(source);
                    -- The page a segment starts on (PDF).
                    ALTER TABLE segment ADD COLUMN page INTEGER;
                    -- Attributes as report dimensions.
                    CREATE INDEX document_attribute_key ON document_attribute(key, value, document_id);
                    """)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    -- Words per segment, for densities (FullText.wordCount).
                    ALTER TABLE segment ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
                    -- Full-text search, built on demand (Project.refreshFullTextIndex): the
                    -- rowid is the segment id; CJK characters are stored as tokens of their own.
                    CREATE VIRTUAL TABLE segment_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
                    CREATE TRIGGER segment_fts_delete AFTER DELETE ON segment BEGIN
                        DELETE FROM segment_fts WHERE rowid = old.id;
                    END;
                    -- A researcher's own judgement per region and code or group (qda grid).
                    CREATE TABLE grid_cell (
                        region TEXT NOT NULL,
                        code TEXT NOT NULL,
                        rating TEXT CHECK (rating IN ('++', '+', 'o', '-', '--')),
                        descriptor TEXT,
                        note TEXT,
                        coder TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (region, code)
                    );
                    CREATE TABLE grid_evidence (
                        region TEXT NOT NULL,
                        code TEXT NOT NULL,
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        PRIMARY KEY (region, code, segment_id),
                        FOREIGN KEY (region, code) REFERENCES grid_cell(region, code) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    """)
            // In batches, never updating the table a cursor is walking.
            let update = try db.makeStatement(sql: "UPDATE segment SET words = ? WHERE id = ?")
            var last: Int64 = 0
            while true {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, text FROM segment WHERE id > ? ORDER BY id LIMIT 10000", arguments: [last])
                guard let end = rows.last?["id"] as Int64? else { break }
                for row in rows {
                    // Frozen: the count as v3 made it, not whatever FullText counts today.
                    try update.execute(arguments: [FrozenMigrationSteps.v3WordCount(row["text"]), row["id"] as Int64])
                }
                last = end
            }
        }
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    -- A person's decision on an auto-coder's coding (qda review): the auto-coder
                    -- never brings back a coding someone accepted, rejected or recoded.
                    CREATE TABLE coding_review (
                        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                        code_id INTEGER NOT NULL REFERENCES code(id),
                        start_offset INTEGER NOT NULL,
                        end_offset INTEGER NOT NULL,
                        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'recoded')),
                        reviewer TEXT NOT NULL,
                        recoded_to INTEGER REFERENCES code(id),
                        decided_at TEXT NOT NULL,
                        PRIMARY KEY (document_id, code_id, start_offset, end_offset)
                    ) WITHOUT ROWID;
                    -- Memos on the project, a document, a code, a segment or a region cell.
                    CREATE TABLE memo (
                        id INTEGER PRIMARY KEY,
                        target TEXT NOT NULL CHECK (target IN ('project', 'document', 'code', 'segment', 'cell')),
                        document_id INTEGER REFERENCES document(id) ON DELETE CASCADE,
                        segment_id INTEGER REFERENCES segment(id) ON DELETE CASCADE,
                        code TEXT,
                        region TEXT,
                        author TEXT NOT NULL,
                        text TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX memo_document ON memo(document_id);
                    CREATE INDEX memo_segment ON memo(segment_id);
                    -- Report numbers as JSON, valid for one generation of the project's
                    -- codings and regions (Project.cachedReport).
                    CREATE TABLE report_cache (
                        key TEXT PRIMARY KEY NOT NULL,
                        generation INTEGER NOT NULL,
                        value TEXT NOT NULL
                    );
                    INSERT INTO project_info (key, value) VALUES ('report_generation', '0');
                    -- Codings per segment and code, so quotes can rank by them without a join.
                    ALTER TABLE segment_code ADD COLUMN codings INTEGER NOT NULL DEFAULT 0;
                    -- Renames, moves and merges of codes (qda codebook rename|move|merge).
                    CREATE TABLE codebook_edit (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind IN ('rename', 'move', 'merge')),
                        from_key TEXT NOT NULL,
                        to_key TEXT NOT NULL,
                        edited_at TEXT NOT NULL
                    );
                    -- A segment's place without reading its text (co-occurrence, agreement).
                    CREATE INDEX segment_position ON segment(id, document_id, ordinal, interviewer, words);
                    UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh';
                    """)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(
                sql: """
                    -- REFI-QDA exchange (qda import, qda export qdpx): the GUID an item had in the
                    -- tool it came from, so that exporting it gives the same GUID back.
                    CREATE TABLE exchange_guid (
                        kind TEXT NOT NULL CHECK (kind IN ('document', 'user')),
                        key TEXT NOT NULL,
                        guid TEXT NOT NULL,
                        PRIMARY KEY (kind, key)
                    );
                    -- Sets of documents and codes.
                    CREATE TABLE item_set (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        description TEXT,
                        guid TEXT
                    );
                    CREATE TABLE item_set_member (
                        set_id INTEGER NOT NULL REFERENCES item_set(id) ON DELETE CASCADE,
                        document_id INTEGER REFERENCES document(id) ON DELETE CASCADE,
                        code_id INTEGER REFERENCES code(id) ON DELETE CASCADE,
                        CHECK ((document_id IS NULL) <> (code_id IS NULL))
                    );
                    CREATE INDEX item_set_member_set ON item_set_member(set_id);
                    -- A coding cut from a selection over several segments keeps the whole selection.
                    ALTER TABLE coding ADD COLUMN selection_start INTEGER;
                    ALTER TABLE coding ADD COLUMN selection_end INTEGER;
                    -- Codings changed in a few documents update their segment_code rows in place.
                    CREATE INDEX segment_code_document ON segment_code(document_id);
                    """)
        }
        migrator.registerMigration("v6") { db in
            try db.execute(
                sql: """
                    -- Whether a file is unchanged (Project.unchangedDocumentSQL), answered from the
                    -- index: options lies after the text in the row, so reading it from the
                    -- table read every stored document whole on a re-run. It also serves lookups
                    -- by source, as document_source did.
                    CREATE INDEX document_unchanged ON document(source, file_size, file_modified, options);
                    DROP INDEX document_source;
                    """)
        }
        migrator.registerMigration("v7") { db in
            try db.execute(
                sql: """
                    -- What part of its document a segment is (turn, paragraph, sentence, heading,
                    -- caption, table, reference, keywords), and the paragraph or turn a sentence
                    -- was cut from. Segments stored before keep NULL: a turn or a paragraph, as
                    -- their speaker and the document's unit say.
                    ALTER TABLE segment ADD COLUMN role TEXT;
                    ALTER TABLE segment ADD COLUMN block INTEGER;
                    """)
        }
        migrator.registerMigration("v8") { db in
            try db.execute(
                sql: """
                    -- Learned suggestions (qda suggest): a linear model per code over hashed
                    -- features (2^16 Float32 weights, little-endian), the examples it learned
                    -- from (its positives: the negatives are the other units of the documents
                    -- people coded), and the suggestions it proposed that nobody has decided on yet.
                    -- Suggestions live apart from codings, so no report counts them until a
                    -- person accepts one (it then becomes that person's coding).
                    CREATE TABLE suggest_model (
                        code_id INTEGER PRIMARY KEY REFERENCES code(id) ON DELETE CASCADE,
                        weights BLOB NOT NULL,
                        bias REAL NOT NULL,
                        threshold REAL NOT NULL,
                        positives INTEGER NOT NULL,
                        negatives INTEGER NOT NULL,
                        trained_at TEXT NOT NULL
                    );
                    CREATE TABLE suggest_example (
                        code_id INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        positive INTEGER NOT NULL,
                        PRIMARY KEY (code_id, segment_id)
                    ) WITHOUT ROWID;
                    -- AUTOINCREMENT: a suggestion's id is never given to another, so a
                    -- decision on an old id cannot fall on a new suggestion.
                    CREATE TABLE suggestion (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                        code_id INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        score REAL NOT NULL,
                        created_at TEXT NOT NULL,
                        UNIQUE (segment_id, code_id)
                    );
                    """)
        }
        migrator.registerMigration("v9") { db in
            try db.execute(
                sql: """
                    -- Each text stored once: a segment is an offset range into its document's
                    -- text (the view segment_text gives scripts the text column back).
                    ALTER TABLE segment DROP COLUMN text;
                    -- Both indexes kept reports from reading segment text; the rows hold none now,
                    -- and a scan of the table is as fast (docs/project-file.md#indexes).
                    DROP INDEX segment_countable;
                    DROP INDEX segment_position;
                    CREATE VIEW segment_text AS
                        SELECT s.*, substr(d.text, s.start_offset + 1, s.end_offset - s.start_offset) AS text
                        FROM segment s JOIN document d ON d.id = s.document_id;
                    -- A run of the auto-coder: its codebook and time, once, instead of a copy of
                    -- the matched text and a timestamp on every coding it makes.
                    CREATE TABLE coding_run (
                        id INTEGER PRIMARY KEY,
                        codebook_sha256 TEXT NOT NULL,
                        started_at TEXT NOT NULL
                    );
                    -- coding again, with created_at optional and the run an auto-coding came
                    -- from; rows stored before keep their matched text and time.
                    CREATE TABLE coding_v9 (
                        id INTEGER PRIMARY KEY,
                        segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
                        document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                        code_id INTEGER NOT NULL REFERENCES code(id),
                        coder TEXT NOT NULL,
                        start_offset INTEGER NOT NULL,
                        end_offset INTEGER NOT NULL,
                        valence INTEGER NOT NULL DEFAULT 0 CHECK (valence IN (-1, 0, 1)),
                        matched TEXT,
                        memo TEXT,
                        created_at TEXT,
                        selection_start INTEGER,
                        selection_end INTEGER,
                        run_id INTEGER REFERENCES coding_run(id),
                        CHECK (created_at IS NOT NULL OR run_id IS NOT NULL)
                    );
                    INSERT INTO coding_v9 (id, segment_id, document_id, code_id, coder, start_offset, end_offset,
                                           valence, matched, memo, created_at, selection_start, selection_end)
                        SELECT id, segment_id, document_id, code_id, coder, start_offset, end_offset, valence,
                               matched, memo, created_at, selection_start, selection_end
                        FROM coding;
                    DROP TABLE coding;
                    ALTER TABLE coding_v9 RENAME TO coding;
                    CREATE INDEX coding_segment ON coding(segment_id, coder);
                    CREATE INDEX coding_code ON coding(code_id, segment_id, document_id, valence);
                    CREATE INDEX coding_document ON coding(document_id, coder);
                    -- Codings with what the auto-coder matched and when each was made, filled in
                    -- from the run for auto-codings stored since v9, and the coded text.
                    CREATE VIEW coding_span AS
                        SELECT c.id, c.segment_id, c.document_id, c.code_id, c.coder, c.start_offset, c.end_offset,
                               c.valence,
                               COALESCE(c.matched, CASE WHEN c.run_id IS NOT NULL
                                   THEN substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset) END)
                                   AS matched,
                               c.memo, COALESCE(c.created_at, r.started_at) AS created_at, c.selection_start,
                               c.selection_end, c.run_id,
                               substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset) AS text
                        FROM coding c JOIN document d ON d.id = c.document_id
                        LEFT JOIN coding_run r ON r.id = c.run_id;
                    """)
        }
        return migrator
    }

    /// A timestamp in ISO 8601, UTC, to the second.
    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

#if os(Linux)
    /// glibc's `malloc_trim`: returns the free memory at the top of the heap and in its
    /// arenas to the system.
    @_silgen_name("malloc_trim")
    private func mallocTrim(_ pad: Int) -> Int32
#endif
