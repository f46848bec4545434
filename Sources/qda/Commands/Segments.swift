import ArgumentParser
import QDAKit

struct Segments: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the project's segments.",
        discussion: """
            Lists segments in document order with their id, document, region, speaker, \
            start and end offsets (Unicode code points into the document text) and text. \
            The table shortens texts to one line; JSON and CSV hold them whole.

            Example:
              qda segments --format json --limit 20
            """)

    @Option(name: .long, help: "List at most this many segments.")
    var limit: Int?

    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more.") }
    }

    func run() throws {
        emit(try ReportRendering.render(project.open().segments(limit: limit), format: format.format))
    }
}
