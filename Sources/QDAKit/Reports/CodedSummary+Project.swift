import Foundation
import QDAAnalysis
import QDAStore

extension CodedSummary {
    /// The coded summary of `project`: the pattern report's numbers per region and code,
    /// with `quotes` quotes each and the researcher's grid.
    init(project: Project, level: RegionLevel = .region, minimumSegments: Int, quotes: Int = 2) throws {
        let report = try PatternReport(project: project, level: level, minimumSegments: minimumSegments)
        let codes = try project.codes()
        let codeQuotes =
            quotes > 0
            ? try report.quotes(
                for: codes.filter { $0.depth > 0 }.map(\.key), project: project, level: level, limit: quotes) : [:]
        self.init(
            report: report, project: URL(fileURLWithPath: project.path).lastPathComponent,
            codebook: try project.codebookVersion().map {
                Codebook(name: $0.name, version: $0.version, sha256: $0.sha256)
            },
            codes: codes, grid: try project.gridCells(), minimumSegments: minimumSegments, quotes: quotes,
            codeQuotes: codeQuotes)
    }
}
