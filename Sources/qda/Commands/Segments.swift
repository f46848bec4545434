public import ArgumentParser
import Foundation
public import QDAKit

/// The filters `qda segments` and `qda search` share.
struct SegmentFilterOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only segments coded with this code, group (with its codes) or key prefix such as market. (repeatable).",
            valueName: "key"))
    var code: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only segments counted in this region or grouping.", valueName: "region"))
    var region: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only segments of documents with this attribute value, e.g. role=official or kind=interview (repeatable).",
            valueName: "key=value"))
    var attr: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only codings by this coder (auto for the auto-coder).", valueName: "name"))
    var coder: String?

    @Option(name: .customLong("coders"), help: .hidden)
    var codersSpelling: String?

    @Option(
        name: .long, help: "Only segments whose selected codings have this net valence: positive, negative, neutral.")
    var valence: SegmentFilter.Valence?

    @Option(name: .long, help: ArgumentHelp("Only segments of this document (name or source file).", valueName: "name"))
    var document: String?

    @Flag(name: .long, help: "Only coded segments.")
    var coded = false

    @Option(name: .long, help: ArgumentHelp("Show N neighbouring segments on each side.", valueName: "N"))
    var context = 0

    func validate() throws {
        if context < 0 { throw ValidationError("--context must be zero or more.") }
        try CoderSpelling.one(coder, codersSpelling)
        for pair in attr where !pair.contains("=") {
            throw ValidationError("--attr \(pair): write it as key=value, e.g. --attr role=official.")
        }
    }

    func filter() -> SegmentFilter {
        var filter = SegmentFilter()
        filter.codes = code
        filter.region = region
        for pair in attr {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            filter.attributes[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        filter.coder = coder ?? codersSpelling
        filter.valence = valence
        filter.document = document
        filter.codedOnly = coded
        filter.context = context
        return filter
    }
}

extension SegmentFilter.Valence: ExpressibleByArgument {}

struct Segments: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List segments: all of them, or those a code, region, attribute, coder or search selects.",
        discussion: """
            Lists segments in document order with their id, document, region, speaker, \
            start and end offsets (Unicode code points into the document text) and text. \
            Filters combine (all must hold); a code filter lists the coded segments and \
            marks the coded passages, --query marks the words found. The table shortens \
            texts to fit the terminal and marks passages «so» (in colour on a terminal); \
            Markdown marks them **so**; JSON and CSV hold whole texts, codings and marks.

            Examples:
              qda segments --code market. --region Zhejiang
              qda segments --code technology --valence negative --context 1
              qda segments --attr role=official --query "subsidies OR 补贴"
              qda segments --format json --limit 20
            """)

    @OptionGroup var filters: SegmentFilterOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Only segments matching this full-text search (see qda search --help).", valueName: "search")
    )
    var query: String?

    @Option(name: .long, help: "List at most this many segments.")
    var limit: Int?

    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions
    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more.") }
    }

    func run() throws {
        var filter = filters.filter()
        filter.query = query
        filter.limit = limit
        let result = try project.open().findSegments(filter, progress: progress.handler())
        format.emit(try ReportRendering.render(result, format: format.format, style: .standardOutput()))
    }
}

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the text of every segment, coded or not.",
        discussion: """
            A search is words (all must occur), "quoted phrases", OR between alternatives, \
            -word or NOT word to exclude, word* for words beginning so, and parentheses. \
            Latin-script words match whole words, ignoring case, accents and full-width \
            forms; Chinese, Japanese and Korean terms match anywhere in the text (创新 \
            finds 技术创新). Results come best first (SQLite FTS5, BM25); the filters of \
            qda segments narrow them. The index is built on first use and kept up to date.

            Examples:
              qda search "technology transfer"
              qda search "subsid* OR 补贴" --region Guizhou --context 1
              qda search 创新 --format json
            """)

    @Argument(help: "What to look for.")
    var query: String

    @OptionGroup var filters: SegmentFilterOptions

    @Option(name: .long, help: "Show at most this many segments.")
    var limit = 20

    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions
    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be zero or more.") }
    }

    func run() throws {
        var filter = filters.filter()
        filter.query = query
        filter.limit = limit
        filter.byRelevance = true
        let result = try project.open().findSegments(filter, progress: progress.handler())
        format.emit(try ReportRendering.render(result, format: format.format, style: .standardOutput()))
    }
}

extension TerminalStyle {
    /// The style for standard output: its width and colour on a terminal (no colour with
    /// `NO_COLOR` or `TERM=dumb`); 80 columns and no colour for files and pipes.
    static func standardOutput() -> TerminalStyle {
        guard isatty(STDOUT_FILENO) != 0 else { return .plain }
        var size = winsize()
        let width = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        let environment = ProcessInfo.processInfo.environment
        let colour = (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        return TerminalStyle(width: width, colour: colour)
    }
}
