import GRDB

/// How often codes are applied together: code × code counts over units, with the
/// c-coefficient ATLAS.ti reports.
///
/// A unit is a segment (interviewer turns aside) together with its `window` neighbours on
/// each side in the same document; with `window` 0 it is the segment alone. A code is
/// present in a unit when any of the unit's segments is coded with it (or a sub-code).
/// For codes A and B: n(A) and n(B) count the units where each is present, n(A,B) those
/// where both are; c = n(A,B) / (n(A) + n(B) − n(A,B)), from 0 (never together) to 1
/// (always together) — the Jaccard index of the two codes' unit sets.
public struct Cooccurrence: Sendable, Equatable, Encodable {
    public struct Pair: Sendable, Equatable, Encodable {
        public var a: String
        public var b: String
        public var count: Int
        public var c: Double

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(a, forKey: .a)
            try container.encode(b, forKey: .b)
            try container.encode(count, forKey: .count)
            try container.encode(rounded(c), forKey: .c)
        }

        enum CodingKeys: String, CodingKey {
            case a, b, count, c
        }
    }

    /// Neighbouring segments on each side that belong to a unit.
    public var window: Int
    /// The region the units were taken from, or nil for all.
    public var region: String?
    /// The codes (or groups) compared, in codebook order.
    public var codes: [String]
    /// Units counted.
    public var units: Int
    /// n(A): units where each code is present.
    public var presence: [String: Int]
    /// Every pair of distinct codes present together at least once, strongest c first.
    public var pairs: [Pair]

    enum CodingKeys: String, CodingKey {
        case window, region, codes, units, presence, pairs
    }

    /// n(A, B) for any two codes (n(A) when they are the same).
    public func count(_ a: String, _ b: String) -> Int {
        if a == b { return presence[a] ?? 0 }
        return pairs.first { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }?.count ?? 0
    }

    /// Counts co-occurrence of the active codes (`columns: .code`) or groups.
    public init(project: Project, columns: MatrixColumns = .code, window: Int = 0, region: String? = nil) throws {
        self.window = window
        self.region = region
        let infos = try project.codes().filter { columns == .group ? $0.depth == 0 : $0.depth > 0 }
        codes = infos.map(\.key)
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
        let sql = """
            WITH coded AS (
                SELECT DISTINCT s.document_id, s.ordinal, k.key
                FROM coding c JOIN segment s ON s.id = c.segment_id
                JOIN code_closure cc ON cc.descendant_id = c.code_id
                JOIN code k ON k.id = cc.ancestor_id
                WHERE k.active = 1 AND \(depth)
            ),
            unit_code AS (
                SELECT DISTINCT u.id AS unit, coded.key
                FROM segment u JOIN coded ON coded.document_id = u.document_id
                    AND coded.ordinal BETWEEN u.ordinal - ? AND u.ordinal + ?
                WHERE \(unitFilter)
            )
            SELECT a.key AS a, b.key AS b, COUNT(*) AS n
            FROM unit_code a JOIN unit_code b ON a.unit = b.unit AND a.key <= b.key
            GROUP BY a.key, b.key
            """
        let (rows, units) = try project.read { db in
            (
                try Row.fetchAll(db, sql: sql, arguments: [window, window] + arguments),
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM segment u WHERE \(unitFilter)", arguments: arguments) ?? 0
            )
        }
        self.units = units
        var presence: [String: Int] = [:]
        var together: [(String, String, Int)] = []
        for row in rows {
            let a: String = row["a"]
            let b: String = row["b"]
            if a == b { presence[a] = row["n"] } else { together.append((a, b, row["n"])) }
        }
        self.presence = presence
        let order = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        pairs = together.map { a, b, n in
            // Codebook order within the pair.
            let (first, second) = (order[a] ?? 0) <= (order[b] ?? 0) ? (a, b) : (b, a)
            let union = (presence[a] ?? 0) + (presence[b] ?? 0) - n
            return Pair(a: first, b: second, count: n, c: union > 0 ? Double(n) / Double(union) : 0)
        }.sorted {
            ($0.c, $0.count, order[$1.a] ?? 0, order[$1.b] ?? 0) > ($1.c, $1.count, order[$0.a] ?? 0, order[$0.b] ?? 0)
        }
    }
}
