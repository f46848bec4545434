import GRDB

/// Rebuilds the report cache `segment_code` from all codings: one row per code (and each
/// ancestor code), region and segment, with the net valence and the number of codings.
///
/// It gives the rows `Project.segmentCodeRows(where:)` gives, but sums the codings per
/// code and segment from the covering index by code, walks them with the segment regions
/// in segment order, and inserts the rows sorted by the table's key. SQLite's GROUP BY over
/// the join sorted every coding–ancestor–region row through a temporary b-tree and
/// inserted the result at random places (docs/performance.md has the figures).
enum SegmentCodeBuilder {
    private struct Key: Hashable {
        var code: Int64
        var region: Int
    }

    /// Net valence and number of codings.
    private struct Sum {
        var valence: Int64 = 0
        var codings: Int64 = 0

        mutating func add(_ other: Sum) {
            valence += other.valence
            codings += other.codings
        }
    }

    /// The codings of one code in one segment.
    private struct Pair {
        var segment: Int64
        var code: Int64
        var document: Int64
        var sum: Sum
    }

    /// One row of `segment_code`, its region as a number.
    private struct Entry {
        var code: Int64
        var region: Int
        var segment: Int64
        var document: Int64
        var sum: Sum
    }

    /// Code–segment pairs held in memory at most (about 40 bytes each, and the rows they
    /// give, about 60 bytes per code, ancestor and region); larger projects are rebuilt by SQL.
    static let maximumPairs = 3_000_000

    static func rebuild(_ db: Database, maximumPairs: Int = maximumPairs) throws {
        var ancestors: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT descendant_id, ancestor_id FROM code_closure") {
            ancestors[row[0], default: []].append(row[1])
        }
        // Regions as numbers while aggregating; "" stands for a segment in no region.
        var regionNumbers: [String: Int] = ["": 0]
        var regionNames = [""]
        func number(_ region: String) -> Int {
            if let known = regionNumbers[region] { return known }
            regionNames.append(region)
            regionNumbers[region] = regionNames.count - 1
            return regionNames.count - 1
        }

        var entries: [Entry] = []
        var regions = try RowReader(
            db, sql: "SELECT segment_id, region FROM segment_region ORDER BY segment_id, region")
        func nextRegion() throws -> (segment: Int64, region: String)? {
            try regions.next(db) ? (regions.int64(0), regions.text(1)) : nil
        }
        var pendingRegion = try nextRegion()

        // First the codings per (code, segment): the covering index by code is read in its
        // own order, so equal pairs are neighbours and no coding row is looked up (reading
        // by segment looked up every row, slow once codings outgrow the page cache).
        var pairs: [Pair] = []
        var codings = try RowReader(
            db,
            sql: """
                SELECT code_id, segment_id, document_id, valence FROM coding INDEXED BY coding_code
                ORDER BY code_id, segment_id
                """)
        while try codings.next(db) {
            let code = codings.int64(0)
            let segment = codings.int64(1)
            let valence = codings.int64(3)
            if let last = pairs.last, last.code == code, last.segment == segment {
                pairs[pairs.count - 1].sum.add(Sum(valence: valence, codings: 1))
            } else {
                guard pairs.count < maximumPairs else {
                    // Memory grows with the rows: past this size, SQLite's sorter (which
                    // spills to disk) does the work instead.
                    codings.finish()
                    regions.finish()
                    try db.execute(sql: "DELETE FROM segment_code")
                    try db.execute(sql: Project.segmentCodeRows(where: "1"))
                    return
                }
                pairs.append(
                    Pair(
                        segment: segment, code: code, document: codings.int64(2), sum: Sum(valence: valence, codings: 1)
                    ))
            }
        }
        pairs.sort { ($0.segment, $0.code) < ($1.segment, $1.code) }

        // Then per segment, with its regions: every code's ancestors too.
        var segment: Int64 = -1
        var document: Int64 = 0
        var segmentRegions: [Int] = []
        var cell: [Key: Sum] = [:]
        func flush() {
            for (key, value) in cell {
                entries.append(
                    Entry(code: key.code, region: key.region, segment: segment, document: document, sum: value))
            }
            cell.removeAll(keepingCapacity: true)
        }
        for pair in pairs {
            if pair.segment != segment {
                flush()
                segment = pair.segment
                document = pair.document
                segmentRegions.removeAll(keepingCapacity: true)
                while let pending = pendingRegion, pending.segment <= segment {
                    if pending.segment == segment { segmentRegions.append(number(pending.region)) }
                    pendingRegion = try nextRegion()
                }
                if segmentRegions.isEmpty { segmentRegions = [0] }
            }
            for code in ancestors[pair.code] ?? [] {
                for region in segmentRegions {
                    // One dictionary lookup, through `inout`.
                    cell[Key(code: code, region: region), default: Sum()].add(pair.sum)
                }
            }
        }
        flush()
        // Both statements must be finished before the index is dropped (SQLite refuses a
        // schema change while a statement of the connection is still reading).
        regions.finish()

        // The table's key order (code, region, segment); regions compare as SQLite's BINARY
        // collation does, byte by byte.
        let order = regionNames.indices.sorted { regionNames[$0].utf8.lexicographicallyPrecedes(regionNames[$1].utf8) }
        var rank = [Int](repeating: 0, count: regionNames.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        entries.sort { ($0.code, rank[$0.region], $0.segment) < ($1.code, rank[$1.region], $1.segment) }

        // The index by document is built after the rows (one sort), not kept up to date row
        // by row.
        let indexes = try Project.dropIndexes(["segment_code_document"], db)
        try db.execute(sql: "DELETE FROM segment_code")
        var insert = try RowInserter(
            db,
            sql: """
                INSERT INTO segment_code (code_id, region, segment_id, document_id, valence, codings)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        for entry in entries {
            insert.bind(entry.code)
            insert.bind(regionNames[entry.region])
            insert.bind(entry.segment)
            insert.bind(entry.document)
            insert.bind(entry.sum.valence)
            insert.bind(entry.sum.codings)
            try insert.run(db)
        }
        for sql in indexes { try db.execute(sql: sql) }
    }
}
