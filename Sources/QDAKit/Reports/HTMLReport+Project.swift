import Foundation
import QDAAnalysis
import QDAFormats
import QDAStore

extension HTMLReport {
    /// Gathers everything the report shows. Without `qca` requests, the factor groups are
    /// the conditions and each type of the typology an outcome.
    init(
        project: Project, level: RegionLevel = .region, minimumSegments: Int = PatternReport.defaultMinimumSegments,
        qca requests: [QCARequest]? = nil, title: String? = nil
    ) throws {
        let report = try PatternReport(project: project, level: level, minimumSegments: minimumSegments)
        let codes = try project.codes()
        let typology = try project.currentCodebook()?.typology ?? []
        let codeQuotes = try report.quotes(
            for: codes.filter { $0.depth > 0 }.map(\.key), project: project, level: level, limit: 3)
        let groups = report.groups
        // Each type with the conditions its rule names for QCA, else with the factor groups.
        let defaultRequests = typology.map {
            QCARequest(conditions: $0.qcaConditions.isEmpty ? groups : $0.qcaConditions, outcome: "type:\($0.key)")
        }
        var results: [QCAResult] = []
        for request in requests ?? defaultRequests {
            var result = QCAResult(request: request)
            do {
                let raw = try project.qcaRawData(
                    conditions: request.conditions, outcome: request.outcome, measure: .score, level: level,
                    report: report)
                var plan = CalibrationPlan()
                plan.method = .fuzzy
                plan.anchors = (-0.75, 0, 0.75)
                let (data, _) = try plan.calibrate(raw, conditions: request.conditions, outcome: request.outcome)
                let table = try TruthTable(data)
                result.data = data
                result.solutions = try QCASolutions(data: data, table: table)
            } catch let error as QDAError {
                result.problem = error.description
            } catch let error as AnalysisError {
                result.problem = error.description
            }
            results.append(result)
        }
        self.init(
            report: report, codes: codes, typology: typology,
            cooccurrence: try Cooccurrence(project: project, columns: .code), qca: results,
            grid: try project.gridCells(),
            title: title ?? "qda report: \(URL(fileURLWithPath: project.path).lastPathComponent)",
            codeQuotes: codeQuotes)
    }
}
