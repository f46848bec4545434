public import ArgumentParser
import Foundation
public import QDAKit

struct QCACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qca",
        abstract: "Qualitative Comparative Analysis of the regions' coded evidence (or of a data table).",
        discussion: """
            Conditions are factor groups or codes, measured per region (--measure, default \
            the pattern report's score) and calibrated into set membership; the outcome is a \
            group or code, type:KEY (the codebook's typology) or attr:KEY=VALUE. With --data \
            FILE.csv the cases, conditions and outcome come from a table instead. The method, \
            formulas and defaults are in docs/qca.md.

            Examples:
              qda qca calibrate --conditions technology,market,mindset
              qda qca table --conditions technology,market,mindset \\
                  --outcome type:science-driven
              qda qca minimize --conditions technology,market,mindset \\
                  --outcome type:user-driven --dir-exp 1,1,1
              qda qca minimize --data examples/lipset.csv \\
                  --conditions DEV,URB,LIT,IND,STB --outcome SURV --incl-cut 1
            """,
        subcommands: [Calibrate.self, Table.self, Minimize.self])

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each case's raw values and set memberships, with the anchors used.")

        @OptionGroup var input: QCAInputOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (raw, conditions, outcome) = try input.raw(project: project, outcomeRequired: false)
            let plan = try input.plan()
            var applied: [CalibrationPlan.Applied] = []
            for column in conditions + (outcome.map { [$0] } ?? []) {
                guard let values = raw.columns[column] else { continue }
                applied.append(
                    try plan.apply(column: column, values: values, isMembership: raw.memberships.contains(column)))
            }
            format.emit(
                try QCARendering.render(
                    calibration: applied, cases: raw.cases, excluded: raw.excluded, logOdds: plan.logOdds,
                    format: format.format))
        }
    }

    struct Table: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the truth table: configurations, cases, consistency, PRI and outcome.")

        @OptionGroup var input: QCAInputOptions
        @OptionGroup var cuts: QCACutOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let data = try input.data(project: project, negated: cuts.negated)
            let table = try TruthTable(data, inclusionCut: cuts.inclCut, frequencyCut: cuts.nCut)
            format.emit(try QCARendering.render(table, format: format.format))
        }
    }

    struct Minimize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Minimise the truth table: complex, parsimonious and intermediate solutions.")

        @OptionGroup var input: QCAInputOptions
        @OptionGroup var cuts: QCACutOptions

        @Option(
            name: .customLong("dir-exp"),
            help: ArgumentHelp(
                "Directional expectations for the intermediate solution, one per condition: 1 (present), 0 (absent), "
                    + "- (either); as 1,0,- or NAME=1,...", valueName: "list"))
        var directions: String?

        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let data = try input.data(project: project, negated: cuts.negated)
            let table = try TruthTable(data, inclusionCut: cuts.inclCut, frequencyCut: cuts.nCut)
            let expectations = try directions.map { try Self.parse($0, conditions: data.conditions) }
            let result = try QCASolutions(data: data, table: table, directions: expectations, negated: cuts.negated)
            format.emit(try QCARendering.render(result, format: format.format))
        }

        static func parse(_ text: String, conditions: [String]) throws -> [DirectionalExpectation] {
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if items.allSatisfy({ $0.contains("=") }) {
                var result = Array(repeating: DirectionalExpectation.either, count: conditions.count)
                for item in items {
                    let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                    guard let index = conditions.firstIndex(of: parts[0]),
                        let value = DirectionalExpectation(rawValue: parts.count > 1 ? parts[1] : "")
                    else {
                        throw ValidationError(
                            "--dir-exp '\(item)': expected CONDITION=1, =0 or =- for a condition given.")
                    }
                    result[index] = value
                }
                return result
            }
            guard items.count == conditions.count else {
                throw ValidationError("--dir-exp needs \(conditions.count) values, one per condition (1, 0 or -).")
            }
            return try items.map { item in
                guard let value = DirectionalExpectation(rawValue: item) else {
                    throw ValidationError("--dir-exp '\(item)' is not 1, 0 or -.")
                }
                return value
            }
        }
    }
}

