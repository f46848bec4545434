import QDAAnalysis
import QDAStore

extension RegionMatrix {
    /// Builds the matrix from the project's codings, with row and column totals; cells
    /// with fewer than `minimumDocuments` documents are hidden.
    init(
        project: Project, columns: MatrixColumns, level: RegionLevel = .region, minimumDocuments: Int = 0
    ) throws {
        self.init(
            codes: try project.codes(), totals: try project.regionTotals(level: level),
            aggregates: try project.codeAggregates(level: level), columns: columns)
        dimension = level.dimension
        addTotals(
            try project.codeTotals(codes: self.columns.map(\.key), level: level),
            overall: try project.countableSegments())
        hideThinCells(minimumDocuments: minimumDocuments)
    }
}
