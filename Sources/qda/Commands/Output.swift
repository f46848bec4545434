public import ArgumentParser
import Foundation
public import QDACodebook
import QDAKit
import QDAText

/// `--out FILE` for commands that write a file: written whole or not at all.
struct OutputFileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The file to write.", valueName: "file"))
    var out: String

    func write(_ text: String) throws {
        try writeWhole(text, to: out)
    }
}

/// Writes `text` to a temporary file beside `path` and renames it into place, so a
/// failure never leaves a half-written file (and an existing one stays as it was).
func writeWhole(_ text: String, to path: String) throws {
    try writeWhole(Data(text.utf8), to: path)
}

/// Writes `data` to `path` through a temporary file renamed into place, so a reader
/// never sees half a file and a failure leaves the old one.
func writeWhole(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw WordedError(message: "\(path): the folder \(folder.path) does not exist.")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    do {
        try data.write(to: temporary)
        // rename(2) replaces the old file in one step.
        guard rename(temporary.path, url.path) == 0 else {
            throw WordedError(message: "\(path): cannot be written (\(String(cString: strerror(errno)))).")
        }
    } catch let error as WordedError {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw WordedError(message: "\(path): cannot be written (\(error.localizedDescription)).")
    }
}

/// The person coding or judging: `--coder`, else `$QDA_CODER`, else the login name.
struct CoderOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Who makes the judgement (default: $QDA_CODER, else your login name).", valueName: "name"))
    var coder: String?

    /// `--coders NAME`, the spelling of the commands that take several, accepted here too.
    @Option(name: .customLong("coders"), help: .hidden)
    var codersSpelling: String?

    func validate() throws {
        try CoderSpelling.one(coder, codersSpelling)
    }

    var name: String {
        if let coder = coder ?? codersSpelling, !coder.isEmpty { return coder }
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["QDA_CODER"], !name.isEmpty { return name }
        return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "researcher"
    }
}

/// Both spellings of the coder options: `--coders A,B` where several are taken, `--coder
/// NAME` where one is; each command documents its own and accepts the other.
enum CoderSpelling {
    /// A single coder from `--coder` or `--coders`: an error for two, or for a list.
    @discardableResult
    static func one(_ coder: String?, _ other: String?) throws -> String? {
        if coder != nil && other != nil { throw ValidationError("Pass --coder once.") }
        guard let value = coder ?? other else { return nil }
        if value.contains(",") { throw ValidationError("This command takes one coder (--coder NAME), not a list.") }
        return value
    }
}

/// `--coders A,B,...` (also spelled `--coder`): the coders a command reads.
struct CoderListOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Only these coders (comma-separated; auto for the auto-coder).", valueName: "names"))
    var coders: String?

    @Option(name: .customLong("coder"), help: .hidden)
    var coderSpelling: [String] = []

    /// The names given, in order; empty for all.
    var names: [String] {
        ([coders].compactMap { $0 } + coderSpelling).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension Report {
    struct HTML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "html",
            abstract: "Write the analysis as one self-contained HTML file to look at.",
            discussion: """
                One file, no network and no scripts: the region × factor heatmap (groups and \
                codes, colour by score, text the rating), each region's profile chart, the \
                typology, the researcher's grid where one is set, the code co-occurrence \
                heatmap, a fuzzy-set QCA for each type of innovation (or the --qca-conditions \
                and --qca-outcome given), and every cell's quotes behind its rating. Click a \
                heatmap cell to open its quotes. All project text is HTML-escaped.

                Examples:
                  qda report html --out report.html
                  qda report html --out report.html \\
                      --qca-conditions technology.base,market.industrial-base \\
                      --qca-outcome type:science-driven
                """)

        @OptionGroup var output: OutputFileOptions

        @Option(name: .long, help: ArgumentHelp("The report's title.", valueName: "text"))
        var title: String?

        @Option(
            name: .customLong("qca-conditions"),
            help: ArgumentHelp("Conditions of the QCA section (default: the factor groups).", valueName: "A,B,..."))
        var qcaConditions: String?

        @Option(
            name: .customLong("qca-outcome"),
            help: ArgumentHelp(
                "Outcome of the QCA section (default: each type of the typology), as in qda qca.", valueName: "outcome")
        )
        var qcaOutcome: [String] = []

        @OptionGroup var level: LevelOptions
        @OptionGroup var rating: RatingOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let project = try project.open()
            var requests: [HTMLReport.QCARequest]?
            if qcaConditions != nil || !qcaOutcome.isEmpty {
                let report = try project.patternReport(minimumSegments: rating.minimumSegments, ratingQuotes: false)
                let conditions =
                    qcaConditions?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    ?? report.groups
                let outcomes =
                    qcaOutcome.isEmpty
                    ? (try project.currentCodebook()?.typology ?? []).map { "type:\($0.key)" } : qcaOutcome
                requests = outcomes.map { HTMLReport.QCARequest(conditions: conditions, outcome: $0) }
            }
            let report = try project.htmlReport(
                level: level.resolve(project), minimumSegments: rating.minimumSegments,
                qca: requests, title: title)
            try output.write(report.render())
            progress.say("Wrote \(output.out).")
        }
    }
}

