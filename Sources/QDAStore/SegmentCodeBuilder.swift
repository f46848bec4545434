internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// Rebuilds the report cache `segment_code` from all codings: one row per code (and each
/// ancestor code), region and segment, with the net valence and the number of codings.
///
/// It gives the rows `Project.segmentCodeRows(where:)` gives, and appends them in the
/// table's key order. The codings are summed per code and segment as SQLite walks the
/// covering index by code (each code's range in segment order, no coding row looked up),
/// and each sum is given the segment's regions. SQLite's GROUP BY over the join with the
/// code tree and the regions sorted every coding–ancestor–region row through a temporary
/// b-tree (docs/performance.md has the figures).
///
/// Memory: up to `maximumEntries` code–segment–region sums (20 bytes each) the index is
/// read once and every code's rows are merged from its descendants' sums in memory. A
/// larger project is built one code of the closure at a time, reading the index again for
/// each ancestor, so that memory holds the largest group of codes only; a code with more
/// sums than that is built by SQL, whose sorter spills to disk.
enum SegmentCodeBuilder {
    /// The codings of one code in one segment (20 bytes): the segment in one of its regions,
    /// by rank in the table's order. (A segment would need two billion codings of one code
    /// for the 32-bit sums to wrap; segment and document ids above 2^31 are built by SQL.)
    private struct Entry {
        var rank: Int32
        var valence: Int32
        var codings: Int32
        var segment: Int32
        var document: Int32

        func precedes(_ other: Entry) -> Bool {
            (rank, segment) < (other.rank, other.segment)
        }
    }

    /// Sums held in memory at most: 4 million, 80 MB. A 1 GB corpus coded once has 2.7
    /// million.
    static let maximumEntries = 4_000_000

    static func rebuild(_ db: Database, maximumEntries: Int = maximumEntries) throws {
        let largest = try Int64.fetchOne(
            db,
            sql: "SELECT MAX(COALESCE((SELECT MAX(id) FROM segment), 0), COALESCE((SELECT MAX(id) FROM document), 0))")
        guard largest ?? 0 <= Int64(Int32.max) else {
            // Ids past 32 bits (never made by qda): SQL, whose sorter spills to disk.
            try db.execute(sql: "DELETE FROM segment_code")
            try db.execute(sql: Project.segmentCodeRows(where: "1"))
            return
        }
        try Project.withBulkSortCache(db) {
            var builder = try SegmentCodeBuilder.Builder(db, maximumEntries: maximumEntries)
            try builder.build()
        }
    }

    private struct Builder {
        let db: Database
        let maximumEntries: Int
        /// The codes of the closure in ascending order, each with its descendants (itself
        /// included).
        var descendants: [(ancestor: Int64, codes: [Int64])] = []
        /// The regions of every placed segment, in segment order (12 bytes a row), by rank;
        /// rank 0 is "", the region of a segment in none.
        var placedSegments: [Int64] = []
        var placedRanks: [Int32] = []
        var namesByRank: [String] = []
        var insert: RowInserter

