import QDAAnalysis
import QDAMatching
import QDAStore

extension RegionComparison {
    /// Compares regions `a` and `b` (names the gazetteer resolves) from the pattern report
    /// of `project`.
    ///
    /// - Throws: `QDAError.regionNotRated` for a region with too few segments to rate,
    ///   `QDAError.noSuchRegion` for one the report does not have.
    init(project: Project, a: String, b: String, level: RegionLevel = .region, minimumSegments: Int) throws {
        let report = try PatternReport(
            project: project, level: level, minimumSegments: minimumSegments, ratingQuotes: false)
        let finder = try project.currentGazetteer().map { RegionFinder(gazetteer: $0) }
        func find(_ name: String) throws -> PatternReport.Region {
            let resolved = finder?.resolve(name) ?? name
            guard let region = report.regions.first(where: { $0.region == resolved || $0.region == name }) else {
                if report.unrated.contains(where: { $0.region == resolved || $0.region == name }) {
                    throw QDAError.regionNotRated(region: name, minimumSegments: minimumSegments)
                }
                throw QDAError.noSuchRegion(region: name, rated: report.regions.map(\.region))
            }
            return region
        }
        try self.init(report: report, a: find(a), b: find(b), codes: project.codes()) { code, region, sign in
            try project.quotes(code: code, region: region, level: level, sign: sign, limit: 1)
        }
    }
}