struct Grid: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep your own judgement per region and code, beside the derived ratings.",
        subcommands: [Set.self, Show.self, Remove.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a region's rating, descriptor or note for a group or code.",
            discussion: """
                Stores the researcher's judgement for one cell of the summary grid (the \
                framework's Tab. 1): a rating (++, +, o, -, --) for rated rows, a descriptor \
                (public, high & low, ...) for descriptive rows, a note, and the segments \
                cited as evidence. Setting a cell again replaces it.

                Examples:
                  qda grid set Beijing technology --rating ++ --note "CAS, Tsinghua" \\
                      --evidence 26 31
                  qda grid set Guangdong technology.competence --descriptor private
                """)

        @Argument(help: "The region.")
        var region: String

        @Argument(help: "The group or code key.")
        var code: String

        @Option(name: .long, help: "The rating: ++, +, o, - or --.")
        var rating: Rating?

        @Option(name: .long, help: ArgumentHelp("A short description for descriptive rows.", valueName: "text"))
        var descriptor: String?

        @Option(name: .long, help: ArgumentHelp("A note on the judgement.", valueName: "text"))
        var note: String?

        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Segment ids cited as evidence.", valueName: "id"))
        var evidence: [Int64] = []

        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let cell = try project.open().setGridCell(
                region: region, code: code, rating: rating, descriptor: descriptor, note: note, evidence: evidence,
                coder: coder.name)
            progress.say("Set \(cell.region) / \(cell.code) (\(cell.coder)).")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a grid cell.")

        @Argument(help: "The region.")
        var region: String

        @Argument(help: "The group or code key.")
        var code: String

        @OptionGroup var project: ProjectOptions

        func run() throws {
            guard try project.open().removeGridCell(region: region, code: code) else {
                throw WordedError(message: "No grid cell for \(region) / \(code).")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the grid: your judgements beside the derived ratings.",
            discussion: """
                Rows are the factor groups (rated rows) with their codes below them, columns \
                the regions, as in the framework's Tab. 1. A cell shows the researcher's \
                rating or descriptor, then the derived rating in brackets; ! flags a cell \
                where both are ratings and they differ, * a derived rating on thin evidence.
                """)

        @OptionGroup var level: LevelOptions
        @OptionGroup var rating: RatingOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let grid = try project.gridReport(level: level.resolve(project), minimumSegments: rating.minimumSegments)
            format.emit(try ReportRendering.render(grid, format: format.format, style: .standardOutput()))
        }
    }
}

