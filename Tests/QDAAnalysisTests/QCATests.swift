import Foundation
import QDAKitTestSupport
import Testing

@testable import QDAAnalysis

@Suite struct QCATests {
    /// Lipset's interwar Europe, calibrated to crisp sets (the R package QCA's `LC`; Rihoux
    /// and De Meur 2009, whose truth table the QCA3 package's vignette reprints: 9
    /// configurations, 10 cases without and 8 with survival of democracy).
    static let lipsetCrisp: [(String, [Double], Double)] = [
        ("AU", [1, 0, 1, 1, 0], 0), ("BE", [1, 1, 1, 1, 1], 1), ("CZ", [1, 1, 1, 1, 1], 1),
        ("EE", [0, 0, 1, 0, 1], 0), ("FI", [1, 0, 1, 0, 1], 1), ("FR", [1, 0, 1, 1, 1], 1),
        ("DE", [1, 1, 1, 1, 0], 0), ("GR", [0, 0, 0, 0, 0], 0), ("HU", [0, 0, 1, 0, 0], 0),
        ("IE", [1, 0, 1, 0, 1], 1), ("IT", [0, 0, 0, 0, 1], 0), ("NL", [1, 1, 1, 1, 1], 1),
        ("PL", [0, 0, 1, 0, 0], 0), ("PT", [0, 0, 0, 0, 0], 0), ("RO", [0, 0, 0, 0, 1], 0),
        ("ES", [0, 0, 0, 0, 0], 0), ("SE", [1, 0, 1, 1, 1], 1), ("UK", [1, 1, 1, 1, 1], 1),
    ]

    static var lipset: QCAData {
        QCAData(
            cases: lipsetCrisp.map(\.0), conditions: ["DEV", "URB", "LIT", "IND", "STB"],
            memberships: lipsetCrisp.map(\.1), outcome: "SURV", outcomeMemberships: lipsetCrisp.map(\.2))
    }

    func expressions(_ solution: QCASolutions.Solution) -> [String] { solution.models.map(\.expression) }

    @Test func lipsetsTruthTableHasTheRowsOfThePublishedOne() throws {
        let table = try TruthTable(Self.lipset, inclusionCut: 1)
        #expect(table.observedRows.count == 9)
        #expect(table.rows.filter { $0.output == .positive }.map(\.configuration) == [0b10101, 0b10111, 0b11111])
        #expect(table.rows[0b00000].cases == ["GR", "PT", "ES"])
        #expect(table.rows[0b11111].cases == ["BE", "CZ", "NL", "UK"])
        #expect(table.remainders.count == 23)
        #expect(!table.rows.contains { $0.contradictory })
    }

    @Test func lipsetsPublishedSolutions() throws {
        let data = Self.lipset
        let table = try TruthTable(data, inclusionCut: 1)
        let result = try QCASolutions(data: data, table: table)
        // Rihoux and De Meur (2009): without remainders, and with them (GNPCAP * GOVSTAB).
        #expect(expressions(result.solutions[0]) == ["DEV*~URB*LIT*STB + DEV*LIT*IND*STB"])
        #expect(expressions(result.solutions[1]) == ["DEV*STB"])
        // Hand-checked parameters of fit: the first term covers FI, IE, FR, SE (4 of 8).
        let model = try #require(result.solutions[0].models.first)
        #expect(model.terms.map(\.rawCoverage) == [0.5, 0.75])
        #expect(model.terms.map(\.uniqueCoverage) == [0.25, 0.5])
        #expect(model.terms.map(\.consistency) == [1, 1])
        #expect(model.terms[0].cases == ["FI", "FR", "IE", "SE"])
        #expect(model.consistency == 1 && model.coverage == 1)
        // The absence of survival: "gnpcap + govstab" with remainders.
        let negated = data.negated()
        let other = try QCASolutions(data: negated, table: try TruthTable(negated, inclusionCut: 1), negated: true)
        #expect(expressions(other.solutions[0]) == ["~DEV*~URB*~IND + DEV*LIT*IND*~STB"])
        #expect(expressions(other.solutions[1]) == ["~DEV + ~STB"])
        #expect(other.solutions[1].negated)
    }

