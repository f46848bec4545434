/// Why an analysis cannot be made from what it was given: each case carries the values,
/// so that a client words it in its own terms; `description` names no client's controls.
public enum AnalysisError: Error, Equatable, Sendable {
    /// A truth table needs one condition or more.
    case noConditions
    /// More conditions than a truth table is built for (`maximum`).
    case tooManyConditions(count: Int, maximum: Int)
    /// The inclusion cut is not in [0, 1].
    case inclusionCutOutOfRange(Double)
    /// The frequency cut is below 1.
    case frequencyCutBelowOne(Int)
    /// The directional expectations do not match the conditions in number.
    case directionsCount(conditions: Int, given: Int)
    /// The fuzzy anchors of `column` do not run one way.
    case anchorsOutOfOrder(column: String, exclusion: Double, crossover: Double, inclusion: Double)
    /// The log-odds at the anchors of `column` are not positive.
    case logOddsNotPositive(column: String)
    /// The values of `column` lie outside [0, 1] and no calibration was asked for.
    case notMemberships(column: String)
    /// No column `name`; `columns` are those there are.
    case noSuchColumn(name: String, columns: [String])
}

extension AnalysisError: CustomStringConvertible {
    /// The problem as a sentence that names the file (or the key) and what is wrong, in no client's terms.
    public var description: String {
        switch self {
        case .noConditions:
            return "Name at least one condition."
        case .tooManyConditions(let count, let maximum):
            return "\(count) conditions make a truth table of 2^\(count) rows; at most \(maximum) are analysed."
        case .inclusionCutOutOfRange:
            return "The inclusion cut must be between 0 and 1."
        case .frequencyCutBelowOne:
            return "The frequency cut must be at least 1."
        case .directionsCount(let conditions, _):
            return "Give one directional expectation per condition (\(conditions))."
        case .anchorsOutOfOrder(let column, let exclusion, let crossover, let inclusion):
            return
                "\(column): the anchors must run one way, exclusion < crossover < inclusion (or all reversed); "
                + "got \(exclusion), \(crossover), \(inclusion)."
        case .logOddsNotPositive(let column):
            return "\(column): the log-odds must be positive."
        case .notMemberships(let column):
            return "\(column): values outside [0, 1] are not memberships; calibrate them (fuzzy or crisp)."
        case .noSuchColumn(let name, let columns):
            return "No column '\(name)' in the data; it has: \(columns.joined(separator: ", "))."
        }
    }
}
