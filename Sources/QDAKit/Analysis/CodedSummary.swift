import Foundation
import QDACodebook

/// The coded summary a researcher takes into a paper or into R (`qda export summary`):
/// per region and per group and code, the numbers, the rating and the top quotes.
public struct CodedSummary: Sendable, Equatable, Encodable {
    public struct Codebook: Sendable, Equatable, Encodable {
        public var name: String
        public var version: String?
        public var sha256: String
    }

    public struct Entry: Sendable, Equatable, Encodable {
        public var group: String
        /// The code's key; the group's key on a group's own row.
        public var code: String
        public var label: String
        public var segments: Int
        public var documents: Int
        public var share: Double
        public var valence: Double
        public var score: Double
        /// Nil when the region has no segment coded with the code: no evidence.
        public var rating: Rating?
        public var thin: Bool
        public var quotes: [Quote]
        /// The researcher's cell (`qda grid set`), if any.
        public var grid: GridCell?

        enum CodingKeys: String, CodingKey {
            case group, code, label, segments, documents, share, valence, score, rating, thin, quotes, grid
        }

        /// `rating` and `score` are null for no evidence (as in the pattern report).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(code, forKey: .code)
            try c.encode(label, forKey: .label)
            try c.encode(segments, forKey: .segments)
            try c.encode(documents, forKey: .documents)
            try c.encode(share, forKey: .share)
            try c.encode(valence, forKey: .valence)
            try c.encode(rating == nil ? nil : score, forKey: .score)
            try c.encode(rating, forKey: .rating)
            try c.encode(thin, forKey: .thin)
            try c.encode(quotes, forKey: .quotes)
            try c.encodeIfPresent(grid, forKey: .grid)
        }

        /// The rating as printed: `+*` for thin evidence, `·` for none.
        public var ratingLabel: String { PatternReport.Factor.label(rating, thin: thin) }
    }

    public struct Region: Sendable, Equatable, Encodable {
        public var region: String
        public var documents: Int
        public var segments: Int
        public var pattern: String
        public var types: [String]
        public var entries: [Entry]
    }

    /// The project file's name.
    public var project: String
    public var codebook: Codebook?
    public var rule: String
    public var level: String
    public var minimumSegments: Int
    public var regions: [Region]
    /// Regions listed but not rated (too few segments).
    public var unrated: [String]

    enum CodingKeys: String, CodingKey {
        case project, codebook, rule, level, regions, unrated
        case minimumSegments = "minimum_segments"
    }

    public init(project: Project, level: RegionLevel = .region, minimumSegments: Int, quotes: Int = 2) throws {
        let report = try PatternReport(project: project, level: level, minimumSegments: minimumSegments)
        let codes = try project.codes()
        let grid = try project.gridCells()
        self.project = URL(fileURLWithPath: project.path).lastPathComponent
        codebook = try project.codebookVersion().map { Codebook(name: $0.name, version: $0.version, sha256: $0.sha256) }
        rule = report.rule
        self.level = report.level
        self.minimumSegments = minimumSegments
        unrated = report.unrated.map { $0.region ?? "" }
        let codeQuotes =
            quotes > 0
            ? try report.quotes(
                for: codes.filter { $0.depth > 0 }.map(\.key), project: project, level: level, limit: quotes) : [:]
        regions = report.regions.map { region in
            var entries: [Entry] = []
            for code in codes {
                guard let factor = region.factors[code.key] ?? region.codes[code.key] else { continue }
                var cited: [Quote] = []
                if quotes > 0, factor.segments > 0 {
                    cited = factor.quotes.map { Array($0.prefix(quotes)) } ?? codeQuotes[region.region]?[code.key] ?? []
                }
                entries.append(
                    Entry(
                        group: code.groupKey, code: code.key, label: code.label, segments: factor.segments,
                        documents: factor.documents, share: factor.share, valence: factor.valence, score: factor.score,
                        rating: factor.rating, thin: factor.thin, quotes: cited,
                        grid: grid.first { $0.region == region.region && $0.code == code.key }))
            }
            return Region(
                region: region.region, documents: region.documents, segments: region.segments,
                pattern: region.pattern, types: region.types.map(\.label), entries: entries)
        }
    }
}

