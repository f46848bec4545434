import ArgumentParser
import QDAKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Aggregate the coded segments per region.",
        subcommands: [Matrix.self, Patterns.self])

    struct Matrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the region × code (or region × group) matrix.",
            discussion: """
                Each cell counts the segments of a region coded with a code or any of its \
                sub-codes. Measures: segments (coded segments), documents (documents with \
                such a segment), share (coded segments / all the region's segments), valence \
                (net valence of the coded segments, -1 to 1). JSON output holds every measure.

                Examples:
                  qda report matrix
                  qda report matrix --by group --measure share --format csv
                  qda report matrix --level grouping
                """)

        @Option(name: .long, help: "Columns: code or group.")
        var by: MatrixColumns = .code

        @Option(name: .long, help: "What a cell shows: segments, documents, share or valence.")
        var measure: MatrixMeasure = .segments

        @OptionGroup var level: LevelOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let matrix = try RegionMatrix(project: project, columns: by, level: level.resolve(project))
            emit(try ReportRendering.render(matrix, measure: measure, format: format.format))
        }
    }

    struct Patterns: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rate each region on each factor group and show shared patterns.",
            discussion: """
                Rates every region on every factor group (++, +, o, -, --) from how much the \
                group is discussed relative to the other regions and from its net valence; \
                the rule is printed with the report and explained in docs/methods.md. Ratings \
                backed by fewer than 3 coded segments or 2 documents are marked thin (*); \
                regions with fewer than --min-segments segments are listed but not rated. \
                Then lists the types of innovation the codebook's typology finds per region, \
                with the ratings and quotes that triggered them, the regions that share a \
                pattern, and the pairs that differ on one group.

                Examples:
                  qda report patterns --format json
                  qda report patterns --level grouping --grouping-set macro
                """)

        @OptionGroup var level: LevelOptions
        @OptionGroup var rating: RatingOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let report = try PatternReport(
                project: project, level: level.resolve(project), minimumSegments: rating.minimumSegments)
            emit(try ReportRendering.render(report, format: format.format))
        }
    }
}
