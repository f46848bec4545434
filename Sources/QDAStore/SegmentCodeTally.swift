import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// Report numbers counted in Swift from one read of the per-segment rows of
/// `segment_code` (`source`): per code and region, for a set of codes together, and the
/// quotes for a code.
///
/// SQLite's GROUP BY with COUNT(DISTINCT …) sorted every row through a temporary b-tree
/// for each number: about 0.7 s per statement on the half-million rows of a project of
/// ten million codings, four statements for one matrix (docs/performance.md). Reading the
/// rows once and counting them in dictionaries takes a fraction of one.
enum SegmentCodeTally {
    /// One per-segment row, its region as a number (`Regions`).
    struct Entry {
        var code: Int64
        var region: Int
        var segment: Int64
        var document: Int64
        var valence: Int64
    }

    /// Region names as numbers while counting; 0 stands for no region (NULL, or the empty
    /// text `segment_code` stores for none when `emptyIsNone`).
    struct Regions {
        private(set) var names: [String?] = [nil]
        var emptyIsNone = false
        private var numbers: [String: Int] = [:]
        private var lastBytes: [UInt8] = []
        private var lastNumber = -1

        /// The number of the region in `column` of the reader's current row.
        mutating func number(_ reader: RowReader, _ column: Int32) -> Int {
            if reader.isNull(column) { return 0 }
            return reader.withText(column) { bytes in
                if bytes.isEmpty && emptyIsNone { return 0 }
                // Rows of one region come together; most rows repeat the last one.
                if lastNumber > 0, bytes.count == lastBytes.count,
                    bytes.isEmpty || memcmp(bytes.baseAddress!, lastBytes, bytes.count) == 0
                {
                    return lastNumber
                }
                let name = String(decoding: bytes, as: UTF8.self)
                let number: Int
                if let known = numbers[name] {
                    number = known
                } else {
                    names.append(name)
                    number = names.count - 1
                    numbers[name] = number
                }
                lastBytes = Array(bytes)
                lastNumber = number
                return number
            }
        }

        /// The name of the region in `column` of the reader's current row (nil for NULL).
        mutating func name(_ reader: RowReader, _ column: Int32) -> String? {
            let number = number(reader, column)
            return names[number]
        }

        /// Whether region `a` sorts before `b` as SQLite orders them in reports: by the bytes
        /// of their names, no region last.
        func precedes(_ a: Int, _ b: Int) -> Bool {
            switch (names[a], names[b]) {
            case (nil, _): return false
            case (_, nil): return true
            case (let a?, let b?): return a.utf8.lexicographicallyPrecedes(b.utf8)
            }
        }
    }

    /// Segments, their documents and valences counted into one `CodeAggregate`.
    struct Count {
        var segments = 0
        var positive = 0
        var negative = 0
        var documents = Set<Int64>()
        private var lastDocument: Int64 = -1

        mutating func add(document: Int64, valence: Int64) {
            segments += 1
            if valence > 0 { positive += 1 } else if valence < 0 { negative += 1 }
            // A document's segments mostly come one after another.
            if document != lastDocument {
                documents.insert(document)
                lastDocument = document
            }
        }

        mutating func add(_ other: Count) {
            segments += other.segments
            positive += other.positive
            negative += other.negative
            documents.formUnion(other.documents)
        }

        func aggregate(code: String, region: String?) -> CodeAggregate {
            CodeAggregate(
                code: code, region: region, segments: segments, documents: documents.count, positive: positive,
                negative: negative)
        }
    }

    struct CodeRow {
        var key: String
        var ordinal: Int
        var active: Bool
    }

