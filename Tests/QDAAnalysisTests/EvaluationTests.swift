import Testing

@testable import QDAAnalysis

/// The auto-coder's evaluation on a case small enough to count by hand.
@Suite struct EvaluationTests {
    typealias Coding = CoderEvaluation.Input.Coding

    /// Four units; codes a.x, a.y, b.z in groups a and b.
    ///
    /// | unit | person        | machine        |
    /// |------|---------------|----------------|
    /// | 1    | a.x (+1)      | a.x (+1)       |
    /// | 2    | a.y           | a.x            |
    /// | 3    | b.z           | –              |
    /// | 4    | –             | b.z (rule "z") |
    ///
    /// a.x: TP 1 (unit 1), FP 1 (unit 2) → P 0.5, R 1, F1 2/3. a.y: FN 1 → R 0, F1 0.
    /// b.z: FP 1, FN 1 → P 0, R 0, F1 0. Group a: TP 2 (units 1, 2). Group b: FP 1, FN 1.
    /// All codes: TP 1, FP 2, FN 2 → P 1/3, R 1/3.
    static let input = CoderEvaluation.Input(
        units: [
            .init(id: 1, document: "d1", text: "alpha beta gamma"),
            .init(id: 2, document: "d1", text: "delta epsilon"),
            .init(id: 3, document: "d2", text: "zeta eta"),
            .init(id: 4, document: "d2", text: "theta z iota"),
        ],
        codes: ["a.x", "a.y", "b.z"], groups: ["a", "b"],
        machine: [
            Coding(segment: 1, code: "a.x", start: 0, end: 5, valence: 1, rule: "matched \"alpha\""),
            Coding(segment: 2, code: "a.x", start: 0, end: 5, valence: 0),
            Coding(segment: 4, code: "b.z", start: 6, end: 7, valence: 0, rule: "matched \"z\""),
        ],
        person: [
            Coding(segment: 1, code: "a.x", start: 0, end: 10, valence: 1),
            Coding(segment: 2, code: "a.y", start: 6, end: 13, valence: 0),
            Coding(segment: 3, code: "b.z", start: 0, end: 4, valence: -1),
        ])

    @Test func presencePerCodeAndGroupCountedByHand() {
        let e = CoderEvaluation(Self.input, machine: "auto", person: "ann")
        #expect(e.units == 4 && e.documents == 2)
        let x = e.codes[0]
        #expect((x.truePositives, x.falsePositives, x.falseNegatives) == (1, 1, 0))
        #expect(x.precision == 0.5 && x.recall == 1)
        #expect(abs((x.f1 ?? 0) - 2.0 / 3) < 1e-12)
        let y = e.codes[1]
        #expect((y.truePositives, y.falsePositives, y.falseNegatives) == (0, 0, 1))
        #expect(y.precision == nil && y.recall == 0 && y.f1 == 0)
        let z = e.codes[2]
        #expect((z.truePositives, z.falsePositives, z.falseNegatives) == (0, 1, 1))
        #expect(e.groups.map(\.truePositives) == [2, 0])
        #expect(e.groups.map(\.falsePositives) == [0, 1])
        #expect(e.groups.map(\.falseNegatives) == [0, 1])
        #expect(e.groups[0].f1 == 1)
        #expect(e.overall.truePositives == 1 && e.overall.falsePositives == 2 && e.overall.falseNegatives == 2)
        #expect(abs((e.overall.precision ?? 0) - 1.0 / 3) < 1e-12)
    }

    @Test func spansValenceConfusionAndErrors() {
        let e = CoderEvaluation(Self.input, machine: "auto", person: "ann")
        // Only unit 1's a.x codings overlap: [0,5) inside [0,10): overlap 5 / union 10.
        #expect(e.spans.machine == 3 && e.spans.machineOverlapping == 1)
        #expect(e.spans.person == 3 && e.spans.personFound == 1)
        #expect(e.spans.meanOverlap == 0.5)
        // Valence compared in unit 1 only: +1 and +1.
        #expect(e.valence.compared == 1 && e.valence.agreed == 1)
        #expect(e.valence.matrix[2][2] == 1)
        // Unit 2: the person's a.y, the machine's a.x instead; unit 3: nothing instead;
        // unit 4: the machine's b.z where the person coded nothing.
        #expect(e.confusion.contains(.init(person: "a.y", machine: "a.x", count: 1)))
        #expect(e.confusion.contains(.init(person: "b.z", machine: "", count: 1)))
        #expect(e.confusion.contains(.init(person: "", machine: "b.z", count: 1)))
        #expect(e.errors.count == 4)
        let miss = e.errors.first { $0.kind == "miss" && $0.code == "a.y" }
        #expect(miss?.passage == "epsilon" && miss?.cause == "a sibling code fired" && miss?.instead == ["a.x"])
        #expect(e.errors.first { $0.code == "b.z" && $0.kind == "miss" }?.cause == "no rule fired")
        let alarm = e.errors.first { $0.kind == "false alarm" && $0.code == "b.z" }
        #expect(alarm?.rule == "matched \"z\"" && alarm?.cause == "uncoded unit" && alarm?.passage == "z")
        #expect(e.errorKinds.map(\.count).reduce(0, +) == 4)
    }

    @Test func aUnitOutsideTheDocumentsThePersonCodedIsNotCounted() {
        var input = Self.input
        input.machine.append(Coding(segment: 99, code: "a.x", start: 0, end: 1, valence: 0))
        let e = CoderEvaluation(input, machine: "auto", person: "ann")
        #expect(e.codes[0].falsePositives == 1)
    }
}
