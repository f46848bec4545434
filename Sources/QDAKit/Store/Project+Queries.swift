import Foundation
import GRDB

/// A code or group as the project knows it.
public struct CodeInfo: Sendable, Equatable {
    public var key: String
    public var label: String
    /// 0 for a group, 1 for a code, 2 and more for sub-codes.
    public var depth: Int
    public var groupKey: String
    /// Whether the code belongs to a factor group or an outcome group.
    public var role: CodeGroup.Role
}

/// How many documents and codable segments (interviewer turns left out) a region has.
public struct RegionTotals: Sendable, Equatable, Codable {
    /// The region, or nil for documents that carry none.
    public var region: String?
    public var documents: Int
    public var segments: Int
    /// Words in those segments (`FullText.wordCount`).
    public var words: Int = 0
}

/// Coded evidence for one code (with its sub-codes) or group in one region.
///
/// A segment's valence for a code is the sign of the sum of its codings' valences.
public struct CodeAggregate: Sendable, Equatable, Codable {
    public var code: String
    public var region: String? = nil
    /// Segments coded with the code or one of its sub-codes.
    public var segments: Int
    public var documents: Int
    /// Coded segments with positive and negative valence.
    public var positive: Int
    public var negative: Int
}

/// Coded evidence for a set of codes together: per region, per code, and over all.
public struct CodeTotals: Sendable, Equatable, Codable {
    public var rows: [CodeAggregate]
    public var columns: [CodeAggregate]
    public var all: CodeAggregate
}

/// A segment as `qda segments` lists it.
public struct SegmentListing: Sendable, Equatable, Codable {
    public var id: Int64
    public var document: String
    public var ordinal: Int
    /// The segment's regions joined by "; ", its document's first (an interviewer's turn,
    /// which counts in no region, shows its document's region as written).
    public var region: String?
    public var speaker: String?
    public var timestamp: String?
    /// The page the segment starts on (PDF).
    public var page: Int?
    /// True for an interviewer's turn, which is not auto-coded.
    public var interviewer: Bool
    public var start: Int
    public var end: Int
    public var text: String
    /// The segment's codings, when listed by `findSegments`.
    public var codings: [SegmentCoding]?
    /// Passages to mark: codings of the filtered codes and search terms.
    public var marks: [SegmentMark]?
    /// Neighbouring segments (`--context N`).
    public var context: SegmentContext?

    public init(
        id: Int64, document: String, ordinal: Int, region: String?, speaker: String?, timestamp: String?, page: Int?,
        interviewer: Bool, start: Int, end: Int, text: String
    ) {
        self.id = id
        self.document = document
        self.ordinal = ordinal
        self.region = region
        self.speaker = speaker
        self.timestamp = timestamp
        self.page = page
        self.interviewer = interviewer
        self.start = start
        self.end = end
        self.text = text
    }
}