/// Where the cases come from and how they are calibrated; shared by the QCA commands.
struct QCAInputOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Conditions: groups or codes (or columns of --data).", valueName: "A,B,..."))
    var conditions: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The outcome: a group or code, type:KEY, attr:KEY=VALUE (or a column of --data).", valueName: "outcome"))
    var outcome: String?

    @Option(name: .long, help: ArgumentHelp("A CSV table of cases instead of the project.", valueName: "file"))
    var data: String?

    @Option(name: .customLong("case-column"), help: "With --data: the column naming the cases (default: the first).")
    var caseColumn: String?

    @Option(name: .long, help: "What a condition measures per region: score, share, segments, documents, valence.")
    var measure: QCAMeasure = .score

    @Option(
        name: .long,
        help: ArgumentHelp(
            "fuzzy (direct method), crisp (threshold) or none (values are memberships). Default: none for values "
                + "in [0, 1] from --data, fuzzy otherwise."))
    var calibrate: CalibrationPlan.Method?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Fuzzy anchors: full non-membership, crossover, full membership; for all columns or one (repeatable). "
                + "Default with --measure score: -0.75,0,0.75 (the -- and ++ rating thresholds); else suggested from the data.",
            valueName: "[NAME=]e,c,i"))
    var anchors: [String] = []

    @Option(
        name: .long, help: ArgumentHelp("Crisp threshold, for all columns or one (repeatable).", valueName: "[NAME=]t"))
    var threshold: [String] = []

    @Option(
        name: .customLong("log-odds"),
        help: "Log-odds at the fuzzy anchors: 3 as in fsQCA (membership 0.953), 2.944 as in R's QCA package (0.95).")
    var logOdds: Double = Calibration.raginLogOdds

    @OptionGroup var level: LevelOptions
    @OptionGroup var rating: RatingOptions

    var conditionList: [String] {
        conditions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func raw(project: ProjectOptions, outcomeRequired: Bool) throws -> (QCARawData, [String], String?) {
        let conditions = conditionList
        guard !conditions.isEmpty else { throw ValidationError("Name the conditions with --conditions A,B,...") }
        if outcomeRequired && outcome == nil { throw ValidationError("Name the outcome with --outcome.") }
        if let data {
            let table = try QCATable.load(data, caseColumn: caseColumn)
            let names = conditions.map(table.columnName) + (outcome.map { [table.columnName($0)] } ?? [])
            return (
                try QCARawData(table: table, names: names), conditions.map(table.columnName),
                outcome.map(table.columnName)
            )
        }
        let project = try project.open()
        // Without an outcome (calibrate), the first condition stands in for it.
        let raw = try project.qcaRawData(
            conditions: conditions, outcome: outcome ?? conditions[0], measure: measure,
            level: level.resolve(project), minimumSegments: rating.minimumSegments)
        return (raw, conditions, outcome)
    }

    func plan() throws -> CalibrationPlan {
        var plan = CalibrationPlan()
        plan.method = calibrate
        guard logOdds > 0 else { throw ValidationError("--log-odds must be positive.") }
        plan.logOdds = logOdds
        func numbers(_ text: Substring, count: Int, flag: String) throws -> [Double] {
            let values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == count else {
                throw ValidationError("\(flag) '\(text)' needs \(count) number\(count == 1 ? "" : "s").")
            }
            return values
        }
        for item in anchors {
            if let equals = item.firstIndex(of: "=") {
                let values = try numbers(item[item.index(after: equals)...], count: 3, flag: "--anchors")
                plan.columnAnchors[String(item[..<equals])] = (values[0], values[1], values[2])
            } else {
                let values = try numbers(item[...], count: 3, flag: "--anchors")
                plan.anchors = (values[0], values[1], values[2])
            }
        }
        for item in threshold {
            if let equals = item.firstIndex(of: "=") {
                plan.columnThresholds[String(item[..<equals])] = try numbers(
                    item[item.index(after: equals)...], count: 1, flag: "--threshold")[0]
            } else {
                plan.threshold = try numbers(item[...], count: 1, flag: "--threshold")[0]
            }
        }
        if !threshold.isEmpty && calibrate == nil { plan.method = .crisp }
        if data == nil {
            // A project's measures are never memberships as they stand (a share is not a
            // degree of membership): calibrate them, fuzzy unless told otherwise.
            plan.method = plan.method ?? .fuzzy
            // The rating thresholds as anchors for scores.
            if measure == .score && plan.anchors == nil && plan.method == .fuzzy { plan.anchors = (-0.75, 0, 0.75) }
        }
        return plan
    }

    func data(project: ProjectOptions, negated: Bool) throws -> QCAData {
        let (raw, conditions, outcome) = try raw(project: project, outcomeRequired: true)
        let (data, _) = try plan().calibrate(raw, conditions: conditions, outcome: outcome!)
        return negated ? data.negated() : data
    }
}

/// `--incl-cut`, `--n-cut` (named as in R's QCA package) and `--negated`.
struct QCACutOptions: ParsableArguments {
    @Option(name: .customLong("incl-cut"), help: "Consistency a row needs for OUT = 1.")
    var inclCut: Double = 0.8

    @Option(name: .customLong("n-cut"), help: "Cases a row needs not to be a logical remainder.")
    var nCut: Int = 1

    @Flag(name: .long, help: "Analyse the absence of the outcome (~OUTCOME).")
    var negated = false
}

extension QCAMeasure: ExpressibleByArgument {}
extension CalibrationPlan.Method: ExpressibleByArgument {}
