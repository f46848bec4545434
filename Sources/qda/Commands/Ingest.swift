import ArgumentParser
import QDAKit

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read documents into the project and split them into segments.",
        discussion: """
            Reads UTF-8 .txt and .md files, and folders of them (recursively; hidden files \
            and a folder's README are passed over). A file may open with YAML front matter \
            between two '---' lines: region, kind (interview, literature, statistics, other), \
            date, title, language, and any further attributes.

            Transcripts are split into speaker turns ("Interviewer:", "R1:", "Q:", "Zhang Wei:", \
            with optional [00:12:31] timestamps); other documents into paragraphs.

            A file whose content is already in the project is skipped; a changed file \
            replaces its old version and its auto-codings. Everything is stored in one \
            transaction: on any error the project is left as it was. The project is created \
            if it does not exist.

            Example:
              qda ingest interviews/ literature/notes.md --project study.sqlite
            """)

    @Argument(help: ArgumentHelp("Files or folders to ingest.", valueName: "path"))
    var paths: [String]

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: ProgressOptions

    func run() throws {
        let project = try Project.openOrCreate(at: project.path)
        let summary = try project.ingest(paths: paths, progress: output.handler())
        Self.report(summary, output: output)
    }

    static func report(_ summary: IngestSummary, output: ProgressOptions) {
        for warning in summary.unknownRegions { output.say("warning: " + warning) }
        output.say(describe(summary))
    }

    static func describe(_ summary: IngestSummary) -> String {
        "Ingested: \(summary.added) added, \(summary.skipped) skipped (unchanged), \(summary.replaced) replaced; "
            + "\(plural(summary.segmentsAdded, "segment")) added, \(summary.segmentsRemoved) removed."
    }
}
