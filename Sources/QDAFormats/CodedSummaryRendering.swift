import Foundation
public import QDAAnalysis
import QDACodebook
import QDAText

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