    @Test func theIntermediateSolutionDropsOnlyEasyCounterfactuals() throws {
        let data = Self.lipset
        let table = try TruthTable(data, inclusionCut: 1)
        // Expect every condition's presence to favour survival: ~URB contradicts the
        // expectation and goes; the present conditions stay unless the parsimonious term
        // already holds them.
        let result = try QCASolutions(data: data, table: table, directions: Array(repeating: .present, count: 5))
        let intermediate = try #require(result.solutions.last)
        #expect(intermediate.kind == .intermediate)
        #expect(expressions(intermediate) == ["DEV*LIT*STB"])
        // With no expectations the intermediate solution is the complex one.
        let none = try QCASolutions(data: data, table: table, directions: Array(repeating: .either, count: 5))
        #expect(expressions(none.solutions[2]) == expressions(none.solutions[0]))
        #expect(result.simplifyingAssumptions.count > 0)
    }

    /// Four cases, two fuzzy conditions: every number below computed by hand.
    @Test func fuzzyConsistencyPRIAndCoverageByHand() throws {
        let data = QCAData(
            cases: ["c1", "c2", "c3", "c4"], conditions: ["A", "B"],
            memberships: [[0.8, 0.6], [0.7, 0.2], [0.3, 0.9], [0.1, 0.3]], outcome: "Y",
            outcomeMemberships: [0.9, 0.6, 0.4, 0.2])
        let table = try TruthTable(data, inclusionCut: 0.8)
        let close = { (a: Double?, b: Double) in abs((a ?? -1) - b) < 1e-9 }
        #expect(close(table.rows[0b11].consistency, 1.0))
        #expect(close(table.rows[0b10].consistency, 1.2 / 1.3))
        #expect(close(table.rows[0b01].consistency, 1.0 / 1.4))
        #expect(close(table.rows[0b00].consistency, 0.8 / 1.3))
        #expect(close(table.rows[0b11].pri, 1.0))
        #expect(close(table.rows[0b10].pri, 0.5 / 0.6))
        #expect(table.rows.map(\.output) == [.negative, .negative, .positive, .positive])
        #expect(table.rows.map(\.cases) == [["c4"], ["c3"], ["c2"], ["c1"]])
        let result = try QCASolutions(data: data, table: table)
        #expect(expressions(result.solutions[0]) == ["A"])
        let term = try #require(result.solutions[0].models.first?.terms.first)
        #expect(abs(term.consistency - 1.8 / 1.9) < 1e-9)
        #expect(abs(term.rawCoverage - 1.8 / 2.1) < 1e-9)
        #expect(term.cases == ["c1", "c2"])
        #expect(!term.lowConsistency)
    }

    @Test func contradictionsRemaindersAndFrequencyCut() throws {
        let data = QCAData(
            cases: ["a", "b", "c", "d"], conditions: ["X", "Z"], memberships: [[1, 1], [1, 1], [0, 1], [1, 0]],
            outcome: "Y", outcomeMemberships: [1, 0, 1, 1])
        let table = try TruthTable(data, inclusionCut: 0.8, frequencyCut: 1)
        #expect(table.rows[0b11].contradictory)
        #expect(table.rows[0b11].consistency == 0.5)
        #expect(table.rows[0b11].output == .negative)
        #expect(table.rows[0b00].output == .remainder)
        let strict = try TruthTable(data, inclusionCut: 0.8, frequencyCut: 2)
        #expect(strict.rows.map(\.output) == [.remainder, .remainder, .remainder, .negative])
        #expect(throws: AnalysisError.inclusionCutOutOfRange(1.5)) { try TruthTable(data, inclusionCut: 1.5) }
    }

    // MARK: - Calibration

