import GRDB

/// Rebuilds the report cache `segment_code` from all codings: one row per code (and each
/// ancestor code), region and segment, with the net valence and the number of codings.
///
/// It gives the rows `Project.segmentCodeRows(where:)` gives, one code of the closure at a
/// time in the table's key order: the codings of the code and its descendants are read
/// from the covering index by code (each code's range in segment order, no coding row
/// looked up), given their segments' regions, sorted by region and segment, summed, and
/// appended to the table. SQLite's GROUP BY over the join sorted every
/// coding–ancestor–region row through a temporary b-tree (docs/performance.md has the
/// figures). Memory holds one code's rows at a time, so it grows with the largest code,
/// not with the project; past `maximumEntries` that code's rows come from SQL.
enum SegmentCodeBuilder {
    /// One coding of the code being built (24 bytes): its segment in one of the segment's
    /// regions, by rank in the table's order.
    private struct Entry {
        var rank: Int32
        var valence: Int32
        var segment: Int64
        var document: Int64
    }

    /// Entries of one code held in memory at most: 4 million, 96 MB and half as much again
    /// to sort them, are the codings of the largest group of codes of a corpus of about
    /// 4 GB (1.1 million at 1 GB); a code with more is built by SQL, whose sorter spills to
    /// disk.
    static let maximumEntries = 4_000_000

    static func rebuild(_ db: Database, maximumEntries: Int = maximumEntries) throws {
        try Project.withTemporaryFilesOnDisk(db) { try build(db, maximumEntries: maximumEntries) }
    }

    private static func build(_ db: Database, maximumEntries: Int) throws {
        var descendants: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT ancestor_id, descendant_id FROM code_closure ORDER BY ancestor_id, descendant_id")
        {
            descendants[row[0], default: []].append(row[1])
        }

        // The regions of every placed segment, in segment order (12 bytes a row); "" is the
        // region of a segment in none.
        var regions = SegmentCodeTally.Regions()
        regions.emptyIsNone = true
        var placedSegments: [Int64] = []
        var placedRegions: [Int32] = []
        var placed = try RowReader(db, sql: "SELECT segment_id, region FROM segment_region ORDER BY segment_id, region")
        while try placed.next(db) {
            placedSegments.append(placed.int64(0))
            placedRegions.append(Int32(regions.number(placed, 1)))
        }
        // The table's order of regions: SQLite's BINARY collation, byte by byte; "" first.
        let names = regions.names.map { $0 ?? "" }
        let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
        var rank = [Int32](repeating: 0, count: names.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        for index in placedRegions.indices { placedRegions[index] = rank[Int(placedRegions[index])] }
        let namesByRank = order.map { names[$0] }

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
        for ancestor in descendants.keys.sorted() {
            let codes = descendants[ancestor]!
            // Room for each coding once (a segment in several regions adds one per region):
            // counted in the covering index, so that the array does not grow by doubling.
            let count = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM coding INDEXED BY coding_code
                    WHERE code_id IN (\(codes.map(String.init).joined(separator: ",")))
                    """)!
            var entries: [Entry] = []
            entries.reserveCapacity(min(count, maximumEntries + 1))
            var fits = count <= maximumEntries
            for code in codes where fits {
                var codings = try RowReader(
                    db,
                    sql: """
                        SELECT segment_id, document_id, valence FROM coding INDEXED BY coding_code
                        WHERE code_id = ? ORDER BY segment_id
                        """, arguments: [code])
                // This code's codings come in segment order: each one's regions are found
                // by a binary search from the last one's.
                var lower = 0
                while try codings.next(db) {
                    let segment = codings.int64(0)
                    // A coding's valence is -1, 0 or 1 (the schema's CHECK).
                    let valence = Int32(truncatingIfNeeded: codings.int64(2))
                    lower = firstIndex(of: segment, in: placedSegments, from: lower)
                    var index = lower
                    repeat {
                        let isPlaced = index < placedSegments.count && placedSegments[index] == segment
                        entries.append(
                            Entry(
                                rank: isPlaced ? placedRegions[index] : 0, valence: valence, segment: segment,
                                document: codings.int64(1)))
                        index += 1
                    } while index < placedSegments.count && placedSegments[index] == segment
                    if entries.count > maximumEntries {
                        codings.finish()
                        fits = false
                        break
                    }
                }
            }
            guard fits else {
                // SQL's GROUP BY gives this code's rows in the table's order too.
                try db.execute(sql: Project.segmentCodeRows(where: "closure.ancestor_id = \(ancestor)"))
                continue
            }
            entries.sort { ($0.rank, $0.segment) < ($1.rank, $1.segment) }
            var start = entries.startIndex
            while start < entries.endIndex {
                let cell = entries[start]
                var valence = Int64(cell.valence)
                var end = start + 1
                while end < entries.endIndex && entries[end].rank == cell.rank && entries[end].segment == cell.segment {
                    valence += Int64(entries[end].valence)
                    end += 1
                }
                insert.bind(ancestor)
                insert.bind(namesByRank[Int(cell.rank)])
                insert.bind(cell.segment)
                insert.bind(cell.document)
                insert.bind(valence)
                insert.bind(Int64(end - start))
                try insert.run(db)
                start = end
            }
        }
        for sql in indexes { try db.execute(sql: sql) }
    }

    /// The first index at or after `start` whose segment is not below `segment` (the end if
    /// none): `segments` is sorted.
    private static func firstIndex(of segment: Int64, in segments: [Int64], from start: Int) -> Int {
        var low = start
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle] < segment { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
