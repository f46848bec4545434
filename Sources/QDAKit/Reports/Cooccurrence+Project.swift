import QDAAnalysis
import QDAStore

extension Cooccurrence {
    /// Counts co-occurrence of the active codes (`columns: .code`) or groups of `project`.
    init(project: Project, columns: MatrixColumns = .code, window: Int = 0, region: String? = nil) throws {
        let codes = try project.codes().filter { columns == .group ? $0.depth == 0 : $0.depth > 0 }.map(\.key)
        self.init(
            codes: codes, window: window, region: region,
            counted: try project.cooccurrenceCounts(columns: columns, window: window, region: region))
    }
}
