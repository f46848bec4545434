import GRDB
import QDACodebook
import QDAMatching

extension Project {
    /// Sets (or replaces) a grid cell. The code must be one of the codebook's; evidence
    /// must be segment ids of the project. Region names the gazetteer knows are resolved.
    @discardableResult
    public func setGridCell(
        region: String, code: String, rating: Rating?, descriptor: String?, note: String?, evidence: [Int64],
        coder: String
    ) throws -> GridCell {
        guard rating != nil || descriptor != nil || note != nil else {
            throw QDAError.invalidArgument("Give a --rating, a --descriptor or a --note for the cell.")
        }
        let known = try codes().map(\.key)
        guard known.contains(code) else {
            throw QDAError.invalidArgument(
                "No code or group '\(code)' in the codebook; groups: "
                    + (try codes().filter { $0.depth == 0 }.map(\.key).joined(separator: ", ")) + ".")
        }
        let name = try currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(region) } ?? region
        let cell = GridCell(
            region: name, code: code, rating: rating, descriptor: descriptor, note: note, coder: coder,
            evidence: evidence, updatedAt: Self.now())
        try write { db in
            for id in evidence {
                guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment WHERE id = ?", arguments: [id]) == 1
                else {
                    throw QDAError.invalidArgument("No segment #\(id) in the project; see qda segments for ids.")
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

/// The researcher's grid beside the derived ratings: Tab. 1 laid out with groups as
/// rated rows and their codes below, regions as columns.
public struct GridReport: Sendable, Equatable, Encodable {
    public struct Cell: Sendable, Equatable, Encodable {
        public var region: String
        public var code: String
        /// The researcher's cell, if set.
        public var researcher: GridCell?
        /// The rating `qda report patterns` derives, if the region is rated.
        public var derived: Rating?
        public var thin: Bool
        /// Both rated, differently.
        public var disagrees: Bool
    }

    public var regions: [String]
    /// Groups and codes in codebook order (factor groups and their codes).
    public var rows: [String]
    public var cells: [Cell]
    public var disagreements: Int

    public init(project: Project, level: RegionLevel = .region, minimumSegments: Int) throws {
        let report = try PatternReport(
            project: project, level: level, minimumSegments: minimumSegments, ratingQuotes: false)
        let grid = try project.gridCells()
        let codes = try project.codes().filter { $0.role == .factor }
        rows = codes.map(\.key)
        var names = report.regions.map(\.region)
        for cell in grid where !names.contains(cell.region) { names.append(cell.region) }
        regions = names
        var cells: [Cell] = []
        for row in rows {
            for region in names {
                let researcher = grid.first { $0.region == region && $0.code == row }
                let rated = report.regions.first { $0.region == region }
                let factor = rated.flatMap { $0.factors[row] ?? $0.codes[row] }
                // Without evidence there is no derived rating to disagree with.
                let disagrees =
                    researcher?.rating != nil && factor?.rating != nil && researcher?.rating != factor?.rating
                cells.append(
                    Cell(
                        region: region, code: row, researcher: researcher, derived: factor?.rating,
                        thin: factor?.thin ?? false, disagrees: disagrees))
            }
        }
        self.cells = cells
        disagreements = cells.filter(\.disagrees).count
    }

    public func cell(_ region: String, _ code: String) -> Cell? {
        cells.first { $0.region == region && $0.code == code }
    }
}