        init(_ db: Database, maximumEntries: Int) throws {
            self.db = db
            self.maximumEntries = maximumEntries
            for row in try Row.fetchAll(
                db, sql: "SELECT ancestor_id, descendant_id FROM code_closure ORDER BY ancestor_id, descendant_id")
            {
                let ancestor: Int64 = row[0]
                if descendants.last?.ancestor != ancestor { descendants.append((ancestor, [])) }
                descendants[descendants.count - 1].codes.append(row[1])
            }
            var regions = SegmentCodeTally.Regions()
            regions.emptyIsNone = true
            let placements = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment_region") ?? 0
            placedSegments.reserveCapacity(placements)
            placedRanks.reserveCapacity(placements)
            var placed = try RowReader(
                db, sql: "SELECT segment_id, region FROM segment_region ORDER BY segment_id, region")
            while try placed.next(db) {
                placedSegments.append(placed.int64(0))
                placedRanks.append(Int32(regions.number(placed, 1)))
            }
            // The table's order of regions: SQLite's BINARY collation, byte by byte; "" first.
            let names = regions.names.map { $0 ?? "" }
            let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
            var rank = [Int32](repeating: 0, count: names.count)
            for (position, index) in order.enumerated() { rank[index] = Int32(position) }
            for index in placedRanks.indices { placedRanks[index] = rank[Int(placedRanks[index])] }
            namesByRank = order.map { names[$0] }
            insert = try RowInserter(
                db,
                sql: """
                    INSERT INTO segment_code (code_id, region, segment_id, document_id, valence, codings)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
        }

        mutating func build() throws {
            // The index by document is built after the rows (one sort), not kept up to date
            // row by row.
            let indexes = try Project.dropIndexes(["segment_code_document"], db)
            try db.execute(sql: "DELETE FROM segment_code")
            if try !buildFromOneRead() {
                for (ancestor, codes) in descendants { try build(ancestor, codes: codes) }
            }
            for sql in indexes { try db.execute(sql: sql) }
        }

        /// Reads every coding once, sorts each code's sums by region and segment, and merges
        /// the sums of each code's descendants. False, having written nothing, when the sums
        /// are more than `maximumEntries`.
        mutating func buildFromOneRead() throws -> Bool {
            let codings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM coding") ?? 0
            var entries = Self.entryBuffer(maximumEntries, codings: codings)
            var ranges: [Int64: Range<Int>] = [:]
            guard try read(code: nil, into: &entries, ranges: &ranges) else { return false }
            for range in ranges.values { entries[range].sort { $0.precedes($1) } }
            for (ancestor, codes) in descendants {
                try appendMerged(ancestor, runs: codes.compactMap { ranges[$0] }, of: entries)
            }
            return true
        }

        /// Builds the rows of one code from its descendants' codings alone, or by SQL when
        /// they are more than `maximumEntries`.
        mutating func build(_ ancestor: Int64, codes: [Int64]) throws {
            var entries: [Entry] = []
            var ranges: [Int64: Range<Int>] = [:]
            for code in codes {
                guard try read(code: code, into: &entries, ranges: &ranges) else {
                    // SQL's GROUP BY gives this code's rows in the table's order too.
                    try db.execute(sql: Project.segmentCodeRows(where: "closure.ancestor_id = \(ancestor)"))
                    return
                }
            }
            for range in ranges.values { entries[range].sort { $0.precedes($1) } }
            try appendMerged(ancestor, runs: codes.compactMap { ranges[$0] }, of: entries)
        }

        /// Appends the rows of `ancestor`: the entries of `runs` (ranges of `entries`, each
        /// sorted by region and segment) merged through a heap of runs ordered by their
        /// first entries, the sums of one region and segment added up.
        mutating func appendMerged(_ ancestor: Int64, runs: [Range<Int>], of entries: [Entry]) throws {
            var runs = runs.filter { !$0.isEmpty }
            func isBefore(_ a: Int, _ b: Int) -> Bool {
                entries[runs[a].lowerBound].precedes(entries[runs[b].lowerBound])
            }
            var heap = Array(runs.indices)
            func siftDown(_ start: Int) {
                var parent = start
                while true {
                    var least = parent
                    let left = 2 * parent + 1
                    if left < heap.count && isBefore(heap[left], heap[least]) { least = left }
                    if left + 1 < heap.count && isBefore(heap[left + 1], heap[least]) { least = left + 1 }
                    if least == parent { return }
                    heap.swapAt(parent, least)
                    parent = least
                }
            }
            for index in heap.indices.reversed() { siftDown(index) }
            var pending: Entry?
            while let top = heap.first {
                let entry = entries[runs[top].lowerBound]
                runs[top] = runs[top].dropFirst()
                if runs[top].isEmpty {
                    heap[0] = heap[heap.count - 1]
                    heap.removeLast()
                }
                siftDown(0)
                if var sum = pending, sum.rank == entry.rank, sum.segment == entry.segment {
                    sum.valence &+= entry.valence
                    sum.codings &+= entry.codings
                    pending = sum
                } else {
                    if let sum = pending { try append(ancestor, sum) }
                    pending = entry
                }
            }
            if let sum = pending { try append(ancestor, sum) }
        }

        /// Appends to `entries` the codings of `code` (of every code when nil), summed per
        /// code and segment, one entry per region of the segment, and each code's range of
        /// entries to `ranges`. False, stopped early, past `maximumEntries`.
        func read(code: Int64?, into entries: inout [Entry], ranges: inout [Int64: Range<Int>]) throws -> Bool {
            // Summed per code and segment by SQLite as it walks the index (the codings of
            // several coders), which returns a tenth of the rows on a project of 36 coders.
            var sums = try RowReader(
                db,
                sql: """
                    SELECT code_id, segment_id, document_id, SUM(valence), COUNT(*) FROM coding INDEXED BY coding_code
                    \(code == nil ? "" : "WHERE code_id = ?") GROUP BY code_id, segment_id ORDER BY code_id, segment_id
                    """, arguments: code.map { [$0] } ?? [])
            var lastCode: Int64?
            var codeStart = entries.count
            // Each code's segments come in order: each one's regions are found by a binary
            // search from the last one's.
            var lower = 0
            func closeCode() {
                if let lastCode { ranges[lastCode] = codeStart..<entries.count }
            }
            while try sums.next(db) {
                let code = sums.int64(0)
                let segment = sums.int64(1)
                if code != lastCode {
                    closeCode()
                    lastCode = code
                    codeStart = entries.count
                    lower = 0
                }
                lower = firstIndex(of: segment, from: lower)
                var index = lower
                repeat {
                    let isPlaced = index < placedSegments.count && placedSegments[index] == segment
                    entries.append(
                        Entry(
                            rank: isPlaced ? placedRanks[index] : 0, valence: Int32(truncatingIfNeeded: sums.int64(3)),
                            codings: Int32(truncatingIfNeeded: sums.int64(4)), segment: Int32(segment),
                            document: Int32(sums.int64(2))))
                    index += 1
                    if entries.count > maximumEntries {
                        sums.finish()
                        return false
                    }
                } while index < placedSegments.count && placedSegments[index] == segment
            }
            closeCode()
            return true
        }

        /// An empty buffer for the sums of `codings` codings (at most `maximumEntries`):
        /// growing by doubling held the entries twice over while copying them.
        static func entryBuffer(_ maximumEntries: Int, codings: Int) -> [Entry] {
            var entries: [Entry] = []
            entries.reserveCapacity(min(maximumEntries, codings + codings / 16) + 1)
            return entries
        }

        mutating func append(_ code: Int64, _ sum: Entry) throws {
            insert.bind(code)
            insert.bind(namesByRank[Int(sum.rank)])
            insert.bind(Int64(sum.segment))
            insert.bind(Int64(sum.document))
            insert.bind(Int64(sum.valence))
            insert.bind(Int64(sum.codings))
            try insert.run(db)
        }

        /// The first index at or after `start` whose placed segment is not below `segment`
        /// (the end if none).
        func firstIndex(of segment: Int64, from start: Int) -> Int {
            var low = start
            var high = placedSegments.count
            while low < high {
                let middle = (low + high) / 2
                if placedSegments[middle] < segment { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
