import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// The report numbers counted in Swift (`SegmentCodeTally`) are those of the SQL
/// statements that defined them, at every level, on a project with multi-region segments,
/// segments in no region, several coders and opposite valences on one segment.
@Suite struct SegmentCodeTallyTests {
    /// The statement `codeAggregates` ran before.
    func definedAggregates(_ project: Project, _ level: RegionLevel) throws -> [CodeAggregate] {
        let (source, arguments) = Project.perSegmentSource(level)
        return try project.read { db in
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

    /// The three statements `codeTotals` ran before.
    func definedTotals(_ project: Project, _ codes: [String], _ level: RegionLevel) throws -> CodeTotals {
        let (source, arguments) = Project.perSegmentSource(level)
        let selected = "code_id IN (SELECT id FROM code WHERE key IN (\(placeholders(codes.count))))"
        let all = arguments + StatementArguments(codes)
        func aggregate(_ row: Row, code: String?) -> CodeAggregate {
            CodeAggregate(
                code: code ?? row["key"], region: row["region"], segments: row["segments"],
                documents: row["documents"], positive: row["positive"] ?? 0, negative: row["negative"] ?? 0)
        }
        return try project.read { db in
            CodeTotals(
                rows: try Row.fetchAll(
                    db,
                    sql: """
                        WITH per_segment AS (\(source)),
                        chosen AS (SELECT region, segment_id, document_id, SUM(valence) AS valence FROM per_segment
                                   WHERE \(selected) GROUP BY region, segment_id)
                        SELECT region, COUNT(*) AS segments, COUNT(DISTINCT document_id) AS documents,
                               SUM(valence > 0) AS positive, SUM(valence < 0) AS negative
                        FROM chosen GROUP BY region ORDER BY region IS NULL, region
                        """, arguments: all
                ).map { aggregate($0, code: "") },
                columns: try Row.fetchAll(
                    db,
                    sql: """
                        WITH per_segment AS (\(source)),
                        chosen AS (SELECT code_id, segment_id, document_id, MAX(valence) AS valence FROM per_segment
                                   WHERE \(selected) GROUP BY code_id, segment_id)
                        SELECT code.key, COUNT(*) AS segments, COUNT(DISTINCT document_id) AS documents,
                               SUM(valence > 0) AS positive, SUM(valence < 0) AS negative
                        FROM chosen JOIN code ON code.id = chosen.code_id GROUP BY code.id ORDER BY code.ordinal
                        """, arguments: all
                ).map { aggregate($0, code: nil) },
                all: try #require(
                    try Row.fetchOne(
                        db,
                        sql: """
                            WITH per_segment AS (\(source)),
                            per_code AS (SELECT code_id, segment_id, document_id, MAX(valence) AS valence
                                         FROM per_segment WHERE \(selected) GROUP BY code_id, segment_id),
                            chosen AS (SELECT segment_id, document_id, SUM(valence) AS valence FROM per_code
                                       GROUP BY segment_id)
                            SELECT COUNT(*) AS segments, COUNT(DISTINCT document_id) AS documents,
                                   SUM(valence > 0) AS positive, SUM(valence < 0) AS negative
                            FROM chosen
                            """, arguments: all
                    ).map { aggregate($0, code: "") }))
        }
    }

    /// The statement `quotes` ran before.
    func definedQuotes(_ project: Project, _ code: String, _ signs: [String: Int], _ level: RegionLevel, _ limit: Int)
        throws -> [String: [Quote]]
    {
        let (source, sourceArguments) = Project.perSegmentSource(level)
        let regions = signs.keys.sorted()
        let wanted = regions.map { _ in "SELECT ? AS region, ? AS sign" }.joined(separator: " UNION ALL ")
        var arguments = StatementArguments()
        for region in regions { arguments += [region, signs[region]!] }
        arguments += sourceArguments + [code, limit]
        let rows = try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH wanted AS (\(wanted)),
                    cell AS (
                        SELECT ps.region, ps.segment_id, ps.valence, ps.codings, wanted.sign
                        FROM (\(source)) AS ps JOIN wanted ON ps.region = wanted.region
                        WHERE ps.code_id = (SELECT id FROM code WHERE key = ?)),
                    ranked AS (
                        SELECT cell.region, cell.segment_id, cell.valence,
                               ROW_NUMBER() OVER (
                                   PARTITION BY cell.region
                                   ORDER BY (cell.sign = 0 OR (cell.valence > 0) - (cell.valence < 0) = cell.sign) DESC,
                                            abs(cell.valence) DESC, cell.codings DESC, document.name, segment.ordinal
                               ) AS rank
                        FROM cell JOIN segment ON segment.id = cell.segment_id
                        JOIN document ON document.id = segment.document_id
                    )
                    SELECT ranked.region, segment.id, document.name, segment.speaker, ranked.valence, segment.text
                    FROM ranked JOIN segment_text AS segment ON segment.id = ranked.segment_id
                    JOIN document ON document.id = segment.document_id
                    WHERE ranked.rank <= ?
                    ORDER BY ranked.region, ranked.rank
                    """, arguments: arguments)
        }
        var quotes: [String: [Quote]] = [:]
        for row in rows {
            let valence: Int = row[4]
            quotes[row[0], default: []].append(
                Quote(segment: row[1], document: row[2], speaker: row[3], valence: valence.signum(), text: row[5]))
        }
        return quotes
    }

    func project(in folder: TemporaryDirectory) throws -> Project {
        let project = try SegmentCodeBuilderTests.demoProject(in: folder)
        // A second coder disagrees in sign with the auto-coder on coded segments, and
        // codes a segment in no region.
        let disputed = try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.segment_id, k.key FROM coding c JOIN code k ON k.id = c.code_id
                    WHERE c.valence > 0 AND k.depth = 1 GROUP BY c.segment_id ORDER BY c.segment_id LIMIT 12
                    """
            ).map { (segment: $0[0] as Int64, code: $0[1] as String) }
        }
        try #require(disputed.count == 12)
        for (segment, code) in disputed {
            try project.addCoding(.segment(segment), code: code, coder: "ann", valence: -1)
            try project.addCoding(.segment(segment), code: "mindset", coder: "ann", valence: -1)
        }
        let unplaced = try #require(
            try project.read { db in
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM segment WHERE interviewer = 0
                            AND id NOT IN (SELECT segment_id FROM segment_region) LIMIT 1
                        """)
            })
        try project.addCoding(.segment(unplaced), code: "market.government", coder: "ann", valence: 1)
        // And an interviewer's turn, which counts in no region and no co-occurrence unit.
        let question = try #require(
            try project.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM segment WHERE interviewer = 1 ORDER BY id LIMIT 1")
            })
        try project.addCoding(.segment(question), code: "market.government", coder: "ann")
        try project.addCoding(.segment(question), code: "technology.base", coder: "ann")
        try project.refreshSegmentCodes()
        let (multiRegion, negative) = try project.read { db in
            (
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM (SELECT 1 FROM segment_region GROUP BY segment_id HAVING COUNT(*) > 1)")
                    ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment_code WHERE valence < 0") ?? 0
            )
        }
        try #require(multiRegion > 0 && negative > 0)
        return project
    }

    static let levels: [RegionLevel] = [.region, .grouping(set: "cluster"), .attribute("role"), .attribute("kind")]

    @Test func aggregatesAndTotalsEqualTheDefiningStatements() throws {
        let folder = try TemporaryDirectory()
        let project = try project(in: folder)
        let groups = try project.codes().filter { $0.depth == 0 }.map(\.key)
        let codes = try project.codes().filter { $0.depth == 1 }.map(\.key)
        // Groups alone; a group with its own codes (a segment counts once per region, its
        // valence summed over them); codes of several groups; a code nobody used; none.
        let sets = [groups, ["technology"] + codes.filter { $0.hasPrefix("technology.") }, codes, ["no.such.code"], []]
        for level in Self.levels {
            let aggregates = try project.read { db in try SegmentCodeTally.aggregates(db, level: level) }
            #expect(aggregates.count > 20, "\(level)")
            #expect(aggregates == (try definedAggregates(project, level)), "\(level)")
            for set in sets {
                let totals = try project.read { db in try SegmentCodeTally.totals(db, keys: set, level: level) }
                #expect(totals == (try definedTotals(project, set, level)), "\(level) \(set)")
            }
        }
        // The project's own calls give the same (and cache them).
        #expect(try project.codeAggregates() == definedAggregates(project, .region))
        #expect(try project.codeTotals(codes: groups) == definedTotals(project, groups, .region))
    }

    @Test func quotesEqualTheDefiningStatement() throws {
        let folder = try TemporaryDirectory()
        let project = try project(in: folder)
        // Positions against the order of ids (as if segments had been inserted out of
        // order), so that ties are broken by position, not by id.
        try project.write { db in try db.execute(sql: "UPDATE segment SET ordinal = -ordinal") }
        var compared = 0
        for level in Self.levels {
            let regions = try project.read { db in
                let (source, arguments) = Project.perSegmentSource(level)
                return try String.fetchAll(
                    db, sql: "SELECT DISTINCT region FROM (\(source)) WHERE region IS NOT NULL ORDER BY region",
                    arguments: arguments)
            }
            try #require(regions.count > 1, "\(level)")
            // Each region asks for agreeing, opposing or any valence in turn, and one region
            // that has no segments.
            var signs = ["Atlantis": 1]
            for (index, region) in regions.enumerated() { signs[region] = [1, -1, 0][index % 3] }
            for code in ["technology", "market", "mindset", "technology.base", "market.government"] {
                for limit in [1, 2, 5] {
                    let quotes = try project.read { db in
                        try SegmentCodeTally.quotes(db, key: code, signs: signs, limit: limit, level: level)
                    }
                    #expect(quotes == (try definedQuotes(project, code, signs, level, limit)), "\(level) \(code)")
                    compared += quotes.values.map(\.count).reduce(0, +)
                }
            }
        }
        #expect(compared > 300)
        // A code the project does not know has no quotes.
        #expect(try project.quotes(code: "no.such.code", region: "Beijing", sign: 1).isEmpty)
    }

    /// Co-occurrence over single segments, counted from codings by brute force.
    @Test func cooccurrenceOfSegmentsEqualsCountingCodings() throws {
        let folder = try TemporaryDirectory()
        let project = try project(in: folder)
        for columns in [MatrixColumns.code, .group] {
            for region in [nil, "Guangdong", "Pearl River Delta", "Atlantis"] as [String?] {
                let depth = columns == .group ? "k.depth = 0" : "k.depth > 0"
                var filter = ""
                var arguments: StatementArguments = []
                if let region {
                    filter = """
                        AND s.id IN (SELECT segment_id FROM segment_region WHERE region = ?
                                     OR region IN (SELECT region FROM region_grouping WHERE grouping = ?))
                        """
                    arguments = [region, region]
                }
                let rows = try project.read { db in
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT DISTINCT c.segment_id, k.key FROM coding c
                            JOIN code_closure cl ON cl.descendant_id = c.code_id JOIN code k ON k.id = cl.ancestor_id
                            JOIN segment s ON s.id = c.segment_id
                            WHERE s.interviewer = 0 AND k.active = 1 AND \(depth) \(filter)
                            """, arguments: arguments)
                }
                var perSegment: [Int64: Set<String>] = [:]
                for row in rows { perSegment[row[0], default: []].insert(row[1]) }
                var presence: [String: Int] = [:]
                var together: [String: Int] = [:]
                for codes in perSegment.values {
                    for a in codes {
                        presence[a, default: 0] += 1
                        for b in codes where a < b { together["\(a)|\(b)", default: 0] += 1 }
                    }
                }
                let counted = try Cooccurrence(project: project, columns: columns, region: region)
                #expect(counted.presence == presence, "\(columns) \(region ?? "all")")
                let pairs = Dictionary(
                    uniqueKeysWithValues: counted.pairs.map { (min($0.a, $0.b) + "|" + max($0.a, $0.b), $0.count) })
                #expect(pairs == together, "\(columns) \(region ?? "all")")
                if region == nil { #expect(together.count >= (columns == .code ? 10 : 2)) }
                // n(A, B) by lookup, in either order, is the pair's count (n(A) for A, A).
                for a in counted.codes {
                    for b in counted.codes {
                        let n = a == b ? presence[a] ?? 0 : together[min(a, b) + "|" + max(a, b)] ?? 0
                        #expect(counted.count(a, b) == n, "\(a) \(b)")
                    }
                }
                // The lookup follows a change of the pairs.
                var changed = counted
                if let first = changed.pairs.first {
                    changed.pairs.removeFirst()
                    #expect(changed.count(first.a, first.b) == 0)
                    #expect(counted.count(first.a, first.b) == first.count)
                }
            }
        }
    }

    /// Region sizes and attribution by the merge in Swift equal the statements that
    /// defined them; regions by mention put segments in several regions and in none.
    @Test func regionTotalsAndAttributionEqualTheDefiningStatements() throws {
        let folder = try TemporaryDirectory()
        let project = try project(in: folder)
        let counted = try project.read { db in try RegionTally.count(db) }
        let defined = try project.read { db in try Project.regionTotalsBySQL(.region, db) }
        #expect(counted.totals == defined)
        #expect(defined.count > 3 && defined.last?.region == nil)
        let attribution = try project.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT
                      (SELECT COUNT(DISTINCT segment_id) FROM segment_region WHERE basis = 'document'),
                      (SELECT COUNT(DISTINCT segment_id) FROM segment_region WHERE basis = 'mention'),
                      (SELECT COUNT(*) FROM segment s WHERE s.interviewer = 0
                        AND NOT EXISTS (SELECT 1 FROM segment_region sr WHERE sr.segment_id = s.id))
                    """
            ).map { RegionAttribution(byDocument: $0[0], byMention: $0[1], unassigned: $0[2]) }
        }
        #expect(counted.attribution == attribution)
        let countable = try project.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), SUM(words), COUNT(DISTINCT document_id) FROM segment WHERE interviewer = 0
                    """
            ).map { RegionTotals(region: nil, documents: $0[2], segments: $0[0], words: $0[1]) }
        }
        #expect(counted.countable == countable)
        // Segments in two regions count once here, twice in the region sizes.
        #expect(counted.countable.segments < defined.map(\.segments).reduce(0, +))
        #expect(counted.attribution.byMention > 0 && counted.attribution.unassigned > 0)
        #expect(try project.regionTotals() == defined)
        #expect(try project.regionAttribution() == attribution)
    }
}