    @Test func directCalibrationFollowsRaginsFormula() throws {
        // Ragin (2008), GNP per capita: full non-membership 2,500, crossover 5,000, full
        // membership 20,000 US dollars; log-odds ±3 at the anchors.
        let gnp = Calibration.fuzzy(exclusion: 2500, crossover: 5000, inclusion: 20000, logOdds: 3)
        let expected: [(Double, Double)] = [
            (40110, 1.00), (34400, 1.00), (25200, 0.98), (20060, 0.95), (17090, 0.92), (15320, 0.89), (9800, 0.72),
            (7470, 0.62), (5000, 0.50), (4670, 0.40), (4100, 0.25), (2980, 0.08), (2500, 0.05), (1000, 0.01),
        ]
        for (value, membership) in expected {
            #expect((gnp.membership(value) * 100).rounded() / 100 == membership, "\(value)")
        }
        // R's QCA package puts 0.95 at the anchors: the second decimal changes.
        let r = Calibration.fuzzy(exclusion: 2500, crossover: 5000, inclusion: 20000, logOdds: Calibration.rQCALogOdds)
        #expect(abs(r.membership(20000) - 0.95) < 1e-12)
        #expect(abs(gnp.membership(20000) - 0.9526) < 1e-4)
        // A downward set: "low unemployment", full membership at 2 %, none at 10 %.
        let low = Calibration.fuzzy(exclusion: 10, crossover: 5, inclusion: 2, logOdds: 3)
        #expect(low.membership(1) > 0.95 && low.membership(12) < 0.05 && low.membership(5) == 0.5)
        #expect(Calibration.crisp(threshold: 550).membership(586) == 1)
        #expect(throws: AnalysisError.anchorsOutOfOrder(column: "x", exclusion: 1, crossover: 3, inclusion: 2)) {
            try Calibration.fuzzy(exclusion: 1, crossover: 3, inclusion: 2, logOdds: 3).validate(name: "x")
        }
        let suggested = Calibration.suggestedAnchors([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(suggested.exclusion == 2 && suggested.crossover == 6 && suggested.inclusion == 10)
    }

    // MARK: - Against brute force

    /// Every cube, by brute force: those whose configurations are all positive or free,
    /// with at least one positive, and with no literal that can be dropped.
    static func brutePrimes(k: Int, on: Set<Int>, dc: Set<Int>) -> Set<Implicant> {
        var implicants: Set<Implicant> = []
        for mask in 0..<(1 << k) {
            var value = mask
            while true {
                let cube = Implicant(mask: mask, value: value)
                let members = (0..<(1 << k)).filter { cube.covers($0) }
                if members.allSatisfy({ on.contains($0) || dc.contains($0) }) && members.contains(where: on.contains) {
                    implicants.insert(cube)
                }
                if value == 0 { break }
                value = (value - 1) & mask
            }
        }
        return implicants.filter { term in
            !(0..<k).contains { j in
                let bit = 1 << j
                guard term.mask & bit != 0 else { return false }
                let wider = Implicant(mask: term.mask & ~bit, value: term.value & ~bit)
                let members = (0..<(1 << k)).filter { wider.covers($0) }
                return members.allSatisfy { on.contains($0) || dc.contains($0) }
            }
        }
    }

    @Test(arguments: [2, 3, 4, 5, 6, 7, 8])
    func minimisationMatchesBruteForce(conditions k: Int) {
        var generator = SeededGenerator(seed: UInt64(k) * 7919)
        for _ in 0..<(k <= 6 ? 12 : 4) {
            var on: Set<Int> = []
            var dc: Set<Int> = []
            // Denser functions for few conditions; for many, the sparse tables QCA meets.
            let (onShare, dcShare) = k <= 6 ? (30, 20) : (12, 12)
            for configuration in 0..<(1 << k) {
                let draw = Int.random(in: 0..<100, using: &generator)
                if draw < onShare {
                    on.insert(configuration)
                } else if draw < onShare + dcShare {
                    dc.insert(configuration)
                }
            }
            guard !on.isEmpty else { continue }
            let result = Minimizer.minimize(conditions: k, positive: on.sorted(), dontCare: dc.sorted())
            let primes = Self.brutePrimes(k: k, on: on, dc: dc)
            #expect(Set(result.primeImplicants) == primes)
            // Every model is equivalent to the function: all positives covered, nothing
            // outside positives and don't-cares.
            for model in result.models {
                for configuration in 0..<(1 << k) {
                    let covered = model.contains { $0.covers(configuration) }
                    if on.contains(configuration) { #expect(covered) }
                    if covered { #expect(on.contains(configuration) || dc.contains(configuration)) }
                }
            }
            // Minimality, and all minimal covers found, where brute force can afford it.
            let sortedPrimes = primes.sorted()
            guard sortedPrimes.count <= 14, let size = result.models.first?.count, !result.truncated else { continue }
            func covers(_ subset: [Implicant]) -> Bool {
                on.allSatisfy { configuration in subset.contains { $0.covers(configuration) } }
            }
            var smaller = false
            var allOfSize: Set<[Implicant]> = []
            func choose(_ start: Int, _ picked: [Implicant], _ limit: Int) {
                if picked.count == limit {
                    if covers(picked) {
                        if limit < size { smaller = true } else { allOfSize.insert(picked.sorted()) }
                    }
                    return
                }
                guard start < sortedPrimes.count else { return }
                for index in start..<sortedPrimes.count { choose(index + 1, picked + [sortedPrimes[index]], limit) }
            }
            for limit in 1...size { choose(0, [], limit) }
            #expect(!smaller)
            #expect(allOfSize == Set(result.models))
        }
    }
}
