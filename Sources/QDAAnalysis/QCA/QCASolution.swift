import Foundation

/// A directional expectation for the intermediate solution: which value of a condition
/// is expected to go with the outcome.
public enum DirectionalExpectation: String, Sendable, Equatable {
    case present = "1"
    case absent = "0"
    case either = "-"
}

/// The solutions of a truth table (docs/qca.md#solutions).
public struct QCASolutions: Sendable, Equatable {
    /// Which remainders a solution may use: none (conservative), any (parsimonious) or the easy counterfactuals
    /// (intermediate).
    public enum Kind: String, Sendable, Codable {
        case complex, parsimonious, intermediate
    }

    /// One prime implicant of a solution, with its fit.
    public struct Term: Sendable, Equatable, Encodable {
        /// The term as written (`TECH*~MARKET`).
        public var expression: String
        /// Consistency of the term with the outcome.
        public var consistency: Double
        /// The share of the outcome the term covers.
        public var rawCoverage: Double
        /// The share only this term covers.
        public var uniqueCoverage: Double
        /// Cases with membership above 0.5 in the term and in the outcome.
        public var cases: [String]
        /// Cases in the term (above 0.5) but not in the outcome: they contradict sufficiency.
        public var deviantCases: [String]
        /// Consistency below the inclusion cut.
        public var lowConsistency: Bool

        enum CodingKeys: String, CodingKey {
            case expression, consistency
            case rawCoverage = "raw_coverage"
            case uniqueCoverage = "unique_coverage"
            case cases
            case
                deviantCases = "deviant_cases"
            case lowConsistency = "low_consistency"
        }

        /// Encodes the fields as the JSON output contract has them (docs/formats.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(expression, forKey: .expression)
            try container.encode(rounded(consistency), forKey: .consistency)
            try container.encode(rounded(rawCoverage), forKey: .rawCoverage)
            try container.encode(rounded(uniqueCoverage), forKey: .uniqueCoverage)
            try container.encode(cases, forKey: .cases)
            try container.encode(deviantCases, forKey: .deviantCases)
            try container.encode(lowConsistency, forKey: .lowConsistency)
        }
    }

    /// One sum of terms that explains the outcome.
    public struct Model: Sendable, Equatable, Encodable {
        /// The terms, joined by +.
        public var terms: [Term]
        /// Consistency of the whole model.
        public var consistency: Double
        /// Coverage of the whole model.
        public var coverage: Double

        enum CodingKeys: String, CodingKey { case terms, consistency, coverage }

        /// Encodes the fields as the JSON output contract has them (docs/formats.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(terms, forKey: .terms)
            try container.encode(rounded(consistency), forKey: .consistency)
            try container.encode(rounded(coverage), forKey: .coverage)
        }

        /// `A*B + ~C`.
        public var expression: String { terms.map(\.expression).joined(separator: " + ") }
    }

    /// The models of one kind of solution.
    public struct Solution: Sendable, Equatable, Encodable {
        /// The kind of solution.
        public var kind: Kind
        /// The outcome explained.
        public var outcome: String
        /// True for the analysis of the outcome's absence.
        public var negated: Bool
        /// Equally good models (usually one).
        public var models: [Model]
        /// The prime implicants of the minimisation, and the positive configurations each covers.
        public var primeImplicants: [String]
        /// More minimal covers exist than are listed, or minimality was not proven.
        public var truncated: Bool
        /// The prime implicant chart was reduced by row dominance: alternative models
        /// using a dominated prime implicant are not listed.
        public var rowDominance = false

        enum CodingKeys: String, CodingKey {
            case kind, outcome, negated, models
            case primeImplicants = "prime_implicants"
            case truncated
            case rowDominance = "row_dominance"
        }
    }

    /// The truth table the solutions were minimised from.
    public var table: TruthTable
    /// The conservative, parsimonious and intermediate solutions.
    public var solutions: [Solution]
    /// Remainders the parsimonious solution assumed to give the outcome (simplifying assumptions).
    public var simplifyingAssumptions: [String]
    /// Why no configuration gives the outcome (`TruthTable.whyNoSolution`); nil when one does.
    public var whyNoSolution: String?

    /// Minimises `table` for its outcome; `directions` (one per condition) adds the
    /// intermediate solution. `negated` tells whether the outcome is a negation.
    public init(
        data: QCAData, table: TruthTable, directions: [DirectionalExpectation]? = nil, negated: Bool = false
    ) throws {
        self.table = table
        whyNoSolution = table.whyNoSolution(data)
        let k = table.conditions.count
        if let directions, directions.count != k {
            throw AnalysisError.directionsCount(conditions: k, given: directions.count)
        }
        let positive = table.rows.filter { $0.output == .positive }.map(\.configuration)
        let remainders = table.remainders.map(\.configuration)
        let complex = Minimizer.minimize(conditions: k, positive: positive)
        let parsimonious = Minimizer.minimize(conditions: k, positive: positive, dontCare: remainders)
        let fit = Fit(data: data, inclusionCut: table.inclusionCut)
        func solution(_ kind: Kind, _ result: Minimizer.Result) -> Solution {
            Solution(
                kind: kind, outcome: table.outcome, negated: negated,
                models: result.models.map { fit.model($0, conditions: table.conditions) },
                primeImplicants: result.primeImplicants.map { $0.expression(table.conditions) },
                truncated: result.truncated, rowDominance: result.rowDominance)
        }
        var solutions = [solution(.complex, complex), solution(.parsimonious, parsimonious)]
        if let directions {
            var models: [[Implicant]] = []
            for model in parsimonious.models {
                for complexModel in complex.models.prefix(1) {
                    let terms = Self.intermediateTerms(
                        complex: complexModel, parsimonious: model, directions: directions, conditions: k)
                    let cover = Minimizer.minimalCovers(primes: terms, positive: positive).0
                    for chosen in cover where !models.contains(chosen) { models.append(chosen) }
                }
            }
            solutions.append(
                Solution(
                    kind: .intermediate, outcome: table.outcome, negated: negated,
                    models: models.map { fit.model($0, conditions: table.conditions) },
                    primeImplicants: parsimonious.primeImplicants.map { $0.expression(table.conditions) },
                    truncated: false))
        }
        self.solutions = solutions
        // Remainders inside the parsimonious solution's terms.
        let used = Set(
            parsimonious.models.flatMap { $0 }.flatMap { term in remainders.filter { term.covers($0) } })
        simplifyingAssumptions = remainders.filter { used.contains($0) }.map { configuration in
            Implicant(mask: (1 << k) - 1, value: configuration).expression(table.conditions)
        }
    }

    /// Intermediate terms: each complex term reduced towards the parsimonious terms it
    /// implies, dropping only literals that contradict the directional expectation (their
    /// removal rests on easy counterfactuals).
    static func intermediateTerms(
        complex: [Implicant], parsimonious: [Implicant], directions: [DirectionalExpectation], conditions k: Int
    ) -> [Implicant] {
        var result: [Implicant] = []
        for term in complex {
            for prime in parsimonious where term.implies(prime) {
                var mask = prime.mask
                var value = prime.value
                for j in 0..<k {
                    let bit = 1 << (k - 1 - j)
                    guard term.mask & bit != 0, prime.mask & bit == 0 else { continue }
                    let present = term.value & bit != 0
                    let keep: Bool
                    switch directions[j] {
                    case .either: keep = true
                    case .present: keep = present
                    case .absent: keep = !present
                    }
                    if keep {
                        mask |= bit
                        if present { value |= bit }
                    }
                }
                let reduced = Implicant(mask: mask, value: value)
                if !result.contains(reduced) { result.append(reduced) }
            }
        }
        // Terms implied by another term are redundant.
        return result.filter { term in !result.contains { $0 != term && term.implies($0) } }.sorted()
    }
}