extension Rating: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write coded results to files for papers, R and other tools.",
        subcommands: [Summary.self, QDC.self, QDPX.self])

    struct QDPX: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qdpx",
            abstract: "Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder.",
            discussion: """
                Documents become UTF-8 plain-text sources; the codebook the code tree; every \
                coding a coding by its coder (the auto-coder's under the user "qda \
                auto-coder", unless --no-auto); regions cases and variables, attributes \
                variables; memos notes; sets sets; the codebook version the project's \
                description. The same project exports the same GUIDs every time, and \
                qda import reads the file back. Positions count UTF-16 code units, as \
                NVivo reads them; --offsets codepoints writes code points for tools that \
                count those (they differ only in text with characters beyond U+FFFF, such \
                as emoji). docs/refi-qda.md says more.

                Example:
                  qda export qdpx study.qdpx
                """)

        @Argument(help: "The .qdpx file to write.")
        var file: String

        @Option(name: .long, help: ArgumentHelp("How positions are counted: utf16 or codepoints.", valueName: "unit"))
        var offsets: REFIOffsetUnit = .utf16

        @Flag(name: .long, help: "Leave out the auto-coder's codings (people's only).")
        var noAuto = false

        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            if offsets == .crlf1 {
                throw ValidationError(
                    "An export has LF line endings, so crlf1 is codepoints; give utf16 or codepoints.")
            }
        }

        func run() throws {
            let (archive, summary) = try project.open().exportQDPX(
                origin: "qda \(QDA.configuration.version)", offsets: offsets, includeAuto: !noAuto)
            try writeWhole(archive, to: file)
            progress.say(
                "Wrote \(plural(summary.documents, "document")), \(plural(summary.codes, "code")), "
                    + "\(plural(summary.codings, "coding")) on \(plural(summary.selections, "selection")), "
                    + "\(plural(summary.notes, "note")) and \(plural(summary.users, "user")) to \(file) "
                    + "(positions in \(summary.offsets == .utf16 ? "UTF-16 code units" : "code points")).")
        }
    }

    struct QDC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qdc",
            abstract: "Write the codebook as a REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder.",
            discussion: """
                Groups and codes become nested codes (names: the labels; descriptions: the \
                definitions) with GUIDs that stay the same every time the same codebook is \
                exported. Keyword rules have no place in the format and are not written. \
                qda codebook load FILE.qdc reads such a file back (docs/refi-qda.md).

                Example:
                  qda export qdc codebook.qdc
                """)

        @Argument(help: "The .qdc file to write.")
        var file: String

        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            guard let codebook = try project.open().currentCodebook() else { throw QDAError.noCodebook }
            try writeWhole(REFICodebook.export(codebook, origin: "qda \(QDA.configuration.version)"), to: file)
            progress.say("Wrote \(codebook.allCodes.count + codebook.groups.count) codes to \(file).")
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the coded summary per region and code, with the top quotes.",
            discussion: """
                Per region and per group and code: coded segments, documents, share, net \
                valence, score, rating (thin evidence marked) and the top quotes with their \
                sources; the researcher's grid where set. Markdown is a readable report with \
                one section per region; CSV is tidy long form (region, group, code, measure, \
                value), one row per number, for R or pandas; JSON holds everything. The \
                project and codebook version are named in the file; the same project gives \
                the same bytes.

                Examples:
                  qda export summary --out summary.md
                  qda export summary --out summary.csv --format csv
                """)

        @OptionGroup var output: OutputFileOptions

        @Option(name: .long, help: "markdown, csv or json (default: from the file's extension, else markdown).")
        var format: OutputFormat?

        @Option(name: .long, help: ArgumentHelp("Quotes per region and code (0 to 3).", valueName: "N"))
        var quotes = 2

        @OptionGroup var level: LevelOptions
        @OptionGroup var rating: RatingOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            if format == .table { throw ValidationError("--format for a summary: markdown, csv or json.") }
            if !(0...3).contains(quotes) { throw ValidationError("--quotes must be between 0 and 3.") }
        }

        func run() throws {
            let chosen: OutputFormat
            if let format {
                chosen = format
            } else {
                switch URL(fileURLWithPath: output.out).pathExtension.lowercased() {
                case "csv": chosen = .csv
                case "json": chosen = .json
                default: chosen = .markdown
                }
            }
            let project = try project.open()
            let summary = try project.codedSummary(
                level: level.resolve(project), minimumSegments: rating.minimumSegments,
                quotes: quotes)
            try output.write(try ReportRendering.render(summary, format: chosen))
            progress.say("Wrote \(output.out) (\(chosen.rawValue)).")
        }
    }
}
