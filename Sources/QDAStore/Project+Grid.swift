internal import GRDB
package import QDAAnalysis
package import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

extension Project {
    /// Sets (or replaces) a grid cell. The code must be one of the codebook's; evidence
    /// must be segment ids of the project. Region names the gazetteer knows are resolved.
    @discardableResult
    public func setGridCell(
        region: String, code: String, rating: Rating?, descriptor: String?, note: String?, evidence: [Int64],
        coder: String
    ) throws -> GridCell {
        guard rating != nil || descriptor != nil || note != nil else {
            throw QDAError.emptyGridCell
        }
        let known = try codes().map(\.key)
        guard known.contains(code) else {
            throw QDAError.unknownCodeOrGroup(code, groups: try codes().filter { $0.depth == 0 }.map(\.key))
        }
        let name = try currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(region) } ?? region
        let cell = GridCell(
            region: name, code: code, rating: rating, descriptor: descriptor, note: note, coder: coder,
            evidence: evidence, updatedAt: Self.now())
        try write { db in
            for id in evidence {
                guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment WHERE id = ?", arguments: [id]) == 1
                else {
                    throw QDAError.noSuchSegment(id)
                }
            }
            try db.execute(
                sql: "DELETE FROM grid_cell WHERE region = ? AND code = ?", arguments: [cell.region, cell.code])
            try db.execute(
                sql: """
                    INSERT INTO grid_cell (region, code, rating, descriptor, note, coder, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [cell.region, cell.code, rating?.rawValue, descriptor, note, coder, cell.updatedAt])
            for id in Set(evidence).sorted() {
                try db.execute(
                    sql: "INSERT INTO grid_evidence (region, code, segment_id) VALUES (?, ?, ?)",
                    arguments: [cell.region, cell.code, id])
            }
        }
        return cell
    }

    /// Removes a grid cell; false if there was none.
    public func removeGridCell(region: String, code: String) throws -> Bool {
        let name = try currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(region) } ?? region
        return try write { db in
            try db.execute(sql: "DELETE FROM grid_cell WHERE region = ? AND code = ?", arguments: [name, code])
            return db.changesCount > 0
        }
    }

    /// Every grid cell, by region and then codebook order.
    public func gridCells() throws -> [GridCell] {
        try read { db in
            let evidence = try Row.fetchAll(
                db, sql: "SELECT region, code, segment_id FROM grid_evidence ORDER BY segment_id")
            var byCell: [String: [Int64]] = [:]
            for row in evidence {
                byCell["\(row["region"] as String)\u{0}\(row["code"] as String)", default: []].append(row["segment_id"])
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT g.* FROM grid_cell g LEFT JOIN code c ON c.key = g.code
                    ORDER BY g.region, c.ordinal IS NULL, c.ordinal, g.code
                    """
            ).map {
                let region: String = $0["region"]
                let code: String = $0["code"]
                return GridCell(
                    region: region, code: code, rating: ($0["rating"] as String?).flatMap(Rating.init(rawValue:)),
                    descriptor: $0["descriptor"], note: $0["note"], coder: $0["coder"],
                    evidence: byCell["\(region)\u{0}\(code)"] ?? [], updatedAt: $0["updated_at"])
            }
        }
    }
}
