import QDAAnalysis
import QDAStore

extension GridReport {
    /// The researcher's grid of `project` beside the ratings its pattern report derives.
    init(project: Project, level: RegionLevel = .region, minimumSegments: Int) throws {
        self.init(
            report: try PatternReport(
                project: project, level: level, minimumSegments: minimumSegments, ratingQuotes: false),
            grid: try project.gridCells(), codes: try project.codes())
    }
}
