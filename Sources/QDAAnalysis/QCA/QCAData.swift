import Foundation

/// Cases with their set memberships in conditions and an outcome: what a truth table is
/// built from. Memberships are in [0, 1]; crisp data hold only 0 and 1.
public struct QCAData: Sendable, Equatable {
    /// The cases (regions).
    public var cases: [String]
    /// The conditions.
    public var conditions: [String]
    /// `memberships[case][condition]`.
    public var memberships: [[Double]]
    /// The outcome.
    public var outcome: String
    /// Each case's membership in the outcome.
    public var outcomeMemberships: [Double]

    /// Creates the value from its fields.
    public init(
        cases: [String], conditions: [String], memberships: [[Double]], outcome: String, outcomeMemberships: [Double]
    ) {
        self.cases = cases
        self.conditions = conditions
        self.memberships = memberships
        self.outcome = outcome
        self.outcomeMemberships = outcomeMemberships
    }

    /// The largest number of conditions a truth table is built for (2^20 rows).
    public static let maximumConditions = 20

    /// The same data with the outcome negated (`~O`), for the analysis of its absence.
    public func negated() -> QCAData {
        var copy = self
        copy.outcome = "~" + outcome
        copy.outcomeMemberships = outcomeMemberships.map { 1 - $0 }
        return copy
    }

    /// True when every membership is 0 or 1.
    public var isCrisp: Bool {
        (memberships.joined() + outcomeMemberships).allSatisfy { $0 == 0 || $0 == 1 }
    }
}

/// A table of raw values read from CSV (`--data FILE.csv`): a case column and one column
/// per condition and outcome.
public struct QCATable: Sendable, Equatable {
    /// The cases, one per row.
    public var cases: [String]
    /// The value columns.
    public var columns: [String]
    /// `values[case][column]`.
    public var values: [[Double]]

    /// Creates the value from its fields.
    public init(cases: [String], columns: [String], values: [[Double]]) {
        self.cases = cases
        self.columns = columns
        self.values = values
    }

    /// The values of one column, or an error listing the columns.
    public func column(_ name: String) throws -> [Double] {
        guard let index = columns.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw AnalysisError.noSuchColumn(name: name, columns: columns)
        }
        return values.map { $0[index] }
    }

    /// The exact column name for `name` (matched without regard to case).
    public func columnName(_ name: String) -> String {
        columns.first { $0.caseInsensitiveCompare(name) == .orderedSame } ?? name
    }
}
