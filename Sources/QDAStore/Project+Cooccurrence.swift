internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

extension Project {
    /// The units of `window` neighbours on each side (interviewer turns aside, in `region`
    /// or all) and the codes (`columns`) present together in them, counted from the report
    /// cache (docs/methods.md#co-occurrence).
    package func cooccurrenceCounts(columns: MatrixColumns, window: Int, region: String?) throws -> Cooccurrence.Counts
    {
        var unitFilter = "u.interviewer = 0"
        var arguments: StatementArguments = []
        if let region {
            unitFilter += """
                 AND u.id IN (SELECT segment_id FROM segment_region WHERE region = ?
                              OR region IN (SELECT region FROM region_grouping WHERE grouping = ?))
                """
            arguments += [region, region]
        }
        let depth = columns == .group ? "k.depth = 0" : "k.depth > 0"
        // Units of one segment are counted from the report cache in Swift (`segmentCounts`).
        // Wider units: each unit with the codes present in it, in unit order; the pairs are
        // counted here rather than by a self-join in SQL. Segment rows hold no text (schema
        // v9), so reading their places reads nothing else. Codes per segment come
        // from the report cache (each code and ancestor once per segment and region, however
        // many codings): reading codings instead cost 15 s on a project of ten million codings.
        let codedCodes = """
            SELECT DISTINCT sc.segment_id, k.key FROM segment_code sc JOIN code k ON k.id = sc.code_id
            WHERE k.active = 1 AND \(depth)
            """
        let sql = """
            WITH coded AS (
                SELECT DISTINCT p.document_id, p.ordinal, cs.key FROM (\(codedCodes)) AS cs
                JOIN segment p ON p.id = cs.segment_id
            )
            SELECT DISTINCT u.id AS unit, coded.key
            FROM coded CROSS JOIN segment u ON u.document_id = coded.document_id
                AND u.ordinal BETWEEN coded.ordinal - \(window) AND coded.ordinal + \(window)
            WHERE \(unitFilter)
            ORDER BY unit
            """
        let key = "cooccurrence|\(columns)|\(window)|\(region ?? "")"
        let unitCount = "SELECT COUNT(*) FROM segment u WHERE \(unitFilter)"
        return try cachedReport(key) {
            try read { db in
                if window == 0 {
                    var counts = try Self.cooccurrenceSegmentCounts(db, depth: depth, region: region)
                    counts.units = try Int.fetchOne(db, sql: unitCount, arguments: arguments) ?? 0
                    return counts
                }
                var together: [[String]: Int] = [:]
                var current: Int64 = -1
                var present: [String] = []
                func flush() {
                    let sorted = present.sorted()
                    for (i, a) in sorted.enumerated() {
                        for b in sorted[i...] { together[[a, b], default: 0] += 1 }
                    }
                    present.removeAll(keepingCapacity: true)
                }
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try cursor.next() {
                    let unit: Int64 = row[0]
                    if unit != current {
                        flush()
                        current = unit
                    }
                    present.append(row[1])
                }
                flush()
                let units = try Int.fetchOne(db, sql: unitCount, arguments: arguments) ?? 0
                let keys = together.keys.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
                return Cooccurrence.Counts(pairs: keys, counts: keys.map { together[$0]! }, units: units)
            }
        }
    }

    /// The counts for units of one segment (`units` left 0), from the rows of the report
    /// cache read once in Swift: each row names a code (or ancestor), a segment and one of
    /// its regions, so the region filter needs no join. The statement of wider windows
    /// (DISTINCT over the rows, joined to segments, sorted by segment) took over a second at
    /// ten million codings.
    static func cooccurrenceSegmentCounts(_ db: Database, depth: String, region: String?) throws -> Cooccurrence.Counts
    {
        var codeNumbers: [Int64: Int] = [:]
        var keys: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, key FROM code k WHERE k.active = 1 AND \(depth)") {
            codeNumbers[row[0]] = keys.count
            keys.append(row[1])
        }
        // The regions a unit must count in: the region, or the regions of a grouping so named.
        var wanted: Set<String>? = nil
        if let region {
            let members = try String.fetchAll(
                db, sql: "SELECT region FROM region_grouping WHERE grouping = ?", arguments: [region])
            wanted = Set([region] + members)
        }
        struct Coded: Comparable {
            var segment: Int64
            var code: Int
            static func < (a: Coded, b: Coded) -> Bool { (a.segment, a.code) < (b.segment, b.code) }
        }
        var coded: [Coded] = []
        // Segments in no region ('' in the cache) may be interviewer turns, which count in no unit.
        var unplaced: [Int64] = []
        var regions = SegmentCodeTally.Regions()
        var lastCode: Int64 = -1
        var number: Int? = nil
        var reader = try RowReader(db, sql: "SELECT code_id, region, segment_id FROM segment_code")
        while try reader.next(db) {
            let code = reader.int64(0)
            if code != lastCode {
                lastCode = code
                number = codeNumbers[code]
            }
            guard let number else { continue }
            let name = regions.name(reader, 1) ?? ""
            if let wanted, !wanted.contains(name) { continue }
            let segment = reader.int64(2)
            if name.isEmpty { unplaced.append(segment) }
            coded.append(Coded(segment: segment, code: number))
        }
        var interviewer = Set<Int64>()
        let candidates = Array(Set(unplaced)).sorted()
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let chunk = Array(candidates[start..<min(start + 500, candidates.count)])
            interviewer.formUnion(
                try Int64.fetchAll(
                    db, sql: "SELECT id FROM segment WHERE interviewer = 1 AND id IN (\(placeholders(chunk.count)))",
                    arguments: StatementArguments(chunk)))
        }
        coded.sort()

        // Pairs of code numbers, counted in a square table (a dictionary for huge codebooks).
        let n = keys.count
        var table = [Int](repeating: 0, count: n <= 1024 ? n * n : 0)
        var sparse: [Int: Int] = [:]
        var present: [Int] = []
        var index = 0
        while index < coded.count {
            let segment = coded[index].segment
            present.removeAll(keepingCapacity: true)
            while index < coded.count && coded[index].segment == segment {
                if present.last != coded[index].code { present.append(coded[index].code) }
                index += 1
            }
            guard !interviewer.contains(segment) else { continue }
            for (i, a) in present.enumerated() {
                for b in present[i...] {
                    if table.isEmpty { sparse[a * n + b, default: 0] += 1 } else { table[a * n + b] += 1 }
                }
            }
        }
        var together: [(pair: [String], count: Int)] = []
        for a in 0..<n {
            for b in a..<n {
                let count = table.isEmpty ? sparse[a * n + b] ?? 0 : table[a * n + b]
                guard count > 0 else { continue }
                together.append((keys[a] <= keys[b] ? [keys[a], keys[b]] : [keys[b], keys[a]], count))
            }
        }
        together.sort { ($0.pair[0], $0.pair[1]) < ($1.pair[0], $1.pair[1]) }
        return Cooccurrence.Counts(pairs: together.map(\.pair), counts: together.map(\.count), units: 0)
    }
}
