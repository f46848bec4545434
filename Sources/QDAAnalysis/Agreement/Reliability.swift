/// Intercoder reliability coefficients on nominal data (docs/agreement.md).
///
/// The data are units (segments, documents, or runs of characters, each with a weight)
/// and, per unit, each coder's category or nil when the coder did not code that unit.
/// Every coefficient is computed from these alone; one that is undefined (a single
/// category in the data, too few coders) is returned as `.undefined(reason)`, never NaN.
public struct ReliabilityData: Sendable, Equatable {
    /// One unit: its weight (1 for a segment; characters for a character run) and each
    /// coder's value, in the order of `coders`.
    public struct Unit: Sendable, Equatable {
        /// The unit's weight (its length in characters for character units, else 1).
        public var weight: Double
        /// Each coder's value: 1 coded, 0 not, nil when the coder did not code the unit's document.
        public var values: [Int?]

        /// Creates the value from its fields.
        public init(weight: Double = 1, values: [Int?]) {
            self.weight = weight
            self.values = values
        }
    }

    /// The coders, in the order of each unit's values.
    public var coders: [String]
    /// The units.
    public var units: [Unit]

    /// Creates the value from its fields.
    public init(coders: [String], units: [Unit]) {
        self.coders = coders
        self.units = units
    }

    /// Units every coder coded, and their total weight.
    var complete: [Unit] { units.filter { $0.values.allSatisfy { $0 != nil } } }

    /// The categories that occur.
    var categories: [Int] { Array(Set(units.flatMap { $0.values.compactMap { $0 } })).sorted() }
}

/// A coefficient's value, or why it has none.
public enum Coefficient: Sendable, Equatable, Encodable {
    case value(Double)
    case undefined(String)

    /// The coefficient, or nil when it is undefined.
    public var value: Double? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// Why the coefficient is undefined, or nil.
    public var reason: String? {
        if case .undefined(let r) = self { return r }
        return nil
    }

    /// A number, or null (the reason travels beside it in reports).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let v): try container.encode(rounded(v))
        case .undefined: try container.encodeNil()
        }
    }

    /// (pa − pe) / (1 − pe), undefined when pe is 1.
    static func chanceCorrected(observed pa: Double, expected pe: Double, name: String) -> Coefficient {
        guard pe < 1 - 1e-12 else {
            return .undefined(
                "\(name) is undefined: the data hold one category only, so agreement by chance is certain")
        }
        return .value((pa - pe) / (1 - pe))
    }
}

/// Agreement coefficients on reliability data (docs/agreement.md, each with its formula and reference).
public enum Reliability {
    /// The share of pairs of coders that agree, averaged over units coded by two coders
    /// or more (for two coders: the share of units they agree on).
    public static func percentAgreement(_ data: ReliabilityData) -> Coefficient {
        var agreeing = 0.0
        var total = 0.0
        for unit in data.units {
            let values = unit.values.compactMap { $0 }
            let m = Double(values.count)
            guard m >= 2 else { continue }
            var counts: [Int: Double] = [:]
            for v in values { counts[v, default: 0] += 1 }
            let pairs = counts.values.reduce(0) { $0 + $1 * ($1 - 1) } / (m * (m - 1))
            agreeing += unit.weight * pairs
            total += unit.weight
        }
        guard total > 0 else { return .undefined("no unit was coded by two coders") }
        return .value(agreeing / total)
    }

    /// Cohen's κ for two coders, on the units both coded (Cohen 1960).
    public static func cohenKappa(_ data: ReliabilityData) -> Coefficient {
        guard data.coders.count == 2 else { return .undefined("Cohen's kappa compares exactly two coders") }
        let units = data.complete
        let n = units.reduce(0) { $0 + $1.weight }
        guard n > 0 else { return .undefined("the two coders coded no unit in common") }
        var observed = 0.0
        var first: [Int: Double] = [:]
        var second: [Int: Double] = [:]
        for unit in units {
            let (a, b) = (unit.values[0]!, unit.values[1]!)
            if a == b { observed += unit.weight }
            first[a, default: 0] += unit.weight
            second[b, default: 0] += unit.weight
        }
        let expected = first.reduce(0) { $0 + ($1.value / n) * ((second[$1.key] ?? 0) / n) }
        return Coefficient.chanceCorrected(observed: observed / n, expected: expected, name: "Cohen's kappa")
    }