    static func codes(_ db: Database) throws -> [Int64: CodeRow] {
        var codes: [Int64: CodeRow] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, key, ordinal, active FROM code") {
            codes[row["id"]] = CodeRow(key: row["key"], ordinal: row["ordinal"], active: row["active"])
        }
        return codes
    }

    /// The per-segment rows at `level` (columns code_id, region, segment_id, document_id,
    /// valence, codings) and how to read their regions. At the region level `segment_code`
    /// is read as stored, "" for no region: NULLIF in SQL copied every row's region text.
    static func source(_ level: RegionLevel) -> (sql: String, arguments: StatementArguments, regions: Regions) {
        var regions = Regions()
        if level == .region {
            regions.emptyIsNone = true
            return ("SELECT code_id, region, segment_id, document_id, valence, codings FROM segment_code", [], regions)
        }
        let (sql, arguments) = Project.perSegmentSource(level)
        return (sql, arguments, regions)
    }

    /// Reads the per-segment rows at `level`, only those of `codeIDs` when given, and returns
    /// the names of the regions the entries number.
    static func scan(_ db: Database, level: RegionLevel, codeIDs: [Int64]? = nil, _ body: (Entry) -> Void) throws
        -> Regions
    {
        var (sql, arguments, regions) = Self.source(level)
        if let codeIDs {
            guard !codeIDs.isEmpty else { return regions }
            // SQLite flattens the subquery: the filter reads segment_code by its key.
            sql = "SELECT * FROM (\(sql)) WHERE code_id IN (\(placeholders(codeIDs.count)))"
            arguments += StatementArguments(codeIDs)
        }
        var reader = try RowReader(db, sql: sql, arguments: arguments)
        while try reader.next(db) {
            body(
                Entry(
                    code: reader.int64(0), region: regions.number(reader, 1), segment: reader.int64(2),
                    document: reader.int64(3), valence: reader.int64(4)))
        }
        return regions
    }

    private struct Cell: Hashable {
        var code: Int64
        var region: Int
    }

    /// Per active code and region: segments, documents, positive and negative segments,
    /// in codebook order and region order.
    static func aggregates(_ db: Database, level: RegionLevel) throws -> [CodeAggregate] {
        let codes = try codes(db)
        var counts: [Cell: Count] = [:]
        // Rows of one code and region mostly come together (always at the region level):
        // they are counted in `current` and merged into `counts` when the cell changes.
        var cell = Cell(code: -1, region: -1)
        var current = Count()
        var active = false
        func flush() {
            if active && current.segments > 0 { counts[cell, default: Count()].add(current) }
        }
        let regions = try scan(db, level: level) { entry in
            if entry.code != cell.code || entry.region != cell.region {
                flush()
                if entry.code != cell.code { active = codes[entry.code]?.active == true }
                cell = Cell(code: entry.code, region: entry.region)
                current = Count()
            }
            if active { current.add(document: entry.document, valence: entry.valence) }
        }
        flush()
        return counts.sorted { a, b in
            let (x, y) = (codes[a.key.code]!.ordinal, codes[b.key.code]!.ordinal)
            if x != y { return x < y }
            return regions.precedes(a.key.region, b.key.region)
        }.map { $0.value.aggregate(code: codes[$0.key.code]!.key, region: regions.names[$0.key.region]) }
    }

    /// The numbers of `Project.codeTotals` for the codes with `keys`.
    static func totals(_ db: Database, keys: [String], level: RegionLevel) throws -> CodeTotals {
        let codes = try codes(db)
        let wanted = Set(keys)
        let codeIDs = codes.filter { wanted.contains($0.value.key) }.map(\.key).sorted()
        var entries: [Entry] = []
        let regions = try scan(db, level: level, codeIDs: codeIDs) { entries.append($0) }

        // Per region: a segment counts once, its valence summed over the chosen codes.
        entries.sort { ($0.region, $0.segment) < ($1.region, $1.segment) }
        var perRegion: [(region: Int, count: Count)] = []
        for run in runs(of: entries[...], by: { ($0.region, $0.segment) == ($1.region, $1.segment) }) {
            let first = run[run.startIndex]
            if perRegion.last?.region != first.region { perRegion.append((first.region, Count())) }
            perRegion[perRegion.count - 1].count.add(
                document: first.document, valence: run.reduce(0) { $0 + $1.valence })
        }
        perRegion.sort { regions.precedes($0.region, $1.region) }

        // Per code: a segment counts once whatever its regions (its valence is the same in
        // each); over all: a segment counts once, its valence summed over the chosen codes.
        entries.sort { ($0.segment, $0.code) < ($1.segment, $1.code) }
        var perCode: [Int64: Count] = [:]
        var all = Count()
        for segment in runs(of: entries[...], by: { $0.segment == $1.segment }) {
            var valence: Int64 = 0
            for code in runs(of: segment, by: { $0.code == $1.code }) {
                let first = code[code.startIndex]
                let highest = code.reduce(first.valence) { max($0, $1.valence) }
                perCode[first.code, default: Count()].add(document: first.document, valence: highest)
                valence += highest
            }
            all.add(document: segment[segment.startIndex].document, valence: valence)
        }
        return CodeTotals(
            rows: perRegion.map { $0.count.aggregate(code: "", region: regions.names[$0.region]) },
            columns: perCode.sorted { codes[$0.key]!.ordinal < codes[$1.key]!.ordinal }.map {
                $0.value.aggregate(code: codes[$0.key]!.key, region: nil)
            },
            all: all.aggregate(code: "", region: nil))
    }

    /// A segment that may be quoted for a code in a region.
    private struct Candidate {
        var segment: Int64
        var document: Int64
        var valence: Int64
        /// Agreement with the region's sign, then net valence, then codings: higher first.
        var strength: (agrees: Bool, valence: Int64, codings: Int64)

        func isStronger(than other: Candidate) -> Bool {
            if strength.agrees != other.strength.agrees { return strength.agrees }
            if strength.valence != other.strength.valence { return strength.valence > other.strength.valence }
            return strength.codings > other.strength.codings
        }

        func isAsStrong(as other: Candidate) -> Bool { !isStronger(than: other) && !other.isStronger(than: self) }
    }

    /// The strongest quotes for the code with `key` in each region of `signs` (see
    /// `Project.quotes`): segments whose net valence agrees with the region's sign first, then
    /// the strongest net valence, then the most codings, then in document order.
    ///
    /// The SQL statement joined every segment of the code to its document to rank them all
    /// (nearly a second per code at ten million codings); here only the segments tied for
    /// the last places are ranked by document name and position.
    static func quotes(
        _ db: Database, key: String, signs: [String: Int], limit: Int, level: RegionLevel
    ) throws -> [String: [Quote]] {
        guard let code = try Int64.fetchOne(db, sql: "SELECT id FROM code WHERE key = ?", arguments: [key]) else {
            return [:]
        }
        var perRegion: [String: [Candidate]] = [:]
        var (source, arguments, regions) = Self.source(level)
        var reader = try RowReader(
            db, sql: "SELECT region, segment_id, document_id, valence, codings FROM (\(source)) WHERE code_id = ?",
            arguments: arguments + [code])
        while try reader.next(db) {
            guard let region = regions.name(reader, 0), let sign = signs[region] else { continue }
            let valence = reader.int64(3)
            perRegion[region, default: []].append(
                Candidate(
                    segment: reader.int64(1), document: reader.int64(2), valence: valence,
                    strength: (sign == 0 || valence.signum() == Int64(sign), abs(valence), reader.int64(4))))
        }
        guard !perRegion.isEmpty else { return [:] }
        // Every document's name, read without GRDB's rows (a summary asks for every code).
        var names: [Int64: String] = [:]
        var documents = try RowReader(db, sql: "SELECT id, name FROM document")
        while try documents.next(db) { names[documents.int64(0)] = documents.text(1) }
        func name(_ candidate: Candidate) -> String { names[candidate.document] ?? "" }
        func byName(_ a: Candidate, _ b: Candidate) -> Bool { name(a).utf8.lexicographicallyPrecedes(name(b).utf8) }

        // Per region, the candidates that can still take a place: all those stronger than
        // the last place, and of those as strong, the ones in the first documents by name
        // (their positions are read next).
        var shortlist: [String: [Candidate]] = [:]
        for (region, candidates) in perRegion {
            let ranked = candidates.sorted { $0.isStronger(than: $1) }
            guard ranked.count > limit else {
                shortlist[region] = ranked
                continue
            }
            let last = ranked[limit - 1]
            let stronger = ranked.prefix { $0.isStronger(than: last) }
            var tied = ranked.dropFirst(stronger.count).prefix { $0.isAsStrong(as: last) }.sorted(by: byName)
            // Whole documents, until the free places are filled.
            var end = min(limit - stronger.count, tied.count)
            while end < tied.count && tied[end].document == tied[end - 1].document { end += 1 }
            tied.removeSubrange(end...)
            shortlist[region] = Array(stronger) + tied
        }

        // Position, speaker and text of the shortlisted segments.
        var segments: [Int64: (ordinal: Int64, speaker: String?, text: String)] = [:]
        let ids = Array(Set(shortlist.values.joined().map(\.segment))).sorted()
        var cutter = TextCutter()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, ordinal, speaker, document_id, start_offset, end_offset FROM segment
                    WHERE id IN (\(placeholders(chunk.count))) ORDER BY document_id, start_offset
                    """,
                arguments: StatementArguments(chunk))
            {
                segments[row[0]] = (row[1], row[2], try cutter.cut(document: row[3], start: row[4], end: row[5], db))
            }
        }
        var quotes: [String: [Quote]] = [:]
        for (region, candidates) in shortlist {
            let ordered = candidates.sorted { a, b in
                if a.isStronger(than: b) { return true }
                if b.isStronger(than: a) { return false }
                if a.document != b.document { return byName(a, b) }
                return segments[a.segment]?.ordinal ?? 0 < segments[b.segment]?.ordinal ?? 0
            }
            quotes[region] = ordered.prefix(limit).compactMap { candidate in
                segments[candidate.segment].map {
                    Quote(
                        segment: candidate.segment, document: name(candidate), speaker: $0.speaker,
                        valence: Int(candidate.valence.signum()), text: $0.text)
                }
            }
        }
        return quotes
    }

    /// The runs of neighbours of `entries` that `same` holds for.
    private static func runs(of entries: ArraySlice<Entry>, by same: (Entry, Entry) -> Bool) -> [ArraySlice<Entry>] {
        var runs: [ArraySlice<Entry>] = []
        var start = entries.startIndex
        while start < entries.endIndex {
            var end = start + 1
            while end < entries.endIndex && same(entries[start], entries[end]) { end += 1 }
            runs.append(entries[start..<end])
            start = end
        }
        return runs
    }
}

/// Region sizes, attribution and countable segments counted in Swift from one merge of the segments (in id
/// order; their rows hold no text since schema v9) with their regions (`segment_region`,
/// in segment order). The SQL statements sorted 1.3 million segment–region rows by region
/// and took 3.5 s and 1 s on the ten-million-coding project, the first report after
/// documents or regions change paying both.
enum RegionTally {
    struct Counts: Codable {
        var totals: [RegionTotals]
        var attribution: RegionAttribution
        /// Countable segments (interviewer turns aside), each once whatever its regions.
        var countable: RegionTotals
    }

    private struct Total {
        var segments = 0
        var words = 0
        var documents = Set<Int64>()
        var lastDocument: Int64 = -1

        mutating func add(document: Int64, words: Int) {
            segments += 1
            self.words += words
            if document != lastDocument {
                documents.insert(document)
                lastDocument = document
            }
        }
    }

    /// `Project.regionTotals` at the region level, `Project.regionAttribution` and
    /// `Project.countableSegments`.
    static func count(_ db: Database) throws -> Counts {
        var regions = SegmentCodeTally.Regions()
        var totals: [Total] = [Total()]
        var countable = Total()
        func add(_ region: Int, document: Int64, words: Int) {
            while totals.count <= region { totals.append(Total()) }
            totals[region].add(document: document, words: words)
        }
        var attribution = RegionAttribution(byDocument: 0, byMention: 0, unassigned: 0)
        var segments = try RowReader(
            db,
            sql: "SELECT id, document_id, interviewer, words FROM segment ORDER BY id")
        var placed = try RowReader(
            db,
            sql: """
                SELECT segment_id, document_id, region, basis = 'document' FROM segment_region
                ORDER BY segment_id, region
                """)
        var hasPlaced = try placed.next(db)
        while try segments.next(db) {
            let id = segments.int64(0)
            let words = Int(segments.int64(3))
            if segments.int64(2) == 0 { countable.add(document: segments.int64(1), words: words) }
            // Rows of segments that no longer exist would be left out by a join.
            while hasPlaced && placed.int64(0) < id { hasPlaced = try placed.next(db) }
            var byDocument = false
            var byMention = false
            var isPlaced = false
            while hasPlaced && placed.int64(0) == id {
                isPlaced = true
                if placed.int64(3) != 0 { byDocument = true } else { byMention = true }
                add(regions.number(placed, 2), document: placed.int64(1), words: words)
                hasPlaced = try placed.next(db)
            }
            if byDocument { attribution.byDocument += 1 }
            if byMention { attribution.byMention += 1 }
            if !isPlaced && segments.int64(2) == 0 {
                attribution.unassigned += 1
                add(0, document: segments.int64(1), words: words)
            }
        }
        if hasPlaced { placed.finish() }
        let order = totals.indices.filter { totals[$0].segments > 0 }.sorted { regions.precedes($0, $1) }
        return Counts(
            totals: order.map {
                RegionTotals(
                    region: regions.names[$0], documents: totals[$0].documents.count, segments: totals[$0].segments,
                    words: totals[$0].words)
            }, attribution: attribution,
            countable: RegionTotals(
                region: nil, documents: countable.documents.count, segments: countable.segments,
                words: countable.words))
    }
}
