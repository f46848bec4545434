import ArgumentParser
import QDAKit

struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Auto-code the segments with the project's codebook.",
        discussion: """
            Matches every keyword rule of the codebook against each segment and records a \
            coding per match, with the coder 'auto', the matched span and a valence (+1, 0, \
            -1) read from the valence cues and negations of the same sentence. Only segments \
            not yet coded with the current codebook are matched (all of them with --all); \
            only the auto-coder's own codings are replaced. Rules are described in \
            docs/matching.md.

            Example:
              qda code --project study.sqlite
            """)

    @Flag(name: .long, help: "Re-code every segment, not only those new since the last run.")
    var all = false

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: ProgressOptions

    func run() throws {
        let summary = try project.open().autoCode(all: all, progress: output.handler())
        output.say(Self.describe(summary))
    }

    static func describe(_ summary: AutoCodeSummary) -> String {
        "Coded \(plural(summary.segmentsCoded, "segment")): \(summary.segmentsWithCodings) with codings, "
            + "\(plural(summary.codingsAdded, "coding")) added, \(summary.codingsRemoved) replaced."
    }
}
