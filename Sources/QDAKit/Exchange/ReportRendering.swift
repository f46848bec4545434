/// Renders reports in the output formats.
///
/// JSON field names are a contract with scripts outside the repository; see
/// `docs/formats.md` before renaming anything.
public enum ReportRendering {
    // MARK: Patterns

    /// Renders `report` as a table, JSON, long-form CSV or Markdown.
    public static func render(_ report: PatternReport, format: OutputFormat) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(report)
        case .csv:
            var table = TextTable(header: [
                "region", "documents", "segments", "group", "coded_segments", "coded_documents", "share",
                "relative_attention", "valence", "score", "rating", "thin", "types",
            ])
            for region in report.regions {
                for group in report.groups {
                    guard let f = region.factors[group] else { continue }
                    table.append([
                        region.region, String(region.documents), String(region.segments), group, String(f.segments),
                        String(f.documents), formatNumber(f.share, decimals: 4),
                        formatNumber(f.relativeAttention, decimals: 4), formatNumber(f.valence, decimals: 4),
                        formatNumber(f.score, decimals: 4), f.rating.rawValue, f.thin ? "true" : "false",
                        region.types.map(\.type).joined(separator: "; "),
                    ])
                }
            }
            return table.render(.csv)
        case .table, .markdown:
            var table = TextTable(
                header: ["region", "docs", "segs"] + report.groups + ["pattern"],
                alignments: [.left, .right, .right] + report.groups.map { _ in .left } + [.left])
            var anyThin = false
            for region in report.regions {
                let ratings = report.groups.map { group -> String in
                    guard let f = region.factors[group] else { return "" }
                    anyThin = anyThin || f.thin
                    return "\(f.rating.rawValue)\(f.thin ? "*" : "") (\(formatNumber(f.score)))"
                }
                table.append(
                    [region.region, String(region.documents), String(region.segments)] + ratings + [region.pattern])
            }
            let heading = format == .markdown ? "## " : ""
            var lines: [String] = []
            lines.append("\(heading)Factor patterns by region" + (report.codebook.map { " (codebook: \($0))" } ?? ""))
            lines.append("")
            lines.append("Rule: \(report.rule).")
            lines.append("")
            lines.append(table.render(format).trimmingTrailingNewlines())
            if anyThin {
                lines.append("")
                lines.append(
                    "Ratings marked * rest on thin evidence: fewer than \(PatternReport.thinSegments) coded segments or "
                        + "\(PatternReport.thinDocuments) documents.")
            }
            if !report.unrated.isEmpty {
                lines.append("")
                let list = report.unrated.map { "\($0.region ?? "") (\($0.segments))" }.joined(separator: ", ")
                lines.append(
                    "Not rated, fewer than \(report.minimumSegments) segments: \(list).")
            }
            if report.unassignedSegments > 0 {
                lines.append("")
                lines.append("\(report.unassignedSegments) segments of documents without a region are left out.")
            }
            if let attribution = report.attribution, attribution.byMention > 0 {
                lines.append("")
                lines.append(
                    "Regions of segments: \(attribution.byDocument) by their document, \(attribution.byMention) also or "
                        + "only by the regions they name (docs/methods.md#regions).")
            }
            if report.regions.contains(where: { !$0.types.isEmpty }) {
                lines.append("")
                lines.append("\(heading)Types of innovation")
                lines.append("")
                for region in report.regions where !region.types.isEmpty {
                    for match in region.types {
                        let evidence = match.evidence.map { "\($0.key) \($0.rating.rawValue)" }.joined(separator: ", ")
                        lines.append("- \(region.region): \(match.label) (\(evidence))")
                        if format == .markdown || format == .table {
                            var seen: Set<Int64> = []
                            let quotes = match.evidence.flatMap(\.quotes).filter { seen.insert($0.segment).inserted }
                            for quote in quotes.prefix(2) {
                                lines.append("    \"\(oneLine(quote.text, limit: 100))\" (\(quote.document))")
                            }
                        }
                    }
                }
            }
            lines.append("")
            lines.append("\(heading)Shared patterns")
            lines.append("")
            if report.sharedPatterns.isEmpty {
                lines.append("No two regions share a pattern.")
            } else {
                for shared in report.sharedPatterns {
                    lines.append("- \(shared.pattern): \(shared.regions.joined(separator: ", "))")
                }
            }
            if !report.nearPairs.isEmpty {
                lines.append("")
                lines.append("\(heading)Regions that differ on one group only")
                lines.append("")
                for pair in report.nearPairs {
                    lines.append("- \(pair.regions.joined(separator: " / ")): \(pair.differsOn)")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    // MARK: Matrix

    private struct MatrixJSON: Encodable {
        struct Row: Encodable {
            /// The row's region, or with another dimension its value (`value`).
            var region: String?
            var value: String?
            var documents: Int
            var segments: Int
            var cells: [String: RegionMatrix.Cell]
        }
        var dimension: String
        var measure: String
        var columns: [String]
        var rows: [Row]
    }

    /// Renders `matrix`; tables, CSV and Markdown show `measure`, JSON holds every measure.
    public static func render(_ matrix: RegionMatrix, measure: MatrixMeasure, format: OutputFormat) throws -> String {
        let byRegion = matrix.dimension == "region"
        let regionName = { (totals: RegionTotals) in totals.region ?? "(no \(matrix.dimension))" }
        switch format {
        case .json:
            return try JSONOutput.encode(
                MatrixJSON(
                    dimension: matrix.dimension, measure: measure.rawValue, columns: matrix.columns.map(\.key),
                    rows: matrix.regions.enumerated().map { row, totals in
                        MatrixJSON.Row(
                            region: byRegion ? totals.region : nil, value: byRegion ? nil : totals.region,
                            documents: totals.documents, segments: totals.segments,
                            cells: Dictionary(
                                uniqueKeysWithValues: zip(matrix.columns.map(\.key), matrix.cells[row])))
                    }))
        case .table, .csv, .markdown:
            let decimals = measure == .share || measure == .valence ? (format == .csv ? 4 : 2) : 0
            var table = TextTable(
                header: [matrix.dimension, "docs", "segs"] + matrix.columns.map(\.key),
                alignments: [.left] + Array(repeating: .right, count: matrix.columns.count + 2))
            for (row, totals) in matrix.regions.enumerated() {
                table.append(
                    [regionName(totals), String(totals.documents), String(totals.segments)]
                        + matrix.cells[row].map { formatNumber($0.value(measure), decimals: decimals) })
            }
            if format == .csv { return table.render(.csv) }
            let heading = format == .markdown ? "## " : ""
            let rows = byRegion ? "Region" : matrix.dimension.prefix(1).uppercased() + matrix.dimension.dropFirst()
            return "\(heading)\(rows) × code matrix: \(measure.rawValue)\n\n" + table.render(format)
        }
    }

    // MARK: Segments

    private struct SegmentsJSON: Encodable {
        var segments: [SegmentListing]
    }

    /// Renders a segment listing; the table shortens long texts to one line.
    public static func render(_ segments: [SegmentListing], format: OutputFormat) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(SegmentsJSON(segments: segments))
        case .table, .csv, .markdown:
            var table = TextTable(
                header: ["id", "document", "region", "speaker", "start", "end", "text"],
                alignments: [.right, .left, .left, .left, .right, .right, .left])
            for s in segments {
                let text = format == .csv ? s.text : oneLine(s.text, limit: format == .table ? 60 : 200)
                table.append([
                    String(s.id), s.document, s.region ?? "", s.speaker ?? "", String(s.start), String(s.end), text,
                ])
            }
            return table.render(format)
        }
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard flat.count > limit else { return flat }
        return String(flat.prefix(limit - 1)) + "…"
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
