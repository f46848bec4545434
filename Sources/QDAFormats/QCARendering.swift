import Foundation
public import QDAAnalysis

/// Renders the QCA results in the usual formats (docs/qca.md#output).
public enum QCARendering {
    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.3f", value)
    }

    /// A value as a person writes it: up to four significant digits.
    static func short(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    static func configuration(_ table: TruthTable, _ row: TruthTable.Row) -> String {
        (0..<table.conditions.count).map { table.value(row.configuration, condition: $0) ? "1" : "0" }.joined()
    }

    static func describe(_ applied: CalibrationPlan.Applied, logOdds: Double) -> String {
        switch applied.calibration {
        case nil:
            return "\(applied.column): memberships as given"
        case .crisp(let threshold)?:
            return "\(applied.column): crisp, 1 at or above \(short(threshold))"
                + (applied.suggested ? " (suggested: the median)" : "")
        case .fuzzy(let e, let c, let i, let odds)?:
            return "\(applied.column): fuzzy (direct method, log-odds ±\(String(format: "%.3f", odds))), anchors "
                + "\(short(e)) / \(short(c)) / \(short(i))"
                + (applied.suggested ? " (suggested: 10th, 50th, 90th percentiles)" : "")
        }
    }

    // MARK: Calibration

    private struct CalibrationJSON: Encodable {
        struct Column: Encodable {
            var name: String
            var method: String
            var anchors: [Double]?
            var threshold: Double?
            var logOdds: Double?
            var suggested: Bool
            enum CodingKeys: String, CodingKey {
                case name, method, anchors, threshold, suggested
                case logOdds = "log_odds"
            }
        }
        struct Case: Encodable {
            var name: String
            var raw: [String: Double]
            var membership: [String: Double]
            enum CodingKeys: String, CodingKey {
                case raw, membership
                case name = "case"
            }
        }
        var columns: [Column]
        var cases: [Case]
        var excluded: [String]
    }

    /// Renders calibrated QCA data: the memberships and how each column was calibrated.
    public static func render(
        calibration applied: [CalibrationPlan.Applied], cases: [String], excluded: [String], logOdds: Double,
        format: OutputFormat
    ) throws -> String {
        switch format {
        case .json:
            let columns = applied.map { item -> CalibrationJSON.Column in
                switch item.calibration {
                case nil: return .init(name: item.column, method: "none", suggested: false)
                case .crisp(let t)?:
                    return .init(name: item.column, method: "crisp", threshold: t, suggested: item.suggested)
                case .fuzzy(let e, let c, let i, let odds)?:
                    return .init(
                        name: item.column, method: "fuzzy", anchors: [e, c, i].map(rounded), logOdds: rounded(odds),
                        suggested: item.suggested)
                }
            }
            let rows = cases.indices.map { index in
                CalibrationJSON.Case(
                    name: cases[index],
                    raw: Dictionary(uniqueKeysWithValues: applied.map { ($0.column, rounded($0.raw[index])) }),
                    membership: Dictionary(
                        uniqueKeysWithValues: applied.map { ($0.column, rounded($0.memberships[index])) }))
            }
            return try JSONOutput.encode(CalibrationJSON(columns: columns, cases: rows, excluded: excluded))
        case .table, .csv, .markdown:
            var header = ["case"]
            for item in applied { header += [item.column, "→"] }
            var table = TextTable(
                header: header, alignments: [.left] + Array(repeating: .right, count: applied.count * 2))
            for index in cases.indices {
                var row = [cases[index]]
                for item in applied {
                    row += [String(format: "%.3f", item.raw[index]), number(item.memberships[index])]
                }
                table.append(row)
            }
            if format == .csv { return table.render(.csv) }
            var lines = (format == .markdown ? "## " : "") + "Calibration\n\n"
            for item in applied { lines += "- " + describe(item, logOdds: logOdds) + "\n" }
            if !excluded.isEmpty {
                lines += "- left out (too few segments to rate): " + excluded.joined(separator: "; ") + "\n"
            }
            return lines + "\n" + table.render(format)
        }
    }

    // MARK: Truth table

    private struct TableJSON: Encodable {
        struct Row: Encodable {
            var configuration: String
            var values: [String: Int]
            var out: String
            var n: Int
            var incl: Double?
            var pri: Double?
            var cases: [String]
            var contradictory: Bool
        }
        var outcome: String
        var conditions: [String]
        var inclCut: Double
        var nCut: Int
        var rows: [Row]
        var remainders: [String]
        var ambiguousCases: [String]
        enum CodingKeys: String, CodingKey {
            case outcome, conditions, rows, remainders
            case inclCut = "incl_cut"
            case nCut = "n_cut"
            case ambiguousCases = "ambiguous_cases"
        }
    }

    /// Renders a truth table.
    public static func render(_ table: TruthTable, format: OutputFormat) throws -> String {
        let remainders = table.remainders.map {
            Implicant(mask: (1 << table.conditions.count) - 1, value: $0.configuration).expression(table.conditions)
        }
        switch format {
        case .json:
            let rows = table.observedRows.map { row in
                TableJSON.Row(
                    configuration: configuration(table, row),
                    values: Dictionary(
                        uniqueKeysWithValues: table.conditions.indices.map {
                            (table.conditions[$0], table.value(row.configuration, condition: $0) ? 1 : 0)
                        }), out: row.output.rawValue, n: row.cases.count, incl: row.consistency.map(rounded),
                    pri: row.pri.map(rounded), cases: row.cases, contradictory: row.contradictory)
            }
            return try JSONOutput.encode(
                TableJSON(
                    outcome: table.outcome, conditions: table.conditions, inclCut: table.inclusionCut,
                    nCut: table.frequencyCut, rows: rows, remainders: remainders, ambiguousCases: table.ambiguousCases))
        case .table, .csv, .markdown:
            var text = TextTable(
                header: table.conditions + ["OUT", "n", "incl", "PRI", "cases"],
                alignments: Array(repeating: .right, count: table.conditions.count + 4) + [.left])
            for row in table.observedRows {
                let bits = (0..<table.conditions.count).map {
                    table.value(row.configuration, condition: $0) ? "1" : "0"
                }
                text.append(
                    bits + [
                        row.output.rawValue + (row.contradictory ? " C" : ""), String(row.cases.count),
                        number(row.consistency), number(row.pri), row.cases.joined(separator: ", "),
                    ])
            }
            if format == .csv { return text.render(.csv) }
            var lines = (format == .markdown ? "## " : "") + "Truth table for \(table.outcome)\n\n"
            lines += "Rule: OUT = 1 where incl >= \(table.inclusionCut) (--incl-cut) and n >= \(table.frequencyCut) "
            lines += "(--n-cut); rows with fewer cases are logical remainders (?). C marks a contradictory row.\n\n"
            lines += text.render(format)
            lines += "\nLogical remainders: \(remainders.count) of \(table.rows.count) configurations"
            lines +=
                remainders.count <= 16 && !remainders.isEmpty ? ": " + remainders.joined(separator: ", ") + "\n" : ".\n"
            let contradictory = table.rows.filter(\.contradictory)
            if !contradictory.isEmpty {
                lines +=
                    "Contradictory rows: " + contradictory.map { configuration(table, $0) }.joined(separator: ", ")
                    + "\n"
            }
            if !table.ambiguousCases.isEmpty {
                lines +=
                    "In no row (a membership of exactly 0.5): " + table.ambiguousCases.joined(separator: ", ") + "\n"
            }
            return lines
        }
    }

    // MARK: Solutions

    private struct SolutionsJSON: Encodable {
        var solutions: [QCASolutions.Solution]
        var inclCut: Double
        var nCut: Int
        var simplifyingAssumptions: [String]
        var contradictoryRows: [String]
        var whyNoSolution: String?
        enum CodingKeys: String, CodingKey {
            case solutions
            case whyNoSolution = "why_no_solution"
            case inclCut = "incl_cut"
            case nCut = "n_cut"
            case simplifyingAssumptions = "simplifying_assumptions"
            case contradictoryRows = "contradictory_rows"
        }
    }

    /// Renders the solutions with their fit.
    public static func render(_ result: QCASolutions, format: OutputFormat) throws -> String {
        let table = result.table
        let contradictory = table.rows.filter(\.contradictory).map { configuration(table, $0) }
        switch format {
        case .json:
            return try JSONOutput.encode(
                SolutionsJSON(
                    solutions: result.solutions, inclCut: table.inclusionCut, nCut: table.frequencyCut,
                    simplifyingAssumptions: result.simplifyingAssumptions, contradictoryRows: contradictory,
                    whyNoSolution: result.whyNoSolution))
        case .table, .csv, .markdown:
            var text = TextTable(
                header: ["solution", "model", "term", "incl", "cov.r", "cov.u", "cases"],
                alignments: [.left, .left, .left, .right, .right, .right, .left])
            for solution in result.solutions {
                for (m, model) in solution.models.enumerated() {
                    for term in model.terms {
                        text.append([
                            solution.kind.rawValue, "M\(m + 1)",
                            term.expression + (term.lowConsistency ? " (low)" : ""),
                            number(term.consistency), number(term.rawCoverage), number(term.uniqueCoverage),
                            (term.cases + term.deviantCases.map { $0 + "*" }).joined(separator: ", "),
                        ])
                    }
                    text.append([
                        solution.kind.rawValue, "M\(m + 1)", "solution", number(model.consistency),
                        number(model.coverage), "", "",
                    ])
                }
            }
            if format == .csv { return text.render(.csv) }
            let heading = format == .markdown ? "## " : ""
            var lines =
                heading
                + "Solutions for \(table.outcome) (incl.cut \(table.inclusionCut), n.cut \(table.frequencyCut))\n\n"
            for solution in result.solutions {
                let what: String
                switch solution.kind {
                case .complex: what = "complex (no remainders)"
                case .parsimonious: what = "parsimonious (remainders as don't-cares)"
                case .intermediate: what = "intermediate (easy counterfactuals only)"
                }
                lines += "\(what):\n"
                if solution.models.isEmpty { lines += "  no configuration is consistent with \(table.outcome)\n" }
                for (m, model) in solution.models.enumerated() {
                    lines += "  M\(m + 1): \(model.expression) -> \(table.outcome)\n"
                }
                if solution.truncated {
                    lines +=
                        "  (more minimal models exist, or minimality was not proven; listed: \(solution.models.count))\n"
                }
                if solution.rowDominance {
                    lines +=
                        "  (large chart reduced by row dominance: models using a dominated prime implicant not listed)\n"
                }
            }
            lines += "\n" + text.render(format)
            lines +=
                "\nincl: consistency; cov.r / cov.u: raw and unique coverage; * marks a case in the term but not in "
            lines += "the outcome; (low) marks a term below the inclusion cut.\n"
            if !result.simplifyingAssumptions.isEmpty {
                lines += "Simplifying assumptions (remainders in the parsimonious solution): "
                lines += "\(result.simplifyingAssumptions.count)\n"
            }
            if !contradictory.isEmpty { lines += "Contradictory rows: " + contradictory.joined(separator: ", ") + "\n" }
            if let why = result.whyNoSolution { lines += "\n" + why + "\n" }
            return lines
        }
    }
}
