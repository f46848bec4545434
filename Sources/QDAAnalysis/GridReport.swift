public import QDACodebook

/// The researcher's grid beside the derived ratings: Tab. 1 laid out with groups as
/// rated rows and their codes below, regions as columns.
public struct GridReport: Sendable, Equatable, Encodable {
    /// One region on one group or code.
    public struct Cell: Sendable, Equatable, Encodable {
        /// The region.
        public var region: String
        /// The group's or code's key.
        public var code: String
        /// The researcher's cell, if set.
        public var researcher: GridCell?
        /// The rating `qda report patterns` derives, if the region is rated.
        public var derived: Rating?
        /// True when the derived rating rests on thin evidence.
        public var thin: Bool
        /// Both rated, differently.
        public var disagrees: Bool

        /// Creates the value from its fields.
        public init(
            region: String, code: String, researcher: GridCell?, derived: Rating?, thin: Bool, disagrees: Bool
        ) {
            self.region = region
            self.code = code
            self.researcher = researcher
            self.derived = derived
            self.thin = thin
            self.disagrees = disagrees
        }
    }

    /// The regions, rated ones first.
    public var regions: [String]
    /// Groups and codes in codebook order (factor groups and their codes).
    public var rows: [String]
    /// Every row in every region.
    public var cells: [Cell]
    /// Cells where the researcher and the derived rating differ.
    public var disagreements: Int

    /// The researcher's `grid` beside the ratings of `report`, for the factor groups and
    /// codes among `codes`.
    public init(report: PatternReport, grid: [GridCell], codes allCodes: [CodeInfo]) {
        let codes = allCodes.filter { $0.role == .factor }
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

    /// The cell of `region` and `code`, if there is one.
    public func cell(_ region: String, _ code: String) -> Cell? {
        cells.first { $0.region == region && $0.code == code }
    }
}
