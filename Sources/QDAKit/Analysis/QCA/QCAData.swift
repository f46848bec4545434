import Foundation

/// Cases with their set memberships in conditions and an outcome: what a truth table is
/// built from. Memberships are in [0, 1]; crisp data hold only 0 and 1.
public struct QCAData: Sendable, Equatable {
    public var cases: [String]
    public var conditions: [String]
    /// `memberships[case][condition]`.
    public var memberships: [[Double]]
    public var outcome: String
    public var outcomeMemberships: [Double]

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

    public var isCrisp: Bool {
        (memberships.joined() + outcomeMemberships).allSatisfy { $0 == 0 || $0 == 1 }
    }
}

/// A table of raw values read from CSV (`--data FILE.csv`): a case column and one column
/// per condition and outcome.
public struct QCATable: Sendable, Equatable {
    public var cases: [String]
    public var columns: [String]
    /// `values[case][column]`.
    public var values: [[Double]]

    /// Reads a CSV whose first column (or `caseColumn`) names the cases and whose other
    /// columns are numbers. A cell that is not a number is an error naming line and column.
    public static func load(_ path: String, caseColumn: String? = nil) throws -> QCATable {
        let records = try SpreadsheetReader.records(ofFile: path)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), header.count >= 2
        else {
            throw QDAError.malformedDocument(
                path: path, format: "CSV", reason: "it needs a header row with a case column and at least one more")
        }
        let caseIndex: Int
        if let caseColumn {
            guard let index = header.firstIndex(where: { $0.caseInsensitiveCompare(caseColumn) == .orderedSame }) else {
                throw QDAError.malformedDocument(
                    path: path, format: "CSV",
                    reason: "no column '\(caseColumn)'; the columns are \(header.joined(separator: ", "))")
            }
            caseIndex = index
        } else {
            caseIndex = 0
        }
        let valueColumns = header.indices.filter { $0 != caseIndex }
        var table = QCATable(cases: [], columns: valueColumns.map { header[$0] }, values: [])
        for record in records.dropFirst() {
            let name =
                caseIndex < record.fields.count ? record.fields[caseIndex].trimmingCharacters(in: .whitespaces) : ""
            guard !name.isEmpty else {
                throw QDAError.malformedDocument(path: path, format: "CSV", reason: "line \(record.line): no case name")
            }
            if table.cases.contains(name) {
                throw QDAError.malformedDocument(
                    path: path, format: "CSV", reason: "line \(record.line): the case '\(name)' appears twice")
            }
            var row: [Double] = []
            for column in valueColumns {
                let cell =
                    column < record.fields.count ? record.fields[column].trimmingCharacters(in: .whitespaces) : ""
                guard let value = Double(cell.replacingOccurrences(of: ",", with: ".")), value.isFinite else {
                    throw QDAError.malformedDocument(
                        path: path, format: "CSV",
                        reason: "line \(record.line), column '\(header[column])': '\(cell)' is not a number")
                }
                row.append(value)
            }
            table.cases.append(name)
            table.values.append(row)
        }
        guard !table.cases.isEmpty else {
            throw QDAError.malformedDocument(path: path, format: "CSV", reason: "it holds no cases")
        }
        return table
    }

    /// The values of one column, or an error listing the columns.
    public func column(_ name: String) throws -> [Double] {
        guard let index = columns.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw QDAError.invalidArgument(
                "No column '\(name)' in the data; it has: \(columns.joined(separator: ", ")).")
        }
        return values.map { $0[index] }
    }

    /// The exact column name for `name` (matched without regard to case).
    public func columnName(_ name: String) -> String {
        columns.first { $0.caseInsensitiveCompare(name) == .orderedSame } ?? name
    }
}
