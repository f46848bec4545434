import Foundation
internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// Where a person's coding goes.
public enum CodingTarget: Sendable, Equatable {
    /// A whole segment, by id.
    case segment(Int64)
    /// A span of a document's text, in code points (end exclusive).
    case span(document: String, start: Int, end: Int)
    /// A passage quoted from a document (or from any document when nil); it must occur
    /// exactly once.
    case quote(document: String?, text: String)
}

extension Project {
    /// The document, segment and span a target points at, checked against the text.
    func resolve(_ target: CodingTarget, _ db: Database) throws -> (
        document: Int64, segment: Int64, start: Int, end: Int
    ) {
        func documentID(_ name: String) throws -> Int64 {
            if let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM document WHERE name = ? OR source = ? ORDER BY name = ? DESC LIMIT 1",
                arguments: [name, name, name])
            {
                return id
            }
            throw QDAError.noSuchDocument(name)
        }
        func segment(containing start: Int, _ end: Int, in document: Int64) throws -> Int64 {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, start_offset, end_offset FROM segment
                    WHERE document_id = ? AND end_offset > ? AND start_offset < ? ORDER BY ordinal
                    """, arguments: [document, start, end])
            guard let first = rows.first else {
                throw QDAError.spanInNoSegment(start: start, end: end)
            }
            guard rows.count == 1, (first["start_offset"] as Int) <= start, (first["end_offset"] as Int) >= end else {
                throw QDAError.spanAcrossSegments(start: start, end: end, segments: rows.map { $0["id"] })
            }
            return first["id"]
        }
        switch target {
        case .segment(let id):
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT document_id, start_offset, end_offset FROM segment WHERE id = ?", arguments: [id])
            else {
                throw QDAError.noSuchSegment(id)
            }
            return (row["document_id"], id, row["start_offset"], row["end_offset"])
        case .span(let name, let start, let end):
            let id = try documentID(name)
            let length = try Int.fetchOne(db, sql: "SELECT length FROM document WHERE id = ?", arguments: [id]) ?? 0
            guard start >= 0, end > start, end <= length else {
                throw QDAError.spanOutsideDocument(document: name, start: start, end: end, length: length)
            }
            return (id, try segment(containing: start, end, in: id), start, end)
        case .quote(let name, let passage):
            let needle = Array(passage.unicodeScalars)
            guard !needle.isEmpty else { throw QDAError.emptyPassage }
            var sql = "SELECT id, name, text FROM document"
            var arguments: StatementArguments = []
            if let name {
                sql += " WHERE id = ?"
                arguments = [try documentID(name)]
            }
            var found: [(Int64, String, Int)] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let text: String = row["text"]
                guard text.contains(passage) else { continue }
                let scalars = Array(text.unicodeScalars)
                var i = 0
                while i + needle.count <= scalars.count {
                    if scalars[i] == needle[0], Array(scalars[i..<(i + needle.count)]) == needle {
                        found.append((row["id"], row["name"], i))
                    }
                    i += 1
                }
            }
            guard !found.isEmpty else {
                throw QDAError.passageNotFound(passage, document: name)
            }
            guard found.count == 1 else {
                throw QDAError.passageAmbiguous(
                    passage, places: found.map { PassagePlace(document: $0.1, offset: $0.2) })
            }
            let (id, _, start) = found[0]
            return (id, try segment(containing: start, start + needle.count, in: id), start, start + needle.count)
        }
    }

    /// Adds a person's coding. Coding the same span with the same code again changes
    /// nothing but the memo and valence.
    @discardableResult
    public func addCoding(
        _ target: CodingTarget, code: String, coder: String, valence: Int = 0, memo: String? = nil
    ) throws -> CodingRecord {
        guard coder != Self.autoCoder else {
            throw QDAError.autoIsNotAPerson(role: "coder")
        }
        guard (-1...1).contains(valence) else { throw QDAError.invalidValence(valence) }
        return try write { db in
            let codeID = try Self.codeID(code, db)
            let place = try resolve(target, db)
            try db.execute(
                sql: """
                    DELETE FROM coding WHERE segment_id = ? AND code_id = ? AND coder = ? AND start_offset = ?
                        AND end_offset = ?
                    """, arguments: [place.segment, codeID, coder, place.start, place.end])
            _ = try Self.insertCodingIfNew(
                segment: place.segment, document: place.document, code: codeID, coder: coder, start: place.start,
                end: place.end, valence: valence, memo: memo, createdAt: Self.now(), db)
            let id = db.lastInsertedRowID
            try Self.codingsChanged(documents: [place.document], db)
            return try Self.codingRecords(where: "c.id = ?", [id], db)[0]
        }
    }

    /// Decides whether segment `segment` has `code` for `coder` (the team's `consensus`):
    /// replaces whatever `coder` had of that code in the segment by one coding of the whole
    /// segment, or by none, in one transaction.
    ///
    /// - Returns: the coding stored (nil for none) and how many earlier ones it replaced.
    /// - Throws: `QDAError.noSuchSegment`, `.unknownCode`, `.autoIsNotAPerson`.
    public func decideSegment(_ segment: Int64, code: String, coder: String, present: Bool) throws -> (
        coding: CodingRecord?, replaced: Int
    ) {
        guard coder != Self.autoCoder else { throw QDAError.autoIsNotAPerson(role: "coder") }
        return try write { db in
            let codeID = try Self.codeID(code, db)
            let place = try resolve(.segment(segment), db)
            try db.execute(
                sql: "DELETE FROM coding WHERE segment_id = ? AND code_id = ? AND coder = ?",
                arguments: [place.segment, codeID, coder])
            let replaced = db.changesCount
            var coding: CodingRecord?
            if present {
                _ = try Self.insertCodingIfNew(
                    segment: place.segment, document: place.document, code: codeID, coder: coder, start: place.start,
                    end: place.end, valence: 0, memo: nil, createdAt: Self.now(), db)
                coding = try Self.codingRecords(where: "c.id = ?", [db.lastInsertedRowID], db).first
            }
            if replaced > 0 || present { try Self.codingsChanged(documents: [place.document], db) }
            return (coding, replaced)
        }
    }

    /// Removes a coder's codings of `code` at the target (for a segment: every coding of
    /// the code in it); returns how many.
    @discardableResult
    public func removeCodings(_ target: CodingTarget, code: String, coder: String) throws -> Int {
        try write { db in
            let codeID = try Self.codeID(code, db)
            let place = try resolve(target, db)
            if case .segment = target {
                try db.execute(
                    sql: "DELETE FROM coding WHERE segment_id = ? AND code_id = ? AND coder = ?",
                    arguments: [place.segment, codeID, coder])
            } else {
                try db.execute(
                    sql: """
                        DELETE FROM coding WHERE segment_id = ? AND code_id = ? AND coder = ? AND start_offset = ?
                            AND end_offset = ?
                        """, arguments: [place.segment, codeID, coder, place.start, place.end])
            }
            let removed = db.changesCount
            guard removed > 0 else {
                throw QDAError.nothingToRemove(coder: coder, code: code)
            }
            try Self.codingsChanged(documents: [place.document], db)
            return removed
        }
    }

    /// Codings, optionally of some coders, in document order.
    public func codingRecords(coders: [String] = []) throws -> [CodingRecord] {
        try read { db in
            guard !coders.isEmpty else { return try Self.codingRecords(where: "1", [], db) }
            return try Self.codingRecords(
                where: "c.coder IN (\(placeholders(coders.count)))", StatementArguments(coders), db)
        }
    }

    static func codingRecords(where condition: String, _ arguments: StatementArguments, _ db: Database) throws
        -> [CodingRecord]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.id, d.name, c.segment_id, c.start_offset, c.end_offset, k.key, c.coder, c.valence, c.memo,
                       substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset) AS passage
                FROM coding c JOIN document d ON d.id = c.document_id JOIN code k ON k.id = c.code_id
                WHERE \(condition)
                ORDER BY d.name, c.start_offset, c.end_offset, k.ordinal, c.coder
                """, arguments: arguments
        ).map {
            CodingRecord(
                id: $0[0], document: $0[1], segment: $0[2], start: $0[3], end: $0[4], code: $0[5], coder: $0[6],
                valence: $0[7], memo: $0[8], text: $0[9])
        }
    }

    /// Stores a person's coding unless the coder already has the same code on the same
    /// span of the document; returns whether it was stored.
    static func insertCodingIfNew(
        segment: Int64, document: Int64, code: Int64, coder: String, start: Int, end: Int, valence: Int,
        memo: String?, createdAt: String, _ db: Database
    ) throws -> Bool {
        let present =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM coding WHERE document_id = ? AND code_id = ? AND coder = ?
                        AND start_offset = ? AND end_offset = ?
                    """, arguments: [document, code, coder, start, end]) ?? 0
        guard present == 0 else { return false }
        try db.execute(
            sql: """
                INSERT INTO coding (segment_id, document_id, code_id, coder, start_offset, end_offset, valence, memo,
                                    created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [segment, document, code, coder, start, end, valence, memo, createdAt])
        return true
    }

    /// The id of an active code or group.
    static func codeID(_ key: String, _ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ? AND active = 1", arguments: [key]) {
            return id
        }
        let keys = try String.fetchAll(db, sql: "SELECT key FROM code WHERE active = 1 AND depth > 0 ORDER BY ordinal")
        let near = keys.filter { $0.hasSuffix("." + key) || $0.hasPrefix(key) }.prefix(3)
        throw QDAError.unknownCode(key, near: Array(near))
    }
}
