import Foundation
internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// Which segments `qda segments` and `qda search` list.
public struct SegmentFilter: Sendable, Equatable {
    /// How a segment's net valence (over the codings the filter selects) must be.
    public enum Valence: String, Sendable, CaseIterable {
        case positive
        case negative
        case neutral
    }

    /// Code keys (a group or code with its sub-codes) or key prefixes such as `market.`;
    /// a segment qualifies with a coding of any of them.
    public var codes: [String] = []
    /// A region (or grouping), as reports name it; names the gazetteer knows are resolved.
    public var region: String?
    /// Document attributes or columns (`role=official`, `kind=interview`).
    public var attributes: [String: String] = [:]
    /// Only segments this coder coded.
    public var coder: String?
    /// Only codings of this valence.
    public var valence: Valence?
    /// A search (`FullText.parse`).
    public var query: String?
    /// A document, by name or by source file.
    public var document: String?
    /// Only segments with at least one (selected) coding.
    public var codedOnly = false
    /// Neighbouring segments to include on each side.
    public var context = 0
    /// At most this many segments.
    public var limit: Int?
    /// Order by search relevance (BM25) rather than by document.
    public var byRelevance = false

    /// Creates the value from its fields.
    public init() {}

    /// Whether the filter selects by codings (and so lists coded segments only).
    var selectsCodings: Bool { codedOnly || !codes.isEmpty || coder != nil || valence != nil }
}

