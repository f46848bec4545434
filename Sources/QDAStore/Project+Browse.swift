import Foundation
internal import GRDB
public import QDAAnalysis

/// A document as the workbench lists it.
public struct DocumentSummary: Sendable, Equatable, Codable {
    /// The document's id in the project.
    public var id: Int64
    /// The document's name.
    public var name: String
    /// Its region, as written.
    public var region: String?
    /// What it is (`interview`, `literature` ...).
    public var kind: String
    /// Its length in code points.
    public var length: Int
    /// Codings on it, by anyone.
    public var codings: Int
    /// Segments that count as evidence (not a question, heading, caption …).
    public var segments = 0
    /// Of those, the segments with at least one coding.
    public var codedSegments = 0
    /// Who coded it (`auto` for the auto-coder), by name.
    public var coders: [String] = []
    /// Its attributes (role, date, any `key: value` of its front matter or manifest).
    public var attributes: [String: String] = [:]

    /// Creates the value from its fields.
    public init(
        id: Int64, name: String, region: String?, kind: String, length: Int, codings: Int, segments: Int = 0,
        codedSegments: Int = 0, coders: [String] = []
    ) {
        self.id = id
        self.name = name
        self.region = region
        self.kind = kind
        self.length = length
        self.codings = codings
        self.segments = segments
        self.codedSegments = codedSegments
        self.coders = coders
    }
}

/// A document to read: its text, its segments and every coding on it.
public struct DocumentView: Sendable, Equatable {
    /// One segment: its id, span (code points into `text`) and speaker.
    public struct Segment: Sendable, Equatable, Codable {
        /// The segment's id.
        public var id: Int64
        /// Where it starts in the text.
        public var start: Int
        /// Where it ends (exclusive).
        public var end: Int
        /// The speaker of a turn.
        public var speaker: String?
        /// A transcript's timestamp for the turn.
        public var timestamp: String?
        /// The page of a PDF it is on.
        public var page: Int?
        /// What a block of literature is (`heading`, `caption`, `table`, `reference` …), if not prose.
        public var role: String?
        /// Whether it counts nowhere (an interviewer's question, a heading …).
        public var interviewer = false
    }

    /// The document's id.
    public var id: Int64
    /// The document's name.
    public var name: String
    /// Its region, as written.
    public var region: String?
    /// The whole text.
    public var text: String
    /// Its segments, in order.
    public var segments: [Segment]
    /// Every coding on it, in text order.
    public var codings: [CodingRecord]
}

/// A passage a person selected to code, as a client sends it.
public struct CodingSelection: Sendable, Equatable {
    /// The document's id.
    public var documentID: Int64
    /// The first code point.
    public var start: Int
    /// One past the last code point.
    public var end: Int
    /// The document's text at `start`–`end`, as the client saw it.
    public var text: String
    /// The code's key.
    public var code: String
    /// -1, 0 or 1.
    public var valence: Int
    /// A memo on the coding.
    public var memo: String?

    /// A selection of `text` at `start`–`end` in document `documentID`, coded `code`.
    public init(
        documentID: Int64, start: Int, end: Int, text: String, code: String, valence: Int = 0,
        memo: String? = nil
    ) {
        self.documentID = documentID
        self.start = start
        self.end = end
        self.text = text
        self.code = code
        self.valence = valence
        self.memo = memo
    }

    func validate(coder: String) throws {
        guard coder != Project.autoCoder else { throw QDAError.autoIsNotAPerson(role: "coder") }
        guard (-1...1).contains(valence) else { throw QDAError.invalidValence(valence) }
    }
}

/// A coding a person removed, with what it takes to put it back (`selection`).
public struct RemovedCoding: Sendable, Equatable {
    /// The coding as it was.
    public var coding: CodingRecord
    /// Its document's id, span, text, code, valence and memo.
    public var selection: CodingSelection
}

