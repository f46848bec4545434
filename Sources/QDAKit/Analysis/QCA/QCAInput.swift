import Foundation
import GRDB

/// What a condition or outcome taken from a project measures per region.
public enum QCAMeasure: String, Sendable, CaseIterable {
    /// The pattern report's score (net valence + attention), on which ratings rest.
    case score
    case share
    case segments
    case documents
    case valence
}

/// Raw values per case, before calibration, and the columns that are memberships already.
public struct QCARawData: Sendable, Equatable {
    public var cases: [String]
    /// Column name → one value per case.
    public var columns: [String: [Double]]
    /// Columns that are set memberships as they are (typology results).
    public var memberships: Set<String> = []
    /// Regions left out, with the reason (too few segments to rate).
    public var excluded: [String] = []

    public init(cases: [String], columns: [String: [Double]], memberships: Set<String> = []) {
        self.cases = cases
        self.columns = columns
        self.memberships = memberships
    }

    public init(table: QCATable, names: [String]) throws {
        cases = table.cases
        columns = [:]
        for name in names { columns[name] = try table.column(name) }
    }
}

/// How raw values become memberships (`qda qca ... --calibrate/--anchors/--threshold`).
public struct CalibrationPlan: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case fuzzy, crisp
        /// The values are memberships already (in [0, 1]).
        case none
    }

    /// nil: memberships where every value is in [0, 1], else fuzzy.
    public var method: Method?
    public var logOdds = Calibration.raginLogOdds
    /// Anchors for every column without its own.
    public var anchors: (Double, Double, Double)?
    public var columnAnchors: [String: (Double, Double, Double)] = [:]
    public var threshold: Double?
    public var columnThresholds: [String: Double] = [:]

    public init() {}

    /// One column's calibration, and whether its anchors were suggested from the data.
    public struct Applied: Sendable, Equatable {
        public var column: String
        public var calibration: Calibration?
        public var suggested: Bool
        public var raw: [Double]
        public var memberships: [Double]
    }

    public func apply(column: String, values: [Double], isMembership: Bool) throws -> Applied {
        if isMembership {
            return Applied(column: column, calibration: nil, suggested: false, raw: values, memberships: values)
        }
        let inUnitRange = values.allSatisfy { (0...1).contains($0) }
        let method = self.method ?? (inUnitRange && anchors == nil && columnAnchors[column] == nil ? .none : .fuzzy)
        switch method {
        case .none:
            guard inUnitRange else {
                throw QDAError.invalidArgument(
                    "\(column): values outside [0, 1] are not memberships; calibrate them (--calibrate fuzzy or crisp)."
                )
            }
            return Applied(column: column, calibration: nil, suggested: false, raw: values, memberships: values)
        case .crisp:
            var suggested = false
            let threshold =
                columnThresholds[column] ?? self.threshold
                ?? {
                    suggested = true
                    return Calibration.suggestedAnchors(values).crossover
                }()
            let calibration = Calibration.crisp(threshold: threshold)
            return Applied(
                column: column, calibration: calibration, suggested: suggested, raw: values,
                memberships: values.map(calibration.membership))
        case .fuzzy:
            var suggested = false
            let (e, c, i) =
                columnAnchors[column] ?? anchors
                ?? {
                    suggested = true
                    return Calibration.suggestedAnchors(values)
                }()
            let calibration = Calibration.fuzzy(exclusion: e, crossover: c, inclusion: i, logOdds: logOdds)
            try calibration.validate(name: column)
            return Applied(
                column: column, calibration: calibration, suggested: suggested, raw: values,
                memberships: values.map(calibration.membership))
        }
    }

    /// Calibrates the conditions and the outcome of `raw` into QCA data.
    public func calibrate(_ raw: QCARawData, conditions: [String], outcome: String) throws -> (
        data: QCAData, applied: [Applied]
    ) {
        var applied: [Applied] = []
        for column in conditions + [outcome] {
            guard let values = raw.columns[column] else {
                throw QDAError.invalidArgument("No values for '\(column)'.")
            }
            applied.append(try apply(column: column, values: values, isMembership: raw.memberships.contains(column)))
        }
        let memberships = raw.cases.indices.map { index in applied.dropLast().map { $0.memberships[index] } }
        let data = QCAData(
            cases: raw.cases, conditions: conditions, memberships: memberships, outcome: outcome,
            outcomeMemberships: applied.last!.memberships)
        return (data, applied)
    }
}

extension Project {
    /// Per region, the measure of each condition and of the outcome (docs/qca.md#from-a-project).
    ///
    /// A condition or outcome is a group or code key; the outcome may also be
    /// `type:KEY` (1 where the codebook's typology finds that type, else 0) or
    /// `attr:KEY=VALUE` (the share of the region's documents with that attribute value).
    /// Regions with too few segments to rate are left out and named.
    public func qcaRawData(
        conditions: [String], outcome: String, measure: QCAMeasure, level: RegionLevel = .region,
        minimumSegments: Int = PatternReport.defaultMinimumSegments
    ) throws -> QCARawData {
        try qcaRawData(
            conditions: conditions, outcome: outcome, measure: measure, level: level,
            report: PatternReport(project: self, level: level, minimumSegments: minimumSegments, ratingQuotes: false))
    }

    /// The same from a pattern report already made (the HTML report analyses several
    /// outcomes on one).
    func qcaRawData(
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
            throw QDAError.invalidArgument(
                "'\(key)' is not a group or code of the codebook; groups: "
                    + (report.groups.joined(separator: ", ")) + ".")
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
                throw QDAError.invalidArgument("An attribute outcome is written attr:KEY=VALUE.")
            }
            let key = String(spec[..<equals])
            let wanted = String(spec[spec.index(after: equals)...])
            let shares = try attributeShares(key: key, value: wanted, level: level)
            raw.columns[outcome] = cases.map { shares[$0] ?? 0 }
            raw.memberships.insert(outcome)
        } else {
            guard known.contains(outcome) else {
                throw QDAError.invalidArgument(
                    "The outcome '\(outcome)' is not a group or code, type:KEY or attr:KEY=VALUE.")
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
