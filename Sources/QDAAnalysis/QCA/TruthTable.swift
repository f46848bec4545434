import QDAText

/// The truth table of a QCA (docs/qca.md#truth-table): one row per configuration of the
/// conditions, with the cases that are more in than out of it.
public struct TruthTable: Sendable, Equatable {
    /// What a row says about the outcome.
    public enum Output: String, Sendable, Equatable, Codable {
        /// Consistent enough with the outcome (`incl >= incl.cut`), with enough cases.
        case positive = "1"
        /// Observed, but not consistent enough.
        case negative = "0"
        /// A logical remainder: fewer cases than `n.cut`.
        case remainder = "?"
    }

    /// One configuration of the conditions.
    public struct Row: Sendable, Equatable {
        /// The configuration: bit j (from the left, condition j) is 1 when the condition is present.
        public var configuration: Int
        /// The cases with membership above 0.5 in the configuration.
        public var cases: [String]
        /// Raw consistency Σmin(X,Y)/ΣX over all cases (nil when ΣX is 0).
        public var consistency: Double?
        /// Proportional reduction in inconsistency (nil when undefined).
        public var pri: Double?
        /// Whether the configuration gives the outcome, does not, or is a logical remainder.
        public var output: Output
        /// Crisp rows whose cases disagree on the outcome; fuzzy rows whose cases include
        /// some with outcome membership below 0.5 and some above.
        public var contradictory: Bool
    }

    /// The conditions, in the order of the configuration's bits.
    public var conditions: [String]
    /// The outcome.
    public var outcome: String
    /// Consistency a row needs for the outcome.
    public var inclusionCut: Double
    /// Cases a row needs to be observed.
    public var frequencyCut: Int
    /// Every configuration, observed or not, in configuration order.
    public var rows: [Row]
    /// Cases with a membership of exactly 0.5 in some condition: they belong to no row.
    public var ambiguousCases: [String]

    /// Builds the truth table. Defaults as in R's QCA package: `incl.cut` 1 would be its
    /// default; `qda` uses 0.8, the usual recommendation for fuzzy sets, and states it.
    public init(_ data: QCAData, inclusionCut: Double = 0.8, frequencyCut: Int = 1) throws {
        let k = data.conditions.count
        guard k >= 1 else { throw AnalysisError.noConditions }
        guard k <= QCAData.maximumConditions else {
            throw AnalysisError.tooManyConditions(count: k, maximum: QCAData.maximumConditions)
        }
        guard (0...1).contains(inclusionCut) else {
            throw AnalysisError.inclusionCutOutOfRange(inclusionCut)
        }
        guard frequencyCut >= 1 else { throw AnalysisError.frequencyCutBelowOne(frequencyCut) }
        conditions = data.conditions
        outcome = data.outcome
        self.inclusionCut = inclusionCut
        self.frequencyCut = frequencyCut
        let count = 1 << k
        var sumX = [Double](repeating: 0, count: count)
        var sumXY = [Double](repeating: 0, count: count)
        var sumXYnotY = [Double](repeating: 0, count: count)
        var members = [[Int]](repeating: [], count: count)
        var ambiguous: [String] = []
        for (index, row) in data.memberships.enumerated() {
            let y = data.outcomeMemberships[index]
            if row.contains(0.5) { ambiguous.append(data.cases[index]) }
            // The case's own row: the one it is more in than out of.
            var own = 0
            for (j, value) in row.enumerated() where value > 0.5 { own |= 1 << (k - 1 - j) }
            if !row.contains(0.5) { members[own].append(index) }
            // Its membership in every row it belongs to in part (all rows for fuzzy data).
            if data.isCrispRow(row) {
                sumX[own] += 1
                sumXY[own] += min(1, y)
                sumXYnotY[own] += min(1, y, 1 - y)
            } else {
                for configuration in 0..<count {
                    var m = 1.0
                    for j in 0..<k {
                        let present = configuration & (1 << (k - 1 - j)) != 0
                        m = min(m, present ? row[j] : 1 - row[j])
                        if m == 0 { break }
                    }
                    guard m > 0 else { continue }
                    sumX[configuration] += m
                    sumXY[configuration] += min(m, y)
                    sumXYnotY[configuration] += min(m, y, 1 - y)
                }
            }
        }
        ambiguousCases = ambiguous
        rows = (0..<count).map { configuration in
            let consistency = sumX[configuration] > 0 ? sumXY[configuration] / sumX[configuration] : nil
            let denominator = sumX[configuration] - sumXYnotY[configuration]
            let pri = denominator > 0 ? (sumXY[configuration] - sumXYnotY[configuration]) / denominator : nil
            let cases = members[configuration]
            let output: Output
            if cases.count < frequencyCut {
                output = .remainder
            } else {
                output = (consistency ?? 0) >= inclusionCut - 1e-12 ? .positive : .negative
            }
            let outcomes = cases.map { data.outcomeMemberships[$0] > 0.5 }
            return Row(
                configuration: configuration, cases: cases.map { data.cases[$0] }, consistency: consistency, pri: pri,
                output: output, contradictory: outcomes.contains(true) && outcomes.contains(false))
        }
    }

    /// The value of condition `j` in a configuration.
    public func value(_ configuration: Int, condition j: Int) -> Bool {
        configuration & (1 << (conditions.count - 1 - j)) != 0
    }

    /// Rows with cases.
    public var observedRows: [Row] { rows.filter { $0.output != .remainder } }
    /// Rows without enough cases: the logical remainders.
    public var remainders: [Row] { rows.filter { $0.output == .remainder } }
}

extension QCAData {
    func isCrispRow(_ row: [Double]) -> Bool { row.allSatisfy { $0 == 0 || $0 == 1 } }
}

extension TruthTable {
    /// Why no configuration gives the outcome, in sentences for a report, or nil when some
    /// row does (a row with output 1).
    ///
    /// Names the regions with the outcome (membership above 0.5) and, for each of their
    /// rows, what kept it from the solution: cases in the same configuration without the
    /// outcome (a contradictory row), or a consistency below the inclusion cut.
    public func whyNoSolution(_ data: QCAData) -> String? {
        guard !rows.contains(where: { $0.output == .positive }) else { return nil }
        let positive = Set(data.cases.indices.filter { data.outcomeMemberships[$0] > 0.5 }.map { data.cases[$0] })
        guard !positive.isEmpty else {
            return "No region has the outcome \(outcome) (membership above 0.5), so there is nothing to explain."
        }
        var reasons: [String] = []
        for row in rows where row.output == .negative && row.cases.contains(where: positive.contains) {
            let configuration = conditions.indices.map { value(row.configuration, condition: $0) ? "1" : "0" }
                .joined(separator: "-")
            let with = row.cases.filter(positive.contains)
            let without = row.cases.filter { !positive.contains($0) }
            var reason =
                "\(with.joined(separator: ", ")) \(with.count == 1 ? "has" : "have") the outcome in row "
                + configuration
            if !without.isEmpty {
                reason +=
                    ", which \(without.joined(separator: ", ")) \(without.count == 1 ? "shares" : "share") without it"
            }
            let consistency = row.consistency.map { formatNumber($0) } ?? "undefined"
            reason += " (consistency \(consistency), below the cut \(formatNumber(inclusionCut)))"
            reasons.append(reason)
        }
        var text = "No configuration gives \(outcome): " + reasons.joined(separator: "; ") + "."
        if rows.contains(where: { $0.contradictory }) {
            text +=
                " These conditions do not tell the regions with the outcome from those without it; other or finer "
                + "conditions (codes rather than groups), or other calibration anchors, may."
        }
        return text
    }
}
