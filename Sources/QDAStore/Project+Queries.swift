import Foundation
internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

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
        guard level == .region else {
            return try cachedReport("\(Self.regionScope)regionTotals|\(level)") {
                try read { db in try Self.regionTotalsBySQL(level, db) }
            }
        }
        return try regionCounts().totals
    }

    /// Region sizes and attribution, counted together in one pass (`RegionTally`).
    func regionCounts() throws -> RegionTally.Counts {
        try cachedReport("\(Self.regionScope)regionCounts") { try read { db in try RegionTally.count(db) } }
    }

    /// `regionTotals` by one statement over the unit table (groupings and attributes).
    static func regionTotalsBySQL(_ level: RegionLevel, _ db: Database) throws -> [RegionTotals] {
        let unit = Self.unitTable(level)
        return try Row.fetchAll(
            db,
            sql: """
                WITH \(unit.sql)
                SELECT region, COUNT(DISTINCT unit.document_id) AS documents, COUNT(*) AS segments,
                       SUM(s.words) AS words
                FROM unit JOIN segment s ON s.id = unit.segment_id
                GROUP BY region ORDER BY region IS NULL, region
                """, arguments: unit.arguments
        ).map {
            RegionTotals(
                region: $0["region"], documents: $0["documents"], segments: $0["segments"], words: $0["words"] ?? 0)
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
        // What the command held before (pages, an ingest's buffers) is given back before the
        // builder's sums are allocated, and the sums after.
        giveBackMemory()
        defer { giveBackMemory() }
        try writeSortingOnDisk { db in
            try SegmentCodeBuilder.rebuild(db)
            try db.execute(sql: "UPDATE project_info SET value = '1' WHERE key = 'segment_code_fresh'")
            // Whatever made the cache stale (a hand edit too) makes cached numbers of codings
            // stale; changes of documents and regions renewed the others already.
            try Self.startNewCodingGeneration(db)
        }
    }

    /// Coded evidence per active code (and group) and region at `level`, every coder counted.
    public func codeAggregates(level: RegionLevel = .region) throws -> [CodeAggregate] {
        try cachedReport("codeAggregates|\(level)") {
            try read { db in try SegmentCodeTally.aggregates(db, level: level) }
        }
    }

    /// The coded sentences of prose (documents other than interviews, read by sentence) per
    /// region and code or group: region → key → sentences. Counted in the report cache
    /// (`segment_code`).
    public func codedProseSentences() throws -> [String: [String: Int]] {
        try cachedReport("codedProseSentences") {
            try read { db in
                var result: [String: [String: Int]] = [:]
                // A project of interviews only (the common case) has no prose to count.
                guard
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM document WHERE kind <> 'interview')")
                        ?? false
                else { return result }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.key AS key, sc.region AS region, COUNT(*) AS n
                        FROM segment_code sc
                        JOIN segment s ON s.id = sc.segment_id
                        JOIN document d ON d.id = sc.document_id
                        JOIN code c ON c.id = sc.code_id
                        WHERE s.role = 'sentence' AND d.kind <> 'interview' AND sc.region <> ''
                        GROUP BY c.key, sc.region
                        """)
                for row in rows { result[row["region"], default: [:]][row["key"]] = row["n"] }
                return result
            }
        }
    }

    /// Coded evidence for any of `codes` together: per region (a segment coded with two
    /// of them counts once), per code over all regions (a segment in two regions counts
    /// once), and over all. The `code` of a row total is "", its `region` nil for totals
    /// over all regions.
    public func codeTotals(codes: [String], level: RegionLevel = .region) throws -> CodeTotals {
        try cachedReport("codeTotals|\(level)|\(codes.joined(separator: ","))") {
            try read { db in try SegmentCodeTally.totals(db, keys: codes, level: level) }
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
    package func countableSegments() throws -> RegionTotals {
        try regionCounts().countable
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
            try read { db in try SegmentCodeTally.quotes(db, key: code, signs: signs, limit: limit, level: level) }
        }
    }
}
