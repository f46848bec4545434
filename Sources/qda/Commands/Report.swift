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
                (net valence of the coded segments, -1 to 1), density (coded segments per \
                1,000 words of the region's segments; a CJK character counts as a word), \
                presence (1 if coded at all, else 0: the case-by-code table for R or QCA). \
                Tables end with row and column totals, which count each segment once. CSV \
                holds the cells alone; JSON holds every measure and the totals.

                Examples:
                  qda report matrix
                  qda report matrix --by group --measure share --format csv
                  qda report matrix --measure presence --min-documents 2 --format csv
                  qda report matrix --level grouping
                  qda report matrix --by role          (rows by the documents' role attribute)
                  qda report matrix --rows kind --columns group
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Columns by code or group; or a document attribute (role, kind, ...) to put in the rows in place of regions.",
                valueName: "code|group|attribute"))
        var by: String = "code"

        @Option(
            name: .long,
            help: ArgumentHelp("Rows by this document attribute instead of by region.", valueName: "attribute"))
        var rows: String?

        @Option(name: .long, help: "Columns: code or group.")
        var columns: MatrixColumns?

        @Option(
            name: .long, help: "What a cell shows: segments, documents, share, valence, density or presence.")
        var measure: MatrixMeasure = .segments

        @Option(
            name: .customLong("min-documents"),
            help: ArgumentHelp("Hide cells backed by fewer documents than this (and say so).", valueName: "N"))
        var minimumDocuments = 0

        @OptionGroup var level: LevelOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            var columns = self.columns ?? .code
            var rows = self.rows
            if let parsed = MatrixColumns(rawValue: by) {
                if self.columns == nil { columns = parsed }
            } else if rows == nil {
                rows = by
            }
            var level = try self.level.resolve(project)
            if let rows {
                let dimensions = try project.dimensions()
                guard dimensions.contains(rows) else {
                    throw QDAError.invalidArgument(
                        "No document attribute '\(rows)'; this project has: \(dimensions.joined(separator: ", ")).")
                }
                level = .attribute(rows)
            }
            let matrix = try RegionMatrix(
                project: project, columns: columns, level: level, minimumDocuments: minimumDocuments)
            emit(try ReportRendering.render(matrix, measure: measure, format: format.format, style: .standardOutput()))
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