    /// Fleiss' κ for any number of coders, on the units every coder coded (Fleiss 1971).
    public static func fleissKappa(_ data: ReliabilityData) -> Coefficient {
        let m = Double(data.coders.count)
        guard m >= 2 else { return .undefined("Fleiss' kappa needs two coders or more") }
        let units = data.complete
        let n = units.reduce(0) { $0 + $1.weight }
        guard n > 0 else { return .undefined("no unit was coded by every coder") }
        var agreement = 0.0
        var proportions: [Int: Double] = [:]
        for unit in units {
            var counts: [Int: Double] = [:]
            for v in unit.values { counts[v!, default: 0] += 1 }
            agreement += unit.weight * (counts.values.reduce(0) { $0 + $1 * $1 } - m) / (m * (m - 1))
            for (category, count) in counts { proportions[category, default: 0] += unit.weight * count / m }
        }
        let expected = proportions.values.reduce(0) { $0 + ($1 / n) * ($1 / n) }
        return Coefficient.chanceCorrected(observed: agreement / n, expected: expected, name: "Fleiss' kappa")
    }

    /// Krippendorff's α for nominal data; units coded by fewer than two coders are left
    /// out, missing values are allowed (Krippendorff 2011, "Computing Krippendorff's
    /// Alpha-Reliability").
    public static func krippendorffAlpha(_ data: ReliabilityData) -> Coefficient {
        // The coincidence matrix o[c][k], from every pair of values within a unit.
        var coincidence: [Int: [Int: Double]] = [:]
        for unit in data.units {
            let values = unit.values.compactMap { $0 }
            let m = Double(values.count)
            guard m >= 2 else { continue }
            for (i, c) in values.enumerated() {
                for (j, k) in values.enumerated() where i != j {
                    coincidence[c, default: [:]][k, default: 0] += unit.weight / (m - 1)
                }
            }
        }
        let totals = coincidence.mapValues { $0.values.reduce(0, +) }
        let n = totals.values.reduce(0, +)
        guard n > 1 else { return .undefined("no unit was coded by two coders") }
        var disagreement = 0.0
        for (c, row) in coincidence {
            for (k, count) in row where k != c { disagreement += count }
        }
        var expected = 0.0
        for (c, nc) in totals {
            for (k, nk) in totals where k != c { expected += nc * nk }
        }
        guard expected > 0 else {
            return .undefined("Krippendorff's alpha is undefined: the data hold one category only")
        }
        return .value(1 - (n - 1) * disagreement / expected)
    }

    /// Gwet's AC1 for any number of coders, with missing values (Gwet 2008; 2014, ch. 4).
    public static func gwetAC1(_ data: ReliabilityData) -> Coefficient {
        let categories = data.categories
        let q = Double(max(categories.count, 2))
        var agreement = 0.0
        var agreementWeight = 0.0
        var classification: [Int: Double] = [:]
        var classificationWeight = 0.0
        for unit in data.units {
            let values = unit.values.compactMap { $0 }
            let r = Double(values.count)
            guard r >= 1 else { continue }
            var counts: [Int: Double] = [:]
            for v in values { counts[v, default: 0] += 1 }
            for (category, count) in counts { classification[category, default: 0] += unit.weight * count / r }
            classificationWeight += unit.weight
            guard r >= 2 else { continue }
            agreement += unit.weight * counts.values.reduce(0) { $0 + $1 * ($1 - 1) } / (r * (r - 1))
            agreementWeight += unit.weight
        }
        guard agreementWeight > 0 else { return .undefined("no unit was coded by two coders") }
        let pa = agreement / agreementWeight
        let pe =
            classification.values.reduce(0) { sum, total in
                let pi = total / classificationWeight
                return sum + pi * (1 - pi)
            } / (q - 1)
        return Coefficient.chanceCorrected(observed: pa, expected: pe, name: "Gwet's AC1")
    }
}
