import ArgumentParser
import Foundation
import QDACodebook
import QDAKit

struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Code segments: automatically with the codebook, or by hand.",
        discussion: """
            Without a subcommand, auto-codes (qda code auto). People's codings are added \
            and removed with qda code add/remove, brought in and out as CSV with qda code \
            import/export, and listed with qda code list.

            Examples:
              qda code                                   (auto-code what is new)
              qda code add market.income --segment 42 --coder ann
              qda code export ann.csv --coders ann
            """,
        subcommands: [Auto.self, Add.self, Remove.self, List.self, Import.self, Export.self],
        defaultSubcommand: Auto.self)

    struct Auto: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Auto-code the segments with the project's codebook.",
            discussion: """
                Matches every keyword rule of the codebook against each segment and records a \
                coding per match, with the coder 'auto', the matched span and a valence (+1, 0, \
                -1) read from the valence cues and negations of the same sentence. Only segments \
                not yet coded with the current codebook are matched (all of them with --all); \
                only the auto-coder's own codings are replaced, and never one a person accepted, \
                rejected or recoded in qda review. Rules are described in docs/matching.md.

                Example:
                  qda code --project study.sqlite
                """)

        @Flag(name: .long, help: "Re-code every segment, not only those new since the last run.")
        var all = false

        @OptionGroup var project: ProjectOptions
        @OptionGroup var output: ProgressOptions

        func run() throws {
            let summary = try project.open().autoCode(all: all, progress: output.handler())
            output.say(CodeCommand.describe(summary))
        }
    }

    static func describe(_ summary: AutoCodeSummary) -> String {
        "Coded \(plural(summary.segmentsCoded, "segment")): \(summary.segmentsWithCodings) with codings, "
            + "\(plural(summary.codingsAdded, "coding")) added, \(summary.codingsRemoved) replaced."
    }

    /// Where a person's coding goes: a segment, a span, or a quoted passage.
    struct TargetOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The segment to code (its id in qda segments).", valueName: "id"))
        var segment: Int64?

        @Option(name: .long, help: ArgumentHelp("The document (with --start/--end, or --quote).", valueName: "name"))
        var document: String?

        @Option(name: .long, help: ArgumentHelp("Start of the span, in characters (code points).", valueName: "n"))
        var start: Int?

        @Option(name: .long, help: ArgumentHelp("End of the span (exclusive).", valueName: "n"))
        var end: Int?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A passage quoted exactly; it must occur once (in --document, if given).", valueName: "text"))
        var quote: String?

        func target() throws -> CodingTarget {
            let given = [segment != nil, start != nil || end != nil, quote != nil].filter { $0 }.count
            guard given == 1 else {
                throw ValidationError("Say where: --segment ID, or --document NAME --start N --end N, or --quote TEXT.")
            }
            if let segment { return .segment(segment) }
            if let quote { return .quote(document: document, text: quote) }
            guard let document, let start, let end else {
                throw ValidationError("A span needs --document, --start and --end.")
            }
            return .span(document: document, start: start, end: end)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Code a segment, a span or a quoted passage by hand.",
            discussion: """
                The coding is the coder's (--coder, else $QDA_CODER, else your login name); \
                a span must lie inside one segment. Coding the same place with the same code \
                again replaces the memo and valence.

                Examples:
                  qda code add market.income --segment 42 --coder ann
                  qda code add technology.base --quote "a strong start" \\
                      --document corpus/beijing/bj-01-entrepreneur.txt
                  qda code add mindset.agency --start 120 --end 180 --valence -1 \\
                      --document corpus/beijing/bj-01-entrepreneur.txt --memo "irony?"
                """)

        @Argument(help: "The code key.")
        var code: String

        @OptionGroup var target: TargetOptions

        // Unconditional: `--valence -1` takes -1 as the value, not as a flag.
        @Option(name: .long, parsing: .unconditional, help: "Valence: -1, 0 or 1.")
        var valence = 0

        @Option(name: .long, help: ArgumentHelp("A memo on the coding.", valueName: "text"))
        var memo: String?

        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let record = try project.open().addCoding(
                target.target(), code: code, coder: coder.name, valence: valence, memo: memo)
            progress.say(
                "Coded \(record.document) \(record.start)–\(record.end) (segment #\(record.segment)) as \(record.code) "
                    + "for \(record.coder): \"\(ReportRendering.shorten(record.text, to: 60))\"")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a person's coding.",
            discussion: """
                Removes the coder's codings of CODE at the place given (for a segment: every \
                such coding in it). Auto codings are rejected with qda review instead, so \
                that the auto-coder does not bring them back.

                Example:
                  qda code remove market.income --segment 42 --coder ann
                """)

        @Argument(help: "The code key.")
        var code: String

        @OptionGroup var target: TargetOptions
        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let removed = try project.open().removeCodings(target.target(), code: code, coder: coder.name)
            progress.say("Removed \(plural(removed, "coding")).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List codings, by coder.",
            discussion: """
                Example:
                  qda code list --coders ann,bo --format csv
                """)

        @OptionGroup var coders: CoderListOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let records = try project.open().codingRecords(coders: coders.names)
            format.emit(try ReportRendering.render(records, format: format.format))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring in codings from a CSV file (all or nothing).",
            discussion: """
                Columns (docs/formats.md#codings-csv): document, code, and start+end (code \
                points into the document text), or segment (an id of this project), or text (a \
                passage that occurs once); optional coder (else --coder), valence, memo. Every \
                row is checked first; one bad row stops the import with its line and nothing \
                is stored. Rows already present are skipped, so importing twice is safe.

                Example:
                  qda code import ann-codings.csv --coder ann
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .long, help: ArgumentHelp("The coder for rows without one.", valueName: "name"))
        var coder: String?

        @Option(name: .customLong("coders"), help: .hidden)
        var codersSpelling: String?

        func validate() throws { try CoderSpelling.one(coder, codersSpelling) }

        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let summary = try project.open().importCodings(path: file, defaultCoder: coder ?? codersSpelling)
            progress.say(
                "Imported \(plural(summary.added, "coding")) (\(summary.unchanged) already present)"
                    + (summary.coders.isEmpty ? "." : " by \(summary.coders.joined(separator: ", "))."))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write codings to a CSV file that qda code import reads back.",
            discussion: """
                Example:
                  qda code export codings.csv --coders ann
                """)

        @Argument(help: "The CSV file to write.")
        var file: String

        @OptionGroup var coders: CoderListOptions

        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let records = try project.open().codingRecords(coders: coders.names)
            try writeWhole(CodingCSV.render(records), to: file)
            progress.say("Wrote \(plural(records.count, "coding")) to \(file).")
        }
    }
}
