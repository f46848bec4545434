import Foundation
import QDACodebook
import QDAKitTestSupport
import Testing

@testable import QDAKit

@Suite struct CodebookLoaderTests {
    let valid = """
        codebook: Test
        version: "1"
        valence:
          positive: [strong]
          negative: [weak]
        groups:
          - key: technology
            label: Technology
            codes:
              - key: base
                label: Technology base
                keywords: [university, "R&D", 研发]
                codes:
                  - key: patents
                    label: Patents
                    keywords: [patent*]
          - key: market
            label: Market
            codes:
              - key: demand
                label: Demand
                keywords: [demand, customer*]
        """

    func problems(_ yaml: String) -> [ValidationProblem] {
        do {
            _ = try CodebookLoader().parse(yaml: yaml, path: "cb.yaml")
            return []
        } catch let CodebookError.invalidCodebook(_, problems) {
            return problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func loadsGroupsCodesAndSubCodesWithDottedKeys() throws {
        let result = try CodebookLoader().parse(yaml: valid, path: "cb.yaml")
        #expect(result.warnings.isEmpty)
        let codebook = result.codebook
        #expect(codebook.name == "Test")
        #expect(codebook.groups.map(\.key) == ["technology", "market"])
        #expect(codebook.allCodes.map(\.key) == ["technology.base", "technology.base.patents", "market.demand"])
        #expect(codebook.allCodes[1].parentKey == "technology.base")
        #expect(codebook.allCodes[0].keywords == ["university", "R&D", "研发"])
        #expect(codebook.valence == ValenceCues(positive: ["strong"], negative: ["weak"]))
        #expect(codebook.negations == Codebook.defaultNegations)
    }

    @Test func reportsEveryProblemWithItsLine() {
        let yaml = """
            codebook: Test
            groups:
              - key: technology
                label: Technology
                codes:
                  - key: Base
                    label: Technology base
                    keywrods: [university]
                  - key: talent
                    keywords: ["in*novation", "", "***"]
            """
        #expect(
            problems(yaml).map { $0.formatted(file: "cb.yaml") } == [
                "cb.yaml:6: error: code 'technology.Base': the key 'Base' may use only lower-case letters, digits, '_' and '-' (dots are added from the nesting).",
                "cb.yaml:8: error: a code under 'technology': unknown field 'keywrods'. Did you mean 'keywords'? Known fields: key, label, definition, include, exclude, examples, keywords, exclusions, near, valence, codes, color, guid.",
                "cb.yaml:9: error: code 'technology.talent': the field 'label' is required.",
                "cb.yaml:10: error: code 'technology.talent': keywords entry 'in*novation': '*' may only end a keyword (a stem such as 'innovat*').",
                "cb.yaml:10: error: code 'technology.talent': keywords has an empty entry.",
                "cb.yaml:10: error: code 'technology.talent': keywords entry '***' has no letters or digits.",
            ])
    }

    @Test func syntaxErrorsCarryTheirLine() {
        let found = problems("codebook: Test\ngroups:\n  - key: a\n    label: [unclosed\n")
        #expect(found.count == 1)
        #expect((found.first?.line ?? 0) >= 4)
    }

    @Test func duplicateKeysAreErrors() {
        let yaml = """
            codebook: T
            groups:
              - key: a
                label: A
                codes:
                  - {key: x, label: X, keywords: [one]}
                  - {key: x, label: X again, keywords: [two]}
            """
        #expect(problems(yaml).map(\.message) == ["code 'a.x': the key 'a.x' is already used on line 6."])
    }

    @Test func missingGroupsAndUnknownTopLevelFields() {
        let found = problems("codebook: T\ngrups: []\n")
        #expect(found.map(\.message).contains { $0.contains("unknown field 'grups'. Did you mean 'groups'?") })
        #expect(found.map(\.message).contains("the codebook: the field 'groups' is required."))
    }

    @Test func warningsDoNotStopALoad() throws {
        let yaml = """
            codebook: T
            groups:
              - key: a
                label: A
                codes:
                  - {key: x, label: X, keywords: [talent, talent, in*]}
                  - {key: y, label: Y, keywords: [talent]}
                  - {key: z, label: Z}
                  - {key: w, label: W, keywords: [研*]}
            """
        let result = try CodebookLoader().parse(yaml: yaml, path: "cb.yaml")
        let messages = result.warnings.map(\.message)
        #expect(messages.contains("code 'a.x': keywords entry 'talent' is listed twice."))
        #expect(messages.contains("code 'a.x': keywords entry 'in*': a stem of 2 letters matches very many words."))
        #expect(messages.contains("code 'a.z' has no keywords and no sub-codes: the auto-coder will never assign it."))
        #expect(messages.contains { $0.contains("'*' has no effect on Chinese terms") })
        #expect(messages.contains("the keyword 'talent' is listed under a.x and a.y; it codes each of them."))
        #expect(result.warnings.allSatisfy { $0.severity == .warning })
        #expect(result.codebook.allCodes[0].keywords == ["talent", "in*"])
    }

    @Test func nearRulesAreValidatedWithTheirLine() {
        let found = problems(
            """
            codebook: T
            groups:
              - key: g
                label: G
                codes:
                  - key: a
                    label: A
                    near: ["university NEAR/x firms", "talent NEAR/2 in*novation"]
            """)
        #expect(found.map(\.line) == [8, 8])
        #expect(found.first?.message.contains("is not of the form 'term NEAR/n term'") == true)
        #expect(found.last?.message.contains("'*' may only end a keyword") == true)
    }

    @Test func badTypologiesAreReportedWithTheirLines() {
        let found = problems(
            """
            codebook: T
            groups:
              - key: g
                label: G
                codes:
                  - {key: a, label: A, keywords: [alpha]}
            typology:
              - key: t
                label: T
                when:
                  g: "at least +"
                  g.zzz: ">= +"
                qca: [g.a, g.yyy]
            """)
        #expect(found.map(\.line) == [11, 12, 13])
        #expect(found.contains { $0.message == "typology rule 't' (qca): 'g.yyy' is not a group or code key." })
        #expect(found.first?.message.contains("'at least +' is not a condition") == true)
        #expect(found.contains { $0.message == "typology rule 't': 'g.zzz' is not a group or code key." })
    }

    @Test func theBundledCodebookLoadsWithoutWarnings() throws {
        let path = #filePath.replacingOccurrences(
            of: "Tests/QDAKitTests/CodebookLoaderTests.swift", with: "codebooks/china-regional-innovation.yaml")
        let result = try CodebookLoader().load(path: path)
        #expect(result.warnings.map { $0.formatted(file: path) } == [])
        #expect(result.codebook.groups.map(\.key) == ["technology", "market", "mindset", "innovation"])
        #expect(result.codebook.groups.map(\.role) == [.factor, .factor, .factor, .outcome])
        #expect(
            result.codebook.typology.map(\.key) == ["science-driven", "cost-oriented", "user-driven", "grassroots"])
        // Every type names the conditions QCA analyses it with.
        #expect(result.codebook.typology.allSatisfy { $0.qcaConditions.count == 3 })
    }

    @Test func coloursAndGUIDsAreCheckedAndKept() throws {
        let good = """
            codebook: Colours
            groups:
              - key: market
                label: Market
                color: "#abc"
                guid: "{C0DE0000-0000-0000-0000-000000000001}"
                codes:
                  - key: demand
                    label: Demand
                    color: "rgb(255, 0, 128)"
                    keywords: [demand]
            """
        let codebook = try CodebookLoader().parse(yaml: good, path: "cb.yaml").codebook
        #expect(codebook.groups[0].color == "#AABBCC")
        #expect(codebook.groups[0].guid == "C0DE0000-0000-0000-0000-000000000001")
        #expect(codebook.allCodes[0].color == "#FF0080")
        let bad = good.replacingOccurrences(of: "\"#abc\"", with: "red").replacingOccurrences(
            of: "{C0DE0000-0000-0000-0000-000000000001}", with: "not-a-guid")
        #expect(
            problems(bad).map { $0.formatted(file: "cb.yaml") } == [
                "cb.yaml:5: error: group 'market': color 'red' is not #RRGGBB or #RGB.",
                "cb.yaml:6: error: group 'market': guid 'not-a-guid' is not a GUID (8-4-4-4-12 hexadecimal digits).",
            ])
    }

    @Test func renamingACodeRenamesItInTheTypologysQCAConditions() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(
            "cb.yaml",
            valid + """

                typology:
                  - key: t
                    label: T
                    when: {market.demand: ">= +"}
                    qca: [market.demand, technology.base]
                """)
        let project = try Project.inMemory()
        _ = try project.loadCodebook(path: path)
        let edited = try project.editCodebook(.rename("market.demand", to: "needs"))
        let reloaded = try CodebookLoader().parse(yaml: edited.yaml, path: "edited.yaml").codebook
        #expect(reloaded.typology.first?.qcaConditions == ["market.needs", "technology.base"])
        #expect(reloaded.typology.first?.conditions.map(\.key) == ["market.needs"])
    }
}
