import Foundation

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
    /// The cases (regions).
    public var cases: [String]
    /// Column name → one value per case.
    public var columns: [String: [Double]]
    /// Columns that are set memberships as they are (typology results).
    public var memberships: Set<String> = []
    /// Regions left out, with the reason (too few segments to rate).
    public var excluded: [String] = []

    /// Creates the value from its fields.
    public init(cases: [String], columns: [String: [Double]], memberships: Set<String> = []) {
        self.cases = cases
        self.columns = columns
        self.memberships = memberships
    }

    /// Creates the value from its fields.
    public init(table: QCATable, names: [String]) throws {
        cases = table.cases
        columns = [:]
        for name in names { columns[name] = try table.column(name) }
    }
}

/// How raw values become memberships (`qda qca ... --calibrate/--anchors/--threshold`).
public struct CalibrationPlan: Sendable {
    /// How raw values become memberships.
    public enum Method: String, Sendable, CaseIterable {
        case fuzzy, crisp
        /// The values are memberships already (in [0, 1]).
        case none
    }

    /// nil: memberships where every value is in [0, 1], else fuzzy.
    public var method: Method?
    /// Log-odds of membership at the fuzzy anchors.
    public var logOdds = Calibration.raginLogOdds
    /// Anchors for every column without its own.
    public var anchors: (Double, Double, Double)?
    /// Fuzzy anchors (exclusion, crossover, inclusion) for single columns.
    public var columnAnchors: [String: (Double, Double, Double)] = [:]
    /// The crisp threshold for every column.
    public var threshold: Double?
    /// Crisp thresholds for single columns.
    public var columnThresholds: [String: Double] = [:]

    /// Creates the value from its fields.
    public init() {}

    /// One column's calibration, and whether its anchors were suggested from the data.
    public struct Applied: Sendable, Equatable {
        /// The column calibrated.
        public var column: String
        /// The calibration used, or nil for values that were memberships already.
        public var calibration: Calibration?
        /// True when the anchors or threshold were suggested from the data.
        public var suggested: Bool
        /// The raw values.
        public var raw: [Double]
        /// The memberships.
        public var memberships: [Double]
    }

    /// Calibrates one column's `values` by the plan.
    public func apply(column: String, values: [Double], isMembership: Bool) throws -> Applied {
        if isMembership {
            return Applied(column: column, calibration: nil, suggested: false, raw: values, memberships: values)
        }
        let inUnitRange = values.allSatisfy { (0...1).contains($0) }
        let method = self.method ?? (inUnitRange && anchors == nil && columnAnchors[column] == nil ? .none : .fuzzy)
        switch method {
        case .none:
            guard inUnitRange else {
                throw AnalysisError.notMemberships(column: column)
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
                throw AnalysisError.noSuchColumn(name: column, columns: raw.columns.keys.sorted())
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