extension Project {
    /// Every document with its size and how much is coded, by name.
    public func documentSummaries() throws -> [DocumentSummary] {
        try read { db in
            let summaries = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.name, d.region, d.kind, d.length, COALESCE(c.n, 0) AS codings,
                           COALESCE(s.n, 0) AS segments, COALESCE(cs.n, 0) AS coded, k.coders
                    FROM document d
                    LEFT JOIN (SELECT document_id, COUNT(*) AS n FROM coding GROUP BY document_id) c
                      ON c.document_id = d.id
                    LEFT JOIN (SELECT document_id, COUNT(*) AS n FROM segment WHERE interviewer = 0
                               GROUP BY document_id) s ON s.document_id = d.id
                    LEFT JOIN (SELECT c.document_id, COUNT(DISTINCT c.segment_id) AS n
                               FROM coding c JOIN segment s ON s.id = c.segment_id WHERE s.interviewer = 0
                               GROUP BY c.document_id) cs ON cs.document_id = d.id
                    LEFT JOIN (SELECT document_id, group_concat(coder, char(31)) AS coders
                               FROM (SELECT DISTINCT document_id, coder FROM coding) GROUP BY document_id) k
                      ON k.document_id = d.id
                    ORDER BY d.name
                    """
            ).map {
                DocumentSummary(
                    id: $0["id"], name: $0["name"], region: $0["region"], kind: $0["kind"], length: $0["length"],
                    codings: $0["codings"], segments: $0["segments"], codedSegments: $0["coded"],
                    coders: ($0["coders"] as String?)?.split(separator: "\u{1F}").map(String.init).sorted() ?? [])
            }
            let attributes = try Row.fetchAll(db, sql: "SELECT document_id, key, value FROM document_attribute")
                .reduce(into: [Int64: [String: String]]()) {
                    $0[$1["document_id"], default: [:]][$1["key"]] = $1["value"]
                }
            return summaries.map {
                var summary = $0
                summary.attributes = attributes[$0.id] ?? [:]
                return summary
            }
        }
    }

    /// Coding `id`; nil when there is none.
    public func coding(id: Int64) throws -> CodingRecord? {
        try read { db in try Self.codingRecords(where: "c.id = ?", [id], db).first }
    }

    /// Each document's id by name (no counting: for links to documents).
    public func documentIDs() throws -> [String: Int64] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM document").reduce(into: [:]) { $0[$1["name"]] = $1["id"] }
        }
    }

    /// The document with id `id`, with its segments and codings; nil when there is none.
    public func documentView(id: Int64) throws -> DocumentView? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, name, region, text FROM document WHERE id = ?", arguments: [id])
            else { return nil }
            let segments = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, start_offset, end_offset, speaker, timestamp, page, role, interviewer FROM segment
                    WHERE document_id = ? ORDER BY ordinal
                    """,
                arguments: [id]
            ).map {
                DocumentView.Segment(
                    id: $0[0], start: $0[1], end: $0[2], speaker: $0[3], timestamp: $0[4], page: $0[5], role: $0[6],
                    interviewer: $0[7])
            }
            return DocumentView(
                id: row["id"], name: row["name"], region: row["region"], text: row["text"], segments: segments,
                codings: try Self.codingRecords(where: "c.document_id = ?", [id], db))
        }
    }

    /// Codes the passage `start`–`end` of document `documentID` with `code` for `coder`, in
    /// one transaction: a passage across segments is cut at their bounds, one coding per
    /// segment, as the library cuts every coding. `text` must be the document's text at
    /// that span (a client's selection that drifted is refused, not stored).
    ///
    /// - Returns: the codings stored (none when the coder had them already).
    /// - Throws: `QDAError.noSuchDocument`, `.spanOutsideDocument`, `.textMismatch`,
    ///   `.spanInNoSegment`, `.unknownCode`, `.autoIsNotAPerson`, `.invalidValence`.
    public func codeSelection(
        documentID: Int64, start: Int, end: Int, text: String, code: String, coder: String, valence: Int = 0,
        memo: String? = nil
    ) throws -> [CodingRecord] {
        let selection = CodingSelection(
            documentID: documentID, start: start, end: end, text: text, code: code, valence: valence, memo: memo)
        try selection.validate(coder: coder)
        return try write { db in try Self.insert(selection, coder: coder, db) }
    }

    /// Stores `selection` for `coder` in `db`, cut at segment bounds; returns the new codings.
    static func insert(_ selection: CodingSelection, coder: String, _ db: Database) throws -> [CodingRecord] {
        let (documentID, start, end) = (selection.documentID, selection.start, selection.end)
        guard
            let document = try Row.fetchOne(
                db, sql: "SELECT name, length FROM document WHERE id = ?", arguments: [documentID])
        else { throw QDAError.noSuchDocument("#\(documentID)") }
        let length: Int = document["length"]
        guard start >= 0, end <= length, start < end else {
            throw QDAError.spanOutsideDocument(document: document["name"], start: start, end: end, length: length)
        }
        let stored =
            try String.fetchOne(
                db, sql: "SELECT substr(text, ? + 1, ? - ?) FROM document WHERE id = ?",
                arguments: [start, end, start, documentID]) ?? ""
        guard stored == selection.text else {
            throw QDAError.textMismatch(document: document["name"], start: start, end: end, stored: stored)
        }
        let codeID = try Self.codeID(selection.code, db)
        let parts = try Row.fetchAll(
            db,
            sql: """
                SELECT id, MAX(start_offset, ?) AS s, MIN(end_offset, ?) AS e FROM segment
                WHERE document_id = ? AND end_offset > ? AND start_offset < ? ORDER BY ordinal
                """, arguments: [start, end, documentID, start, end])
        guard !parts.isEmpty else { throw QDAError.spanInNoSegment(start: start, end: end) }
        let now = Self.now()
        var ids: [Int64] = []
        for part in parts {
            let added = try Self.insertCodingIfNew(
                segment: part["id"], document: documentID, code: codeID, coder: coder, start: part["s"],
                end: part["e"], valence: selection.valence, memo: selection.memo, createdAt: now, db)
            if added { ids.append(db.lastInsertedRowID) }
        }
        if !ids.isEmpty { try Self.codingsChanged(documents: [documentID], db) }
        return try Self.codingRecords(
            where: "c.id IN (\(placeholders(max(ids.count, 1))))", StatementArguments(ids.isEmpty ? [-1] : ids), db)
    }

    /// Replaces a person's coding `id` by `change(itsSelection)` (a new code, valence,
    /// memo or boundaries) in one transaction: either both happen or neither.
    ///
    /// - Returns: the coding removed and the codings stored in its place.
    /// - Throws: the errors of `removeCoding(id:)` and `codeSelection`.
    public func replaceCoding(
        id: Int64, ownedBy owner: String? = nil, _ change: (CodingSelection) throws -> CodingSelection
    ) throws -> (removed: RemovedCoding, added: [CodingRecord]) {
        try write { db in
            let removed = try Self.remove(codingID: id, ownedBy: owner, db)
            let selection = try change(removed.selection)
            try selection.validate(coder: removed.coding.coder)
            return (removed, try Self.insert(selection, coder: removed.coding.coder, db))
        }
    }

    /// Removes `coder`'s codings that are exactly `remove` (those still there) and stores
    /// `add` for them, in one transaction: what undo and redo of a person's coding steps do.
    /// Codings are named by what they are, not by id, since putting one back gives it a new id.
    ///
    /// - Returns: the codings removed and the codings stored.
    /// - Throws: the errors of `codeSelection`.
    public func exchangeCodings(remove: [CodingSelection], add: [CodingSelection], coder: String) throws -> (
        removed: [RemovedCoding], added: [CodingRecord]
    ) {
        for selection in add { try selection.validate(coder: coder) }
        return try write { db in
            var removed: [RemovedCoding] = []
            for selection in remove {
                let ids = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT c.id FROM coding c JOIN code k ON k.id = c.code_id
                        WHERE c.document_id = ? AND c.start_offset = ? AND c.end_offset = ? AND k.key = ?
                          AND c.coder = ?
                        """,
                    arguments: [selection.documentID, selection.start, selection.end, selection.code, coder])
                for id in ids { removed.append(try Self.remove(codingID: id, db)) }
            }
            var added: [CodingRecord] = []
            for selection in add { added += try Self.insert(selection, coder: coder, db) }
            return (removed, added)
        }
    }

    /// Removes a person's coding by id.
    ///
    /// - Returns: the coding removed, with what it takes to put it back.
    /// - Throws: `QDAError.noSuchCoding`; `QDAError.autoCodingNotRemoved` for one of the
    ///   auto-coder's, which is rejected by review instead (so that it does not come back).
    ///   With `owner`, `QDAError.codingOfAnother` for a coding that is not theirs.
    @discardableResult
    public func removeCoding(id: Int64, ownedBy owner: String? = nil) throws -> RemovedCoding {
        try write { db in try Self.remove(codingID: id, ownedBy: owner, db) }
    }

    static func remove(codingID id: Int64, ownedBy owner: String? = nil, _ db: Database) throws -> RemovedCoding {
        guard
            let documentID = try Int64.fetchOne(
                db, sql: "SELECT document_id FROM coding WHERE id = ?", arguments: [id]),
            let coding = try Self.codingRecords(where: "c.id = ?", [id], db).first
        else { throw QDAError.noSuchCoding(id) }
        guard coding.coder != Self.autoCoder else { throw QDAError.autoCodingNotRemoved(id) }
        if let owner, coding.coder != owner { throw QDAError.codingOfAnother(id, coder: coding.coder) }
        try db.execute(sql: "DELETE FROM coding WHERE id = ?", arguments: [id])
        try Self.codingsChanged(documents: [documentID], db)
        return RemovedCoding(
            coding: coding,
            selection: CodingSelection(
                documentID: documentID, start: coding.start, end: coding.end, text: coding.text, code: coding.code,
                valence: coding.valence, memo: coding.memo))
    }
}
