import QDAKitTestSupport
import Testing

@testable import QDAAnalysis

/// Agreement coefficients against published worked examples and hand counts.
@Suite struct ReliabilityTests {
    /// Two coders from a 2 × 2 table: both yes, yes/no, no/yes, both no.
    func twoByTwo(_ yy: Int, _ yn: Int, _ ny: Int, _ nn: Int) -> ReliabilityData {
        let units =
            Array(repeating: [1, 1], count: yy) + Array(repeating: [1, 0], count: yn)
            + Array(repeating: [0, 1], count: ny) + Array(repeating: [0, 0], count: nn)
        return ReliabilityData(coders: ["A", "B"], units: units.map { .init(values: $0) })
    }

    @Test func cohenKappaOfTheTextbookTable() throws {
        // 50 units: 20 both yes, 5 A only, 10 B only, 15 both no. po = 0.7;
        // pe = 0.5 × 0.6 + 0.5 × 0.4 = 0.5; κ = (0.7 − 0.5) / 0.5 = 0.4.
        let data = twoByTwo(20, 5, 10, 15)
        #expect(Reliability.percentAgreement(data).value == 0.7)
        #expect(try #require(Reliability.cohenKappa(data).value).isClose(to: 0.4))
        // Fleiss' κ for two coders uses pooled proportions: p(yes) = 0.55, pe = 0.505,
        // κ = (0.7 − 0.505) / 0.495 = 0.3939.
        #expect(try #require(Reliability.fleissKappa(data).value).isClose(to: 0.195 / 0.495))
        // AC1: π(yes) = 0.55, pe = 2 × 0.55 × 0.45 = 0.495; (0.7 − 0.495) / 0.505 = 0.4059.
        #expect(try #require(Reliability.gwetAC1(data).value).isClose(to: 0.205 / 0.505))
        // α: coincidences 2 × 20 + ... n = 100; Do = 15 pairs × 2 / 100; De from n(yes) = 55,
        // n(no) = 45: α = 1 − 99 × 30 / (2 × 55 × 45) = 0.4.
        #expect(try #require(Reliability.krippendorffAlpha(data).value).isClose(to: 1 - 99.0 * 30 / (2 * 55 * 45)))
    }

    @Test func krippendorffsReliabilityDataExample() throws {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
        // four observers, twelve units, missing values; nominal α = 0.743.
        let rows: [[Int?]] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        let data = ReliabilityData(
            coders: ["A", "B", "C", "D"], units: (0..<12).map { u in .init(values: rows.map { $0[u] }) })
        let alpha = try #require(Reliability.krippendorffAlpha(data).value)
        #expect((alpha * 1000).rounded() / 1000 == 0.743)
        // Unit 12 has one value only and counts for nothing; so no coefficient needs it.
        #expect(Reliability.fleissKappa(data).value != nil)
    }

    @Test func fleissKappaOfTheWikipediaExample() throws {
        // Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories;
        // κ = 0.210.
        let counts = [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ]
        let units = counts.map { row in
            ReliabilityData.Unit(
                values: row.enumerated().flatMap { category, n in Array(repeating: category, count: n) })
        }
        let data = ReliabilityData(coders: (1...14).map { "R\($0)" }, units: units)
        let kappa = try #require(Reliability.fleissKappa(data).value)
        #expect((kappa * 1000).rounded() / 1000 == 0.21)
        #expect(Reliability.cohenKappa(data).reason?.contains("exactly two") == true)
    }

    @Test func perfectZeroAndUndefinedAgreement() throws {
        let perfect = twoByTwo(10, 0, 0, 10)
        #expect(Reliability.cohenKappa(perfect) == .value(1))
        #expect(Reliability.krippendorffAlpha(perfect) == .value(1))
        #expect(Reliability.percentAgreement(perfect) == .value(1))
        // Always opposite: κ = −1, α below 0.
        let opposite = twoByTwo(0, 10, 10, 0)
        #expect(Reliability.cohenKappa(opposite) == .value(-1))
        #expect(try #require(Reliability.krippendorffAlpha(opposite).value) < 0)
        // One category only: agreement is total, but the chance-corrected coefficients
        // are undefined — null with a reason, never NaN. AC1 stays defined (1).
        let one = twoByTwo(8, 0, 0, 0)
        #expect(Reliability.cohenKappa(one).value == nil)
        #expect(Reliability.cohenKappa(one).reason?.contains("one category") == true)
        #expect(Reliability.fleissKappa(one).value == nil)
        #expect(Reliability.krippendorffAlpha(one).value == nil)
        #expect(Reliability.gwetAC1(one) == .value(1))
        // No unit in common.
        let apart = ReliabilityData(coders: ["A", "B"], units: [.init(values: [1, nil]), .init(values: [nil, 0])])
        #expect(Reliability.cohenKappa(apart).value == nil)
        #expect(Reliability.krippendorffAlpha(apart).value == nil)
    }

    @Test func weightsCountLikeRepeatedUnits() throws {
        // A unit of weight 3 is three equal units (character runs rely on it).
        let weighted = ReliabilityData(
            coders: ["A", "B"],
            units: [
                .init(weight: 20, values: [1, 1]), .init(weight: 5, values: [1, 0]),
                .init(weight: 10, values: [0, 1]), .init(weight: 15, values: [0, 0]),
            ])
        let plain = twoByTwo(20, 5, 10, 15)
        for f in [Reliability.cohenKappa, Reliability.fleissKappa, Reliability.krippendorffAlpha, Reliability.gwetAC1] {
            #expect(try #require(f(weighted).value).isClose(to: try #require(f(plain).value)))
        }
    }
}