/// Parameters of fit: consistency and coverage of terms and models on the case data.
struct Fit {
    let data: QCAData
    let inclusionCut: Double

    func membership(_ term: Implicant, case index: Int) -> Double {
        let k = data.conditions.count
        var m = 1.0
        for j in 0..<k where term.mask & (1 << (k - 1 - j)) != 0 {
            let present = term.value & (1 << (k - 1 - j)) != 0
            let x = data.memberships[index][j]
            m = min(m, present ? x : 1 - x)
        }
        return m
    }

    func model(_ terms: [Implicant], conditions: [String]) -> QCASolutions.Model {
        let n = data.cases.count
        let y = data.outcomeMemberships
        let sumY = y.reduce(0, +)
        let memberships = terms.map { term in (0..<n).map { membership(term, case: $0) } }
        func coverage(_ values: [Double]) -> Double {
            sumY > 0 ? zip(values, y).map { min($0, $1) }.reduce(0, +) / sumY : 0
        }
        func consistency(_ values: [Double]) -> Double {
            let sumX = values.reduce(0, +)
            return sumX > 0 ? zip(values, y).map { min($0, $1) }.reduce(0, +) / sumX : 0
        }
        func union(_ sets: [[Double]]) -> [Double] {
            (0..<n).map { i in sets.map { $0[i] }.max() ?? 0 }
        }
        let solution = union(memberships)
        let solutionCoverage = coverage(solution)
        let termsOut = terms.enumerated().map { index, term -> QCASolutions.Term in
            let values = memberships[index]
            var others = memberships
            others.remove(at: index)
            let unique = solutionCoverage - (others.isEmpty ? 0 : coverage(union(others)))
            let inTerm = (0..<n).filter { values[$0] > 0.5 }
            let termConsistency = consistency(values)
            return QCASolutions.Term(
                expression: term.expression(conditions), consistency: termConsistency,
                rawCoverage: coverage(values), uniqueCoverage: max(0, unique),
                cases: inTerm.filter { y[$0] > 0.5 }.map { data.cases[$0] },
                deviantCases: inTerm.filter { y[$0] <= 0.5 }.map { data.cases[$0] },
                lowConsistency: termConsistency < inclusionCut - 1e-12)
        }
        return QCASolutions.Model(terms: termsOut, consistency: consistency(solution), coverage: solutionCoverage)
    }
}
