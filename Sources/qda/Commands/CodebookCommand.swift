import ArgumentParser
import QDACodebook
import QDAKit

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Load the project's codebook, show it, and rename, move or merge its codes.",
        subcommands: [Load.self, Show.self, Rename.self, Move.self, Merge.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the codebook: every code's key, label and keywords, and how often it is used.",
            discussion: """
                The groups and codes in codebook order, each code under its group: its key (what \
                --code, qda code add and the reports take), its label, its number of keywords, \
                its codings by the auto-coder and by people, and the segments coded with it or \
                a code below it. --format json gives every field, definitions included.

                Examples:
                  qda codebook show
                  qda codebook show --format json
                """)

        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            guard let version = try project.codebookVersion() else { throw QDAError.noCodebook }
            let entries = try project.codebookEntries()
            var text = try ReportRendering.render(entries, format: format.format)
            if format.format == .table {
                let name = [version.name, version.version].compactMap { $0 }.joined(separator: " ")
                let groups = entries.filter { $0.depth == 0 }.count
                text =
                    "Codebook: \(name) (\(plural(groups, "group")), \(plural(entries.count - groups, "code")))\n\n"
                    + text
                    + "\nkw: keywords; auto, hand: the code's own codings by the auto-coder and people;\n"
                    + "segs: segments coded with it or a code below it. A code's key is its group's\n"
                    + "and its own, as --code takes it: market.income.\n"
            }
            format.emit(text)
        }
    }

    /// `--write FILE` for edits: the edited codebook as a file to keep.
    struct EditOptions: ParsableArguments {
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also write the edited codebook to this file (YAML; comments are not kept).", valueName: "file"))
        var write: String?

        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func apply(_ edit: CodebookEdit) throws {
            let summary = try project.open().editCodebook(edit)
            if let write { try writeWhole(summary.yaml, to: write) }
            var message = "Done: \(plural(summary.codingsMoved, "coding")) now under the new key"
            if summary.duplicatesDropped > 0 { message += ", \(summary.duplicatesDropped) duplicates dropped" }
            message += ". Run qda code to re-code with the edited codebook."
            if write == nil {
                message += " Your codebook file still has the old keys: pass --write FILE to get the edited one."
            }
            progress.say(message)
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a code or group; its codings, memos and grid cells follow.",
            discussion: """
                Example:
                  qda codebook rename market.income purchasing-power --write codebook-v2.yaml
                """)

        @Argument(help: "The code or group key.")
        var key: String

        @Argument(help: "The new name (its last key part, or the whole key under the same parent).")
        var name: String

        @OptionGroup var options: EditOptions

        func run() throws { try options.apply(.rename(key, to: name)) }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a code to another group; its codings follow.",
            discussion: """
                Example:
                  qda codebook move market.government mindset
                """)

        @Argument(help: "The code key (group.code).")
        var code: String

        @Argument(help: "The group to move it to.")
        var group: String

        @OptionGroup var options: EditOptions

        func run() throws { try options.apply(.move(code, toGroup: group)) }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge one code into another: its codings and keywords join the other.",
            discussion: """
                Every coding of SOURCE (and its sub-codes) becomes a coding of TARGET, the \
                same coding twice by the same coder is kept once, and SOURCE's keywords join \
                TARGET's. To split a code instead, recode its codings one by one (qda review \
                recode, or qda code add and remove).

                Example:
                  qda codebook merge market.user-innovators market.orientation
                """)

        @Argument(help: "The code that goes.")
        var source: String

        @Argument(help: "The code that takes its codings.")
        var target: String

        @OptionGroup var options: EditOptions

        func run() throws { try options.apply(.merge(source, into: target)) }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a YAML codebook and make it the project's codebook.",
            discussion: """
                Checks the whole file and reports every problem as file:line: message. When \
                any problem is an error, nothing is loaded. Codes keep their codings across \
                loads when their keys stay the same; run `qda code` afterwards to refresh \
                the auto-codings. The format is described in docs/codebook-format.md.

                Example:
                  qda codebook load codebooks/china-regional-innovation.yaml
                """)

        @Argument(help: ArgumentHelp("The codebook file (YAML).", valueName: "file"))
        var file: String

        @OptionGroup var project: ProjectOptions
        @OptionGroup var output: ProgressOptions

        func run() throws {
            let project = try project.open()
            let summary = try project.loadCodebook(path: file)
            CodebookCommand.report(summary, file: file, output: output)
        }
    }

    static func report(_ summary: CodebookLoadSummary, file: String, output: ProgressOptions) {
        for warning in summary.warnings {
            output.say(warning.formatted(file: file))
        }
        let name = [summary.name, summary.version].compactMap { $0 }.joined(separator: " ")
        output.say(
            summary.changed
                ? "Loaded the codebook \(name): \(plural(summary.groups, "group")), \(plural(summary.codes, "code")), "
                    + "\(plural(summary.keywords, "keyword"))."
                : "The codebook \(name) is already loaded.")
    }
}
