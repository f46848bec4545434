import ArgumentParser
import QDAKit
import QDAMatching

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Aggregate the coded segments per region.",
        subcommands: [Matrix.self, Patterns.self, Types.self, Compare.self, Cooccurrence.self, HTML.self])

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
                    throw QDAError.unknownAttribute(key: rows, attributes: dimensions)
                }
                level = .attribute(rows)
            }
            let matrix = try project.matrix(columns: columns, level: level, minimumDocuments: minimumDocuments)
            format.emit(
                try ReportRendering.render(matrix, measure: measure, format: format.format, style: .standardOutput()))
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
        @OptionGroup var quotes: QuoteOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let report = try project.patternReport(
                level: level.resolve(project), minimumSegments: rating.minimumSegments,
                ratingQuotes: quotes.needed(for: format.format))
            if report.regions.isEmpty && (format.format == .table || format.format == .markdown) {
                format.emit(try Self.nothingToRate(project, report: report))
                return
            }
            format.emit(try ReportRendering.render(report, format: format.format, quotes: quotes.quotes))
        }

        /// What a project with no region to rate prints instead of empty tables: why, and
        /// what to do next.
        static func nothingToRate(_ project: Workbench, report: PatternReport) throws -> String {
            let documents = try project.documentCount()
            var text = "No region to rate yet.\n\n"
            if documents == 0 {
                text += "The project has no documents. Ingest some, load a codebook and code them:\n"
                text +=
                    "  qda ingest FOLDER\n  qda codebook load codebooks/china-regional-innovation.yaml\n  qda code\n"
                text +=
                    "or run all three at once with qda analyze FOLDER (qda analyze alone analyses the demo corpus).\n"
            } else if try project.codebookVersion() == nil {
                text += "The project has \(plural(documents, "document")) but no codebook. Load one and code:\n"
                text += "  qda codebook load codebooks/china-regional-innovation.yaml\n  qda code\n"
            } else if !report.unrated.isEmpty {
                let list = report.unrated.map { "\($0.region ?? "") (\($0.segments))" }.joined(separator: ", ")
                text += "No region has \(report.minimumSegments) segments (--min-segments): \(list).\n"
                text += "Ingest more documents, or lower --min-segments.\n"
            } else {
                text += "None of the \(plural(documents, "document")) has a region. Give each a region in its front "
                text +=
                    "matter (region: Beijing), in a manifest, or with qda ingest --region NAME, and load a gazetteer "
                text += "(qda gazetteer load codebooks/gazetteer/china.yaml) to find the regions the text names.\n"
            }
            return text
        }
    }

    struct Types: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the types of innovation per region, with the rule that fired and the evidence.",
            discussion: """
                Applies the codebook's typology (docs/codebook-format.md#typology) to the \
                ratings of qda report patterns: a type applies to a region when every \
                condition of its rule holds. Prints the rules, each region's types, and for \
                each type the rating that met each condition with the quotes behind it.

                Example:
                  qda report types --format markdown
                """)

        @OptionGroup var level: LevelOptions
        @OptionGroup var rating: RatingOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let report = try project.patternReport(
                level: level.resolve(project), minimumSegments: rating.minimumSegments,
                ratingQuotes: false)
            let typology = try project.currentCodebook()?.typology ?? []
            format.emit(try ReportRendering.renderTypes(report, typology: typology, format: format.format))
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put two regions side by side: where they look alike and where they differ.",
            discussion: """
                Shows both regions' ratings on every group and code, says on which groups \
                they are alike and on which they differ, and quotes each region on the codes \
                whose scores differ most. Region names the gazetteer knows are resolved \
                (广东, Shenzhen → Guangdong).

                Examples:
                  qda report compare Beijing Shanghai
                  qda report compare Guangdong Zhejiang --format json
                """)

        @Argument(help: "The first region.")
        var a: String

        @Argument(help: "The second region.")
        var b: String

        @OptionGroup var level: LevelOptions
        @OptionGroup var rating: RatingOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let comparison = try project.comparison(
                a: a, b: b, level: level.resolve(project), minimumSegments: rating.minimumSegments)
            format.emit(try ReportRendering.render(comparison, format: format.format))
        }
    }

    struct Cooccurrence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count which codes occur together, with the c-coefficient.",
            discussion: """
                Counts, for every two codes, the units where both occur: a unit is a segment, \
                or with --window N a segment and its N neighbours on each side in the same \
                document. c = n(A,B) / (n(A) + n(B) - n(A,B)) as ATLAS.ti reports it (the \
                Jaccard index): 0 never together, 1 always together. Tables list the pairs by \
                strength; CSV holds every pair in long form, JSON the counts and pairs.

                Examples:
                  qda report cooccurrence
                  qda report cooccurrence --region Zhejiang --window 1
                  qda report cooccurrence --by group --format csv
                """)

        @Option(name: .long, help: "Codes or groups.")
        var by: MatrixColumns = .code

        @Option(name: .long, help: ArgumentHelp("Count neighbouring segments too (each side).", valueName: "N"))
        var window = 0

        @Option(name: .long, help: ArgumentHelp("Only units in this region or grouping.", valueName: "region"))
        var region: String?

        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func validate() throws {
            if window < 0 { throw ValidationError("--window must be zero or more.") }
        }

        func run() throws {
            let project = try project.open()
            let resolved = try region.map { name in
                try project.currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(name) } ?? name
            }
            let result = try project.cooccurrence(columns: by, window: window, region: resolved)
            format.emit(try ReportRendering.render(result, format: format.format, style: .standardOutput()))
        }
    }
}
