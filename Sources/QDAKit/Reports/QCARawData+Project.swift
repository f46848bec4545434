import QDAAnalysis
import QDAStore

extension Project {
    /// Per region, the measure of each condition and of the outcome (docs/qca.md#from-a-project).
    ///
    /// A condition or outcome is a group or code key; the outcome may also be
    /// `type:KEY` (1 where the codebook's typology finds that type, else 0) or
    /// `attr:KEY=VALUE` (the share of the region's documents with that attribute value).
    /// Regions with too few segments to rate are left out and named.
    func qcaRawData(
        conditions: [String], outcome: String, measure: QCAMeasure, level: RegionLevel = .region,
        minimumSegments: Int = PatternReport.defaultMinimumSegments
    ) throws -> QCARawData {
        try qcaRawData(
            conditions: conditions, outcome: outcome, measure: measure, level: level,
            report: PatternReport(project: self, level: level, minimumSegments: minimumSegments, ratingQuotes: false))
    }
}
