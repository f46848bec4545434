import ArgumentParser
import QDAKit

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Load and inspect the project's codebook.",
        subcommands: [Load.self])

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