extension ReportRendering {
    /// Renders the coded summary: Markdown with one section per region, tidy long-form
    /// CSV (`region, group, code, measure, value`), or JSON.
    public static func render(_ summary: CodedSummary, format: OutputFormat) throws -> String {
        let codebook =
            summary.codebook.map { [$0.name, $0.version].compactMap { $0 }.joined(separator: " ") } ?? "none"
        switch format {
        case .json:
            return try JSONOutput.encode(summary)
        case .csv:
            var table = TextTable(header: ["region", "group", "code", "measure", "value"])
            for region in summary.regions {
                for e in region.entries {
                    var values: [(String, String)] = [
                        ("segments", String(e.segments)), ("documents", String(e.documents)),
                        ("share", formatNumber(e.share, decimals: 4)),
                        ("valence", formatNumber(e.valence, decimals: 4)),
                        ("score", e.rating == nil ? "" : formatNumber(e.score, decimals: 4)),
                        ("rating", e.rating?.rawValue ?? ""),
                        ("thin", e.thin ? "true" : "false"),
                    ]
                    if let grid = e.grid {
                        if let rating = grid.rating { values.append(("researcher_rating", rating.rawValue)) }
                        if let descriptor = grid.descriptor { values.append(("researcher_descriptor", descriptor)) }
                        if let note = grid.note { values.append(("researcher_note", note)) }
                    }
                    for (n, quote) in e.quotes.enumerated() {
                        values.append(("quote_\(n + 1)", quote.text))
                        values.append(("quote_\(n + 1)_source", "\(quote.document) #\(quote.segment)"))
                    }
                    for (measure, value) in values {
                        table.append([region.region, e.group, e.code, measure, value])
                    }
                }
            }
            // Provenance as comment-free rows a reader can filter out.
            table.append(["", "", "", "project", summary.project])
            table.append(["", "", "", "codebook", codebook])
            table.append(["", "", "", "codebook_sha256", summary.codebook?.sha256 ?? ""])
            return table.render(.csv)
        case .markdown, .table:
            var lines = [
                "# Coded summary: \(summary.project)", "",
                "- Codebook: \(codebook)" + (summary.codebook.map { " (SHA-256 \($0.sha256.prefix(12)))" } ?? ""),
                "- Regions counted at the level: \(summary.level); rated with at least \(summary.minimumSegments) segments",
                "- Rule: \(summary.rule)",
                "- Thin evidence (*): fewer than \(PatternReport.thinSegments) coded segments or "
                    + "\(PatternReport.thinDocuments) documents",
            ]
            if !summary.unrated.isEmpty {
                lines.append("- Not rated (too few segments): \(summary.unrated.joined(separator: ", "))")
            }
            for region in summary.regions {
                lines += [
                    "", "## \(region.region)", "",
                    "\(region.documents) documents, \(region.segments) segments. Pattern: \(region.pattern). "
                        + "Types: \(region.types.isEmpty ? "none" : region.types.joined(separator: ", ")).", "",
                ]
                var table = TextTable(
                    header: ["code", "rating", "segments", "documents", "share", "valence", "researcher"],
                    alignments: [.left, .left, .right, .right, .right, .right, .left])
                for e in region.entries {
                    let researcher = e.grid.map {
                        [$0.rating?.rawValue, $0.descriptor].compactMap { $0 }.joined(separator: " · ")
                    }
                    table.append([
                        e.code == e.group ? "**\(e.code)**" : e.code, e.ratingLabel,
                        String(e.segments), String(e.documents), formatNumber(e.share), formatNumber(e.valence),
                        researcher ?? "",
                    ])
                }
                lines.append(table.render(.markdown).trimmingTrailingNewlines())
                let quoted = region.entries.filter { !$0.quotes.isEmpty }
                if !quoted.isEmpty {
                    lines += ["", "### Quotes", ""]
                    for e in quoted {
                        lines.append("- **\(e.code)** (\(e.ratingLabel)):")
                        for quote in e.quotes {
                            let speaker = quote.speaker.map { ", \($0)" } ?? ""
                            lines.append(
                                "  > \(oneLine(quote.text, limit: 400)) — \(quote.document)\(speaker), #\(quote.segment)"
                            )
                        }
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Renders the grid in Tab. 1 layout: rows are groups and codes, columns regions.
    public static func render(_ grid: GridReport, format: OutputFormat, style: TerminalStyle = .plain) throws
        -> String
    {
        switch format {
        case .json:
            return try JSONOutput.encode(grid)
        case .csv:
            var table = TextTable(header: [
                "region", "code", "rating", "descriptor", "note", "coder", "evidence", "derived", "thin", "disagrees",
            ])
            for cell in grid.cells where cell.researcher != nil || cell.derived != nil {
                let r = cell.researcher
                table.append([
                    cell.region, cell.code, r?.rating?.rawValue ?? "", r?.descriptor ?? "", r?.note ?? "",
                    r?.coder ?? "",
                    (r?.evidence ?? []).map(String.init).joined(separator: " "), cell.derived?.rawValue ?? "",
                    cell.thin ? "true" : "false", cell.disagrees ? "true" : "false",
                ])
            }
            return table.render(.csv)
        case .table, .markdown:
            var table = TextTable(
                header: [""] + grid.regions, alignments: [.left] + grid.regions.map { _ in .left })
            if format == .table { table.maxWidth = style.width }
            for row in grid.rows {
                let label = row.contains(".") ? "  " + row : row
                table.append(
                    [format == .markdown && !row.contains(".") ? "**\(row)**" : label]
                        + grid.regions.map { region in
                            guard let cell = grid.cell(region, row) else { return "" }
                            let own = cell.researcher.map {
                                [$0.rating?.rawValue, $0.descriptor].compactMap { $0 }.joined(separator: " ")
                            }
                            let derived = cell.derived.map { "(\($0.rawValue)\(cell.thin ? "*" : ""))" }
                            return [own, derived].compactMap { $0 }.joined(separator: " ")
                                + (cell.disagrees ? " !" : "")
                        })
            }
            var lines = [
                (format == .markdown ? "## " : "") + "Summary grid: your judgement, then (derived rating)", "",
                table.render(format).trimmingTrailingNewlines(),
            ]
            lines.append("")
            lines.append(
                grid.disagreements == 0
                    ? "No researcher rating disagrees with the derived one."
                    : "! \(grid.disagreements) cells where your rating and the derived one differ.")
            let notes = grid.cells.compactMap { cell in cell.researcher?.note.map { (cell, $0) } }
            if !notes.isEmpty {
                lines += ["", "Notes:"]
                for (cell, note) in notes {
                    let evidence = cell.researcher?.evidence ?? []
                    lines.append(
                        "- \(cell.region) / \(cell.code): \(note)"
                            + (evidence.isEmpty
                                ? "" : " (segments \(evidence.map { "#\($0)" }.joined(separator: ", ")))"))
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