extension Project {
    /// The active groups and codes, in codebook order.
    public func codes() throws -> [CodeInfo] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT key, label, depth, group_key, role FROM code WHERE active = 1 ORDER BY ordinal"
            ).map {
                CodeInfo(
                    key: $0["key"], label: $0["label"], depth: $0["depth"], groupKey: $0["group_key"],
                    role: CodeGroup.Role(rawValue: $0["role"]) ?? .factor)
            }
        }
    }

    /// Documents and segments per region at `level`, ordered by region (no region last).
    public func regionTotals(level: RegionLevel = .region) throws -> [RegionTotals] {
        let unit = Self.unitTable(level)
        return try cachedReport("\(Self.regionScope)regionTotals|\(level)") {
            try read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        WITH \(unit.sql)
                        SELECT region, COUNT(DISTINCT unit.document_id) AS documents, COUNT(*) AS segments,
                               SUM(s.words) AS words
                        FROM unit JOIN segment s INDEXED BY segment_position ON s.id = unit.segment_id
                        GROUP BY region ORDER BY region IS NULL, region
                        """, arguments: unit.arguments
                ).map {
                    RegionTotals(
                        region: $0["region"], documents: $0["documents"], segments: $0["segments"],
                        words: $0["words"] ?? 0)
                }
            }
        }
    }

    /// Report numbers computed by `compute`, kept in `report_cache` until the project's
    /// codings, documents or regions change (`markSegmentCodesStale` starts a new
    /// generation), so that every report after the first one reads them back.
    ///
    /// Keys that start with `regionScope` hold numbers that read documents and regions only;
    /// they follow `region_generation` and outlive changes of codings.
    func cachedReport<T: Codable>(_ key: String, _ compute: () throws -> T) throws -> T {
        let generationKey = key.hasPrefix(Self.regionScope) ? "region_generation" : "report_generation"
        if generationKey == "report_generation" { try refreshSegmentCodes() }
        let (generation, stored) = try read { db -> (String, String?) in
            let generation =
                try String.fetchOne(db, sql: "SELECT value FROM project_info WHERE key = ?", arguments: [generationKey])
                ?? "0"
            let stored = try String.fetchOne(
                db, sql: "SELECT value FROM report_cache WHERE key = ? AND generation = ?",
                arguments: [key, Int(generation) ?? 0])
            return (generation, stored)
        }
        if let stored, let value = try? JSONDecoder().decode(T.self, from: Data(stored.utf8)) { return value }
        let value = try compute()
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        // A report never waits for a writer just to remember its numbers.
        try writeUnlessBusy { db in
            // Kept only if nothing changed while it was computed.
            guard
                try String.fetchOne(db, sql: "SELECT value FROM project_info WHERE key = ?", arguments: [generationKey])
                    ?? "0" == generation
            else { return }
            try db.execute(
                sql: "INSERT OR REPLACE INTO report_cache (key, generation, value) VALUES (?, ?, ?)",
                arguments: [key, Int(generation) ?? 0, json])
        }
        return value
    }

    /// Rebuilds the `segment_code` cache if codings or regions changed since it was built
    /// (`markSegmentCodesStale`), so that reports read one row per code, region and segment.
    func refreshSegmentCodes() throws {
        let fresh = try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM project_info WHERE key = 'segment_code_fresh'") == "1"
        }
        guard !fresh else { return }
        try write { db in
            try SegmentCodeBuilder.rebuild(db)
            try db.execute(sql: "UPDATE project_info SET value = '1' WHERE key = 'segment_code_fresh'")
            // Whatever made the cache stale (a hand edit too) makes cached numbers of codings
            // stale; changes of documents and regions renewed the others already.
            try db.execute(
                sql: """
                    UPDATE project_info SET value = CAST(value AS INTEGER) + 1 WHERE key = 'report_generation';
                    DELETE FROM report_cache WHERE key NOT LIKE '\(Self.regionScope)%';
                    """)
        }
    }

    /// Coded evidence per active code (and group) and region at `level`, every coder counted.
    public func codeAggregates(level: RegionLevel = .region) throws -> [CodeAggregate] {
        let (source, arguments) = Self.perSegmentSource(level)
        return try cachedReport("codeAggregates|\(level)") {
            try read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        WITH per_segment AS (\(source))
                        SELECT code.key, per_segment.region, COUNT(*) AS segments,
                               COUNT(DISTINCT per_segment.document_id) AS documents,
                               SUM(per_segment.valence > 0) AS positive, SUM(per_segment.valence < 0) AS negative
                        FROM per_segment JOIN code ON code.id = per_segment.code_id
                        WHERE code.active = 1
                        GROUP BY code.id, per_segment.region
                        ORDER BY code.ordinal, per_segment.region IS NULL, per_segment.region
                        """, arguments: arguments
                ).map {
                    CodeAggregate(
                        code: $0["key"], region: $0["region"], segments: $0["segments"], documents: $0["documents"],
                        positive: $0["positive"], negative: $0["negative"])
                }
            }
        }
    }

    /// Coded evidence for any of `codes` together: per region (a segment coded with two
    /// of them counts once), per code over all regions (a segment in two regions counts
    /// once), and over all. The `code` of a row total is "", its `region` nil for totals
    /// over all regions.
    public func codeTotals(codes: [String], level: RegionLevel = .region) throws -> CodeTotals {
        let (source, arguments) = Self.perSegmentSource(level)
        let selected = "code_id IN (SELECT id FROM code WHERE key IN (\(placeholders(codes.count))))"
        func aggregate(_ row: Row, code: String?) -> CodeAggregate {
            CodeAggregate(
                code: code ?? row["key"], region: row["region"], segments: row["segments"],
                documents: row["documents"], positive: row["positive"] ?? 0, negative: row["negative"] ?? 0)
        }
        return try cachedReport("codeTotals|\(level)|\(codes.joined(separator: ","))") {
            try read { db in
                // Per region: one row per segment, its valence summed over the selected codes.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        WITH per_segment AS (\(source)),
                        chosen AS (SELECT region, segment_id, document_id, SUM(valence) AS valence FROM per_segment
                                   WHERE \(selected) GROUP BY region, segment_id)
                        SELECT region, COUNT(*) AS segments, COUNT(DISTINCT document_id) AS documents,
                               SUM(valence > 0) AS positive, SUM(valence < 0) AS negative
                        FROM chosen GROUP BY region ORDER BY region IS NULL, region
                        """, arguments: arguments + StatementArguments(codes)
                ).map { aggregate($0, code: "") }
                let columns = try Row.fetchAll(
                    db,
                    sql: """
                        WITH per_segment AS (\(source)),
                        chosen AS (SELECT code_id, segment_id, document_id, MAX(valence) AS valence FROM per_segment
                                   WHERE \(selected) GROUP BY code_id, segment_id)
                        SELECT code.key, COUNT(*) AS segments, COUNT(DISTINCT document_id) AS documents,
                               SUM(valence > 0) AS positive, SUM(valence < 0) AS negative
                        FROM chosen JOIN code ON code.id = chosen.code_id GROUP BY code.id ORDER BY code.ordinal
                        """, arguments: arguments + StatementArguments(codes)
                ).map { aggregate($0, code: nil) }
                let all = try Row.fetchOne(
                    db,
                    sql: """
                        WITH per_segment AS (\(source)),
                        per_code AS (SELECT code_id, segment_id, document_id, MAX(valence) AS valence FROM per_segment
                                     WHERE \(selected) GROUP BY code_id, segment_id),
                        chosen AS (SELECT segment_id, document_id, SUM(valence) AS valence FROM per_code
                                   GROUP BY segment_id)
                        SELECT COUNT(*) AS segments, COUNT(DISTINCT document_id) AS documents,
                               SUM(valence > 0) AS positive, SUM(valence < 0) AS negative
                        FROM chosen
                        """, arguments: arguments + StatementArguments(codes)
                ).map { aggregate($0, code: "") }
                return CodeTotals(
                    rows: rows, columns: columns,
                    all: all ?? CodeAggregate(code: "", segments: 0, documents: 0, positive: 0, negative: 0))
            }
        }
    }

    /// The rows of `segment_code` at `level`: (code_id, region, segment_id, document_id,
    /// valence, codings), one per code, region (value) and segment.
    static func perSegmentSource(_ level: RegionLevel) -> (String, StatementArguments) {
        // Rows of one code and region are adjacent in segment_code; at the grouping level a
        // segment counts once per grouping, however many of its regions belong to it.
        let source: String
        var arguments: StatementArguments = []
        switch level {
        case .region:
            source =
                "SELECT code_id, NULLIF(region, '') AS region, segment_id, document_id, valence, codings FROM segment_code"
        case .grouping(let set):
            source = """
                SELECT DISTINCT sc.code_id, rg.grouping AS region, sc.segment_id, sc.document_id, sc.valence,
                       sc.codings
                FROM segment_code sc LEFT JOIN region_grouping rg ON rg.region = sc.region AND rg.set_name = ?
                """
            arguments = [set]
        case .attribute(let key):
            // A segment in two regions has two rows in segment_code; it counts once per value.
            let value = RegionLevel.attributeValueSQL(key)
            source = """
                SELECT DISTINCT sc.code_id, \(value.sql) AS region, sc.segment_id, sc.document_id, sc.valence,
                       sc.codings
                FROM segment_code sc JOIN document d ON d.id = sc.document_id
                """
            arguments = value.arguments
        }
        return (source, arguments)
    }

    /// How many documents the project holds.
    public func documentCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0 }
    }

    /// Countable segments (interviewer turns aside) and their words, each once.
    func countableSegments() throws -> RegionTotals {
        try cachedReport("\(Self.regionScope)countableSegments") {
            try read { db in
                let row = try Row.fetchOne(
                    db,
                    sql:
                        """
                        SELECT COUNT(*) AS n, SUM(words) AS w, COUNT(DISTINCT document_id) AS d
                        FROM segment INDEXED BY segment_position WHERE interviewer = 0
                        """
                )
                return RegionTotals(
                    region: nil, documents: row?["d"] ?? 0, segments: row?["n"] ?? 0, words: row?["w"] ?? 0)
            }
        }
    }

    /// The document attributes of the project, and the document columns, usable as
    /// report dimensions (`qda report matrix --by role`).
    public func dimensions() throws -> [String] {
        let keys = try read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT key FROM document_attribute ORDER BY key")
        }
        return RegionLevel.documentColumns + keys.filter { !RegionLevel.documentColumns.contains($0) }
    }

    /// Segments in document order, at most `limit` of them.
    public func segments(limit: Int? = nil) throws -> [SegmentListing] {
        try listSegments(
            from: "FROM segment s JOIN document d ON d.id = s.document_id ORDER BY d.name, s.ordinal LIMIT ?",
            arguments: [limit ?? -1])
    }

    /// The name and version of the current codebook, for report headers.
    public func codebookVersion() throws -> (name: String, version: String?, sha256: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT name, version, sha256 FROM codebook ORDER BY id DESC LIMIT 1").map {
                (name: $0["name"], version: $0["version"], sha256: $0["sha256"])
            }
        }
    }
}

/// A segment quoted as evidence for a code in a region.
public struct Quote: Sendable, Equatable, Codable {
    public var segment: Int64
    public var document: String
    public var speaker: String?
    public var valence: Int
    public var text: String
}

extension Project {
    /// The strongest quotes for `code` (with its sub-codes) in `region` at `level`: segments
    /// whose net valence agrees with `sign` first (any valence when `sign` is 0), then the
    /// strongest net valence, then those with the most codings of the code, then in
    /// document order.
    public func quotes(code: String, region: String, level: RegionLevel = .region, sign: Int = 0, limit: Int = 2)
        throws -> [Quote]
    {
        try quotes(code: code, signs: [region: sign], level: level, limit: limit)[region] ?? []
    }

    /// The strongest quotes for `code` in every region of `signs` at once (one pass over
    /// the code's rows of the report cache), each region ranked by its own sign.
    public func quotes(code: String, signs: [String: Int], level: RegionLevel = .region, limit: Int) throws
        -> [String: [Quote]]
    {
        guard !signs.isEmpty, limit > 0 else { return [:] }
        let signature = signs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return try cachedReport("quotes|\(code)|\(level)|\(limit)|\(signature)") {
            try rankQuotes(code: code, signs: signs, level: level, limit: limit)
        }
    }

    private func rankQuotes(code: String, signs: [String: Int], level: RegionLevel, limit: Int) throws
        -> [String: [Quote]]
    {
        let (source, sourceArguments) = Self.perSegmentSource(level)
        let regions = signs.keys.sorted()
        // The regions and their signs as a table to join on.
        let wanted = regions.map { _ in "SELECT ? AS region, ? AS sign" }.joined(separator: " UNION ALL ")
        var arguments = StatementArguments()
        for region in regions { arguments += [region, signs[region]!] }
        let cell: String
        if level == .region {
            // Straight from the cache's primary key (code, region).
            cell = """
                SELECT sc.region, sc.segment_id, sc.valence, sc.codings, wanted.sign
                FROM wanted JOIN segment_code sc ON sc.region = wanted.region
                WHERE sc.code_id = (SELECT id FROM code WHERE key = ?)
                """
            arguments += [code]
        } else {
            cell = """
                SELECT ps.region, ps.segment_id, ps.valence, ps.codings, wanted.sign
                FROM (\(source)) AS ps JOIN wanted ON ps.region = wanted.region
                WHERE ps.code_id = (SELECT id FROM code WHERE key = ?)
                """
            arguments += sourceArguments + [code]
        }
        let rows = try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH wanted AS (\(wanted)),
                    cell AS (\(cell)),
                    ranked AS (
                        SELECT cell.region, cell.segment_id, cell.valence,
                               ROW_NUMBER() OVER (
                                   PARTITION BY cell.region
                                   ORDER BY (cell.sign = 0 OR (cell.valence > 0) - (cell.valence < 0) = cell.sign) DESC,
                                            abs(cell.valence) DESC, cell.codings DESC, document.name, segment.ordinal
                               ) AS rank
                        FROM cell JOIN segment INDEXED BY segment_position ON segment.id = cell.segment_id
                        JOIN document ON document.id = segment.document_id
                    )
                    SELECT ranked.region, segment.id, document.name, segment.speaker, ranked.valence, segment.text
                    FROM ranked JOIN segment ON segment.id = ranked.segment_id
                    JOIN document ON document.id = segment.document_id
                    WHERE ranked.rank <= ?
                    ORDER BY ranked.region, ranked.rank
                    """, arguments: arguments + [limit])
        }
        var quotes: [String: [Quote]] = [:]
        for row in rows {
            let valence: Int = row[4]
            quotes[row[0], default: []].append(
                Quote(segment: row[1], document: row[2], speaker: row[3], valence: valence.signum(), text: row[5]))
        }
        return quotes
    }
}