extension Project {
    /// Brings the full-text index up to date: indexes the segments added since it was
    /// last used (deleted segments leave it through a trigger). Segment ids only grow, so
    /// the index holds exactly the segments up to its largest id.
    public func refreshFullTextIndex(progress: ProgressHandler? = nil) throws {
        let (indexed, latest) = try read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT rowid FROM segment_fts ORDER BY rowid DESC LIMIT 1") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM segment") ?? 0
            )
        }
        guard latest > indexed else { return }
        let total = try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment WHERE id > ?", arguments: [indexed]) ?? 0
        }
        var last = indexed
        var done = 0
        // Committed in batches: an interrupted build resumes where it stopped.
        while true {
            let count = try write { db -> Int in
                let rows = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT id, document_id, start_offset, end_offset FROM segment WHERE id > ? ORDER BY id LIMIT 20000",
                    arguments: [last])
                let insert = try db.cachedStatement(sql: "INSERT INTO segment_fts (rowid, body) VALUES (?, ?)")
                var cutter = TextCutter()
                for row in rows {
                    let text = try cutter.cut(
                        document: row["document_id"], start: row["start_offset"], end: row["end_offset"], db)
                    try insert.execute(arguments: [row["id"] as Int64, FullText.indexText(text)])
                }
                if let end = rows.last?["id"] as Int64? { last = end }
                return rows.count
            }
            done += count
            progress?(WorkProgress(stage: "indexing", done: done, total: total))
            if count == 0 { break }
        }
    }

    /// The segments `filter` selects, with their codings, marks and context.
    public func findSegments(_ filter: SegmentFilter, progress: ProgressHandler? = nil) throws -> SegmentSearchResult {
        var clauses: [String] = []
        let search = try fullTextJoin(filter, progress: progress)
        var arguments = search.arguments
        let codeIDs = try resolveCodeFilter(filter.codes)
        var codingClauses: [String] = []
        var codingArguments: StatementArguments = []
        if let codeIDs {
            codingClauses.append(Self.underCodes("c.code_id", codeIDs.count))
            codingArguments += StatementArguments(codeIDs)
        }
        if let coder = filter.coder {
            codingClauses.append("c.coder = ?")
            codingArguments += [coder]
        }
        if filter.selectsCodings {
            var having = ""
            switch filter.valence {
            case .positive?: having = " HAVING SUM(c.valence) > 0"
            case .negative?: having = " HAVING SUM(c.valence) < 0"
            case .neutral?: having = " HAVING SUM(c.valence) = 0"
            case nil: break
            }
            let condition = codingClauses.isEmpty ? "" : " WHERE " + codingClauses.joined(separator: " AND ")
            clauses.append("s.id IN (SELECT c.segment_id FROM coding c\(condition) GROUP BY c.segment_id\(having))")
            arguments += codingArguments
        }
        let places = try placeClauses(filter)
        clauses += places.clauses
        arguments += places.arguments
        let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let from = "FROM segment s JOIN document d ON d.id = s.document_id \(search.join) \(condition)"
        let total = try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)", arguments: arguments) ?? 0
        }
        var listings = try listSegments(
            from: from + " ORDER BY \(search.order) LIMIT ?", arguments: arguments + [filter.limit ?? -1])
        try attachCodings(&listings, codeIDs: codeIDs, coder: filter.coder, marked: filter.selectsCodings)
        Self.markSearchHits(search.terms, in: &listings)
        if filter.context > 0 {
            for index in listings.indices {
                listings[index].context = try context(of: listings[index], count: filter.context)
            }
        }
        return SegmentSearchResult(segments: listings, total: total)
    }

    /// The join that keeps the segments a full-text search finds (none without one), the
    /// order of the results, and the words and phrases to mark.
    private func fullTextJoin(_ filter: SegmentFilter, progress: ProgressHandler?) throws -> (
        join: String, order: String, arguments: StatementArguments, terms: [FullText.Term]
    ) {
        guard let query = filter.query else { return ("", "d.name, s.ordinal", [], []) }
        let parsed = try FullText.parse(query)
        try refreshFullTextIndex(progress: progress)
        do {
            _ = try database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT rowid FROM segment_fts WHERE segment_fts MATCH ? LIMIT 1",
                    arguments: [parsed.expression])
            }
        } catch let error as DatabaseError {
            throw QDAError.searchUnreadable(query: query, reason: error.message ?? "syntax error")
        }
        return (
            "JOIN (SELECT rowid AS id, rank FROM segment_fts WHERE segment_fts MATCH ?) AS f ON f.id = s.id",
            filter.byRelevance ? "f.rank, d.name, s.ordinal" : "d.name, s.ordinal", [parsed.expression], parsed.terms
        )
    }

    /// The conditions of a filter's region (or grouping), document attributes and document.
    private func placeClauses(_ filter: SegmentFilter) throws -> (clauses: [String], arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let region = filter.region {
            let name = try currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(region) } ?? region
            clauses.append(
                """
                s.id IN (SELECT segment_id FROM segment_region WHERE region = ?
                         OR region IN (SELECT region FROM region_grouping WHERE grouping = ?))
                """)
            arguments += [name, region]
        }
        let dimensions = try self.dimensions()
        for (key, value) in filter.attributes.sorted(by: { $0.key < $1.key }) {
            guard dimensions.contains(key) else {
                throw QDAError.unknownAttribute(key: key, attributes: dimensions)
            }
            let column = RegionLevel.attributeValueSQL(key)
            clauses.append("\(column.sql) = ?")
            arguments += column.arguments + [value]
        }
        if let document = filter.document {
            clauses.append("(d.name = ? OR d.source = ? OR d.source_path = ?)")
            arguments += [document, document, document]
        }
        return (clauses, arguments)
    }

    /// Marks where the search's words and phrases occur in each listed segment.
    private static func markSearchHits(_ terms: [FullText.Term], in listings: inout [SegmentListing]) {
        guard !terms.isEmpty else { return }
        for index in listings.indices {
            let base = listings[index].start
            let marks = FullText.marks(of: terms, in: listings[index].text).map {
                SegmentMark(start: base + $0.lowerBound, end: base + $0.upperBound, kind: .search, code: nil)
            }
            listings[index].marks = ((listings[index].marks ?? []) + marks).sorted { $0.start < $1.start }
        }
    }

    /// Ids of the codes a filter names: exact keys, else key prefixes; nil for no filter.
    package func resolveCodeFilter(_ names: [String]) throws -> [Int64]? {
        guard !names.isEmpty else { return nil }
        return try read { db in
            var ids: [Int64] = []
            for name in names {
                var found = try Int64.fetchAll(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [name])
                if found.isEmpty {
                    let pattern =
                        name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                        .replacingOccurrences(of: "_", with: "\\_") + "%"
                    found = try Int64.fetchAll(
                        db, sql: "SELECT id FROM code WHERE key LIKE ? ESCAPE '\\'", arguments: [pattern])
                }
                guard !found.isEmpty else {
                    let keys = try String.fetchAll(
                        db, sql: "SELECT key FROM code WHERE active = 1 AND depth = 0 ORDER BY ordinal")
                    throw QDAError.unknownCodePrefix(name, groups: keys)
                }
                ids += found
            }
            return ids
        }
    }

    /// Segment listings for a `FROM … WHERE … ORDER BY … LIMIT ?` clause over `s`
    /// (segment) and `d` (document).
    func listSegments(from clause: String, arguments: StatementArguments) throws -> [SegmentListing] {
        try read { db in
            var cutter = TextCutter()
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, d.name, s.ordinal,
                           COALESCE((SELECT group_concat(region, '; ') FROM
                              (SELECT region FROM segment_region WHERE segment_id = s.id
                               ORDER BY basis = 'mention', region)), d.region) AS region,
                           s.speaker, s.timestamp, s.interviewer, s.start_offset, s.end_offset, s.document_id, s.page
                    \(clause)
                    """, arguments: arguments
            ).map {
                SegmentListing(
                    id: $0[0], document: $0[1], ordinal: $0[2], region: $0[3], speaker: $0[4], timestamp: $0[5],
                    page: $0[10], interviewer: $0[6], start: $0[7], end: $0[8],
                    text: try cutter.cut(document: $0[9], start: $0[7], end: $0[8], db))
            }
        }
    }

    /// Adds each listing's codings (those the filter selects), and marks them if asked.
    private func attachCodings(_ listings: inout [SegmentListing], codeIDs: [Int64]?, coder: String?, marked: Bool)
        throws
    {
        guard !listings.isEmpty else { return }
        var clauses = ["c.segment_id IN (\(placeholders(listings.count)))"]
        var arguments = StatementArguments(listings.map(\.id))
        if let codeIDs {
            clauses.append(Self.underCodes("c.code_id", codeIDs.count))
            arguments += StatementArguments(codeIDs)
        }
        if let coder {
            clauses.append("c.coder = ?")
            arguments += [coder]
        }
        let rows = try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.segment_id, k.key, c.coder, c.valence, c.start_offset, c.end_offset, c.matched,
                           c.run_id IS NOT NULL
                    FROM coding c JOIN code k ON k.id = c.code_id
                    WHERE \(clauses.joined(separator: " AND "))
                    ORDER BY c.segment_id, c.start_offset, k.ordinal, c.coder
                    """, arguments: arguments)
        }
        let listed = Dictionary(listings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var bySegment: [Int64: [SegmentCoding]] = [:]
        for row in rows {
            let segment: Int64 = row[0]
            // What an auto-coding matched: stored before v9, its span of the segment since.
            var matched: String? = row[6]
            if matched == nil, row[7] as Bool, let listing = listed[segment] {
                matched = TextCutter.slice(listing.text, from: row[4] - listing.start, to: row[5] - listing.start)
            }
            bySegment[segment, default: []].append(
                SegmentCoding(
                    code: row[1], coder: row[2], valence: row[3], start: row[4], end: row[5], matched: matched)
            )
        }
        for index in listings.indices {
            let codings = bySegment[listings[index].id] ?? []
            listings[index].codings = codings
            if marked {
                listings[index].marks = codings.map {
                    SegmentMark(start: $0.start, end: $0.end, kind: .code, code: $0.code)
                }
            }
        }
    }

    private func context(of listing: SegmentListing, count: Int) throws -> SegmentContext {
        let around = try listSegments(
            from: """
                FROM segment s JOIN document d ON d.id = s.document_id
                WHERE d.name = ? AND s.ordinal BETWEEN ? AND ? AND s.ordinal <> ?
                ORDER BY s.ordinal LIMIT ?
                """,
            arguments: [listing.document, listing.ordinal - count, listing.ordinal + count, listing.ordinal, -1])
        return SegmentContext(
            before: around.filter { $0.ordinal < listing.ordinal },
            after: around.filter { $0.ordinal > listing.ordinal })
    }
}

extension Project {
    /// `column` is one of the codes under `count` codes (each with its descendants), as
    /// SQL whose arguments are those codes' ids.
    static func underCodes(_ column: String, _ count: Int) -> String {
        "\(column) IN (SELECT descendant_id FROM code_closure WHERE ancestor_id IN (\(placeholders(count))))"
    }
}

func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}
