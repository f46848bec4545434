internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

extension Project {
    /// The same from a pattern report already made (the HTML report analyses several
    /// outcomes on one).
    package func qcaRawData(
        conditions: [String], outcome: String, measure: QCAMeasure, level: RegionLevel, report: PatternReport
    ) throws -> QCARawData {
        let known = Set(report.regions.first.map { Array($0.factors.keys) + Array($0.codes.keys) } ?? [])
            .union(try codes().map(\.key))
        func factor(_ region: PatternReport.Region, _ key: String) -> PatternReport.Factor? {
            region.factors[key] ?? region.codes[key]
        }
        func value(_ factor: PatternReport.Factor?) -> Double {
            guard let factor else { return 0 }
            switch measure {
            case .score: return factor.score
            case .share: return factor.share
            case .segments: return Double(factor.segments)
            case .documents: return Double(factor.documents)
            case .valence: return factor.valence
            }
        }
        for key in conditions where !known.contains(key) {
            throw QDAError.unknownCondition(key, groups: report.groups)
        }
        let cases = report.regions.map(\.region)
        var raw = QCARawData(cases: cases, columns: [:])
        raw.excluded = report.unrated.map { "\($0.region ?? "(no region)"): \($0.segments) segments" }
        for key in conditions { raw.columns[key] = report.regions.map { value(factor($0, key)) } }
        if outcome.hasPrefix("type:") {
            let type = String(outcome.dropFirst(5))
            raw.columns[outcome] = report.regions.map { region in region.types.contains { $0.type == type } ? 1 : 0 }
            raw.memberships.insert(outcome)
        } else if outcome.hasPrefix("attr:") {
            let spec = outcome.dropFirst(5)
            guard let equals = spec.firstIndex(of: "=") else {
                throw QDAError.invalidOutcome(outcome)
            }
            let key = String(spec[..<equals])
            let wanted = String(spec[spec.index(after: equals)...])
            let shares = try attributeShares(key: key, value: wanted, level: level)
            raw.columns[outcome] = cases.map { shares[$0] ?? 0 }
            raw.memberships.insert(outcome)
        } else {
            guard known.contains(outcome) else {
                throw QDAError.invalidOutcome(outcome)
            }
            raw.columns[outcome] = report.regions.map { value(factor($0, outcome)) }
        }
        return raw
    }
}

extension Project {
    /// Per region at `level`, the share of its documents whose attribute `key` is `value`.
    func attributeShares(key: String, value: String, level: RegionLevel) throws -> [String: Double] {
        let unit = Self.unitTable(level)
        return try read { db in
            var result: [String: Double] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH \(unit.sql)
                    SELECT unit.region AS region, COUNT(DISTINCT unit.document_id) AS documents,
                           COUNT(DISTINCT CASE WHEN a.value = ? THEN unit.document_id END) AS matching
                    FROM unit LEFT JOIN document_attribute a ON a.document_id = unit.document_id AND a.key = ?
                    WHERE unit.region IS NOT NULL GROUP BY unit.region
                    """, arguments: unit.arguments + [value, key])
            for row in rows {
                let documents: Int = row["documents"]
                let matching: Int = row["matching"]
                result[row["region"]] = documents == 0 ? 0 : Double(matching) / Double(documents)
            }
            return result
        }
    }
}
