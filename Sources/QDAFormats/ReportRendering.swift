import Foundation
public import QDAAnalysis
import QDACodebook
import QDAText

/// Renders reports in the output formats.
///
/// JSON field names are a contract with scripts outside the repository; see
/// `docs/formats.md` before renaming anything.
public enum ReportRendering {
    // MARK: Patterns

    /// Renders `report` as a table, JSON, long-form CSV or Markdown; tables and Markdown
    /// end with up to `quotes` quotes per rating (JSON always holds them).
    public static func render(_ report: PatternReport, format: OutputFormat, quotes: Int = 0) throws -> String {
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
                        f.csvScore, f.rating?.rawValue ?? "", f.thin ? "true" : "false",
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
            var anyWithout = false
            for region in report.regions {
                let ratings = report.groups.map { group -> String in
                    guard let f = region.factors[group] else { return "" }
                    anyThin = anyThin || (f.thin && f.hasEvidence)
                    anyWithout = anyWithout || !f.hasEvidence
                    return f.cell
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
            if report.regions.contains(where: { region in region.factors.values.contains { $0.sentences != nil } }) {
                // What each rating rests on, so that a cell from one sentence reads apart from
                // one from twenty.
                var evidence = TextTable(
                    header: ["region"] + report.groups,
                    alignments: [.left] + report.groups.map { _ in .right })
                for region in report.regions {
                    evidence.append(
                        [region.region]
                            + report.groups.map { group in
                                guard let f = region.factors[group] else { return "" }
                                return "\(f.segments) (\(f.sentences ?? 0))"
                            })
                }
                lines.append("")
                lines.append(
                    "Coded segments behind each rating (in brackets: of them, sentences of literature and other prose):"
                )
                lines.append("")
                lines.append(evidence.render(format).trimmingTrailingNewlines())
            }
            if anyThin {
                lines.append("")
                lines.append(
                    "Ratings marked * rest on thin evidence: fewer than \(PatternReport.thinSegments) coded segments or "
                        + "\(PatternReport.thinDocuments) documents.")
            }
            if anyWithout {
                lines.append("")
                lines.append(PatternReport.Factor.noEvidenceLegend)
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
            if !report.clusters.isEmpty {
                lines.append("")
                lines.append("\(heading)Similar profiles (linked by a shared pattern or one group apart)")
                lines.append("")
                for cluster in report.clusters {
                    lines.append("- " + cluster.joined(separator: ", "))
                }
            }
            lines += evidenceLines(report, quotes: quotes, markdown: format == .markdown)
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
            var words: Int
            var cells: [String: RegionMatrix.Cell]
            /// The row's segments coded with any column's code, each once.
            var total: RegionMatrix.Cell?
        }
        var dimension: String
        var measure: String
        var columns: [String]
        var rows: [Row]
        var columnTotals: [String: RegionMatrix.Cell]
        var total: RegionMatrix.Cell?
        var minimumDocuments: Int
        var hiddenCells: Int

        enum CodingKeys: String, CodingKey {
            case dimension, measure, columns, rows, total
            case columnTotals = "column_totals"
            case minimumDocuments = "min_documents"
            case hiddenCells = "hidden_cells"
        }
    }

    /// Renders `matrix`; tables and Markdown show `measure` with row and column totals,
    /// CSV the cells alone (a clean case-by-code table for R), JSON every measure.
    public static func render(
        _ matrix: RegionMatrix, measure: MatrixMeasure, format: OutputFormat, style: TerminalStyle = .plain
    ) throws -> String {
        let byRegion = matrix.dimension == "region"
        let regionName = { (totals: RegionTotals) in totals.region ?? "(no \(matrix.dimension))" }
        let keys = matrix.columns.map(\.key)
        switch format {
        case .json:
            return try JSONOutput.encode(
                MatrixJSON(
                    dimension: matrix.dimension, measure: measure.rawValue, columns: keys,
                    rows: matrix.regions.enumerated().map { row, totals in
                        MatrixJSON.Row(
                            region: byRegion ? totals.region : nil, value: byRegion ? nil : totals.region,
                            documents: totals.documents, segments: totals.segments, words: totals.words,
                            cells: Dictionary(uniqueKeysWithValues: zip(keys, matrix.cells[row])),
                            total: row < matrix.rowTotals.count ? matrix.rowTotals[row] : nil)
                    },
                    columnTotals: Dictionary(uniqueKeysWithValues: zip(keys, matrix.columnTotals)),
                    total: matrix.total, minimumDocuments: matrix.minimumDocuments, hiddenCells: matrix.hiddenCells))
        case .table, .csv, .markdown:
            let decimals =
                measure == .share || measure == .valence || measure == .density ? (format == .csv ? 4 : 2) : 0
            let showTotals = format != .csv && !matrix.rowTotals.isEmpty && measure != .valence
            // A hidden cell is · in a table, empty (NA) in CSV.
            func show(_ cell: RegionMatrix.Cell) -> String {
                cell.hidden ? (format == .csv ? "" : "·") : formatNumber(cell.value(measure), decimals: decimals)
            }
            var table = TextTable(
                header: [matrix.dimension, "docs", "segs"] + keys + (showTotals ? ["total"] : []),
                alignments: [.left] + Array(repeating: .right, count: keys.count + 2 + (showTotals ? 1 : 0)))
            if format == .table { table.maxWidth = style.width }
            for (row, totals) in matrix.regions.enumerated() {
                table.append(
                    [regionName(totals), String(totals.documents), String(totals.segments)]
                        + matrix.cells[row].map(show) + (showTotals ? [show(matrix.rowTotals[row])] : []))
            }
            if showTotals, let total = matrix.total {
                table.append(["total", "", ""] + matrix.columnTotals.map(show) + [show(total)])
            }
            if format == .csv { return table.render(.csv) }
            let heading = format == .markdown ? "## " : ""
            let rows = byRegion ? "Region" : matrix.dimension.prefix(1).uppercased() + matrix.dimension.dropFirst()
            var output = "\(heading)\(rows) × code matrix: \(measure.rawValue)\n\n" + table.render(format)
            if showTotals {
                output += "\nTotals count each segment once, however many codes or regions it has.\n"
            }
            if matrix.hiddenCells > 0 {
                output +=
                    "\n\(matrix.hiddenCells) cells backed by fewer than \(matrix.minimumDocuments) documents are "
                    + "hidden (·); --min-documents 0 shows them.\n"
            }
            return output
        }
    }

    // MARK: Segments

    private struct SegmentsJSON: Encodable {
        var segments: [SegmentListing]
        var total: Int?
    }

    /// Renders a segment listing; the table shortens long texts to one line.
    public static func render(
        _ segments: [SegmentListing], format: OutputFormat, style: TerminalStyle = .plain
    ) throws -> String {
        try render(segments, total: nil, format: format, style: style)
    }

    /// Renders segments found by a filter or search: marked passages as «…» in tables
    /// (in colour on a terminal), **…** in Markdown, a `marked` column in CSV and offsets
    /// in JSON; context segments follow their segment, indented.
    public static func render(
        _ result: SegmentSearchResult, format: OutputFormat, style: TerminalStyle = .plain
    ) throws -> String {
        try render(result.segments, total: result.total, format: format, style: style)
    }

    private static func render(
        _ segments: [SegmentListing], total: Int?, format: OutputFormat, style: TerminalStyle
    ) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(SegmentsJSON(segments: segments, total: total))
        case .csv:
            var table = TextTable(header: [
                "id", "document", "ordinal", "region", "speaker", "timestamp", "page", "start", "end", "codes",
                "marked", "text",
            ])
            for s in segments {
                let codes = (s.codings ?? []).map(\.code)
                let marked = (s.marks ?? []).map { slice(s.text, $0.start - s.start, $0.end - s.start) }
                table.append([
                    String(s.id), s.document, String(s.ordinal), s.region ?? "", s.speaker ?? "", s.timestamp ?? "",
                    s.page.map(String.init) ?? "", String(s.start), String(s.end),
                    unique(codes).joined(separator: "; "), marked.joined(separator: "; "), s.text,
                ])
            }
            return table.render(.csv)
        case .table:
            // Blocks rather than columns: a heading line per segment, its text wrapped
            // below, so that long texts and marked passages stay readable at any width.
            let width = max(40, style.width ?? 100)
            var lines: [String] = []
            func add(_ s: SegmentListing, context: Bool) {
                var heading = "#\(s.id)  \(s.document) ¶\(s.ordinal + 1)"
                if let page = s.page { heading += " p. \(page)" }
                heading += "  [\(s.start)–\(s.end)]"
                for part in [
                    s.region,
                    s.speaker.map {
                        s.interviewer && !$0.lowercased().contains("interviewer") ? "\($0) (interviewer)" : $0
                    }, s.timestamp,
                ] {
                    if let part, !part.isEmpty { heading += " · \(part)" }
                }
                let indent = context ? "  ~ " : "    "
                lines.append((context ? "  ~ " : "") + heading)
                let text = marked(s, open: "«", close: "»")
                lines += wrap(context ? excerpt(text, marker: "«", limit: width * 2) : text, width: width - 4).map {
                    indent + $0
                }
                let codes = unique((s.codings ?? []).map { "\($0.code)\($0.coder == "auto" ? "" : " (\($0.coder))")" })
                if !context, !codes.isEmpty {
                    lines.append("    codes: " + codes.joined(separator: ", "))
                }
            }
            for s in segments {
                if !lines.isEmpty { lines.append("") }
                for c in s.context?.before ?? [] { add(c, context: true) }
                add(s, context: false)
                for c in s.context?.after ?? [] { add(c, context: true) }
            }
            var output = segments.isEmpty ? "No segments match.\n" : lines.joined(separator: "\n") + "\n"
            if segments.contains(where: { $0.context != nil }) {
                output += "\n~ marks a neighbouring segment shown as context.\n"
            }
            if let total, total > segments.count {
                output += "\nShowing \(segments.count) of \(total) segments; --limit shows more.\n"
            }
            if style.colour {
                output = output.replacingOccurrences(of: "«", with: "\u{1B}[1;33m")
                    .replacingOccurrences(of: "»", with: "\u{1B}[0m")
            }
            return output
        case .markdown:
            var table = TextTable(
                header: ["id", "document", "region", "speaker", "start", "end", "text"],
                alignments: [.right, .left, .left, .left, .right, .right, .left])
            for s in segments {
                for c in s.context?.before ?? [] { table.append(row(c, context: true)) }
                table.append(row(s, context: false))
                for c in s.context?.after ?? [] { table.append(row(c, context: true)) }
            }
            var output = table.render(.markdown)
            if let total, total > segments.count {
                output += "\nShowing \(segments.count) of \(total) segments.\n"
            }
            return output
        }
        func row(_ s: SegmentListing, context: Bool) -> [String] {
            let text = excerpt(marked(s, open: "**", close: "**"), marker: "**", limit: 300)
            return [
                context ? "~\(s.id)" : String(s.id), s.document, s.region ?? "", s.speaker ?? "", String(s.start),
                String(s.end), context ? "_(context)_ " + text : text,
            ]
        }
    }

    /// Lines of at most `width` display columns, broken at spaces (anywhere in CJK text).
    /// Punctuation that closes what comes before it: never the first character of a line.
    static let closingPunctuation = Set("。，、！？；：）」』》,.;:!?)")

    /// `text` broken into lines of at most `width` columns, at spaces where it can.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var lastSpace: String.Index?
        for character in text {
            let w = TextTable.width(scalars: character.unicodeScalars)
            // Closing punctuation stays on the line it closes.
            let closing = closingPunctuation.contains(character)
            if lineWidth + w > width, !line.isEmpty, !closing {
                if character == " " {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                    lastSpace = nil
                    continue
                }
                if let space = lastSpace {
                    let rest = String(line[line.index(after: space)...])
                    lines.append(String(line[..<space]))
                    line = rest
                    lineWidth = TextTable.width(rest)
                } else {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                lastSpace = nil
            }
            if character == " " { lastSpace = line.endIndex }
            line.append(character)
            lineWidth += w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The text of a segment with its marks wrapped in `open`/`close`, on one line.
    public static func marked(_ s: SegmentListing, open: String, close: String) -> String {
        let scalars = Array(s.text.unicodeScalars)
        var out = ""
        var position = 0
        for mark in (s.marks ?? []).sorted(by: { $0.start < $1.start }) {
            let start = max(position, min(scalars.count, mark.start - s.start))
            let end = max(start, min(scalars.count, mark.end - s.start))
            guard end > start else { continue }
            out +=
                String(String.UnicodeScalarView(scalars[position..<start])) + open
                + String(String.UnicodeScalarView(scalars[start..<end])) + close
            position = end
        }
        out += String(String.UnicodeScalarView(scalars[position...]))
        return out.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// At most `limit` characters of `text`, cut between words with "…" (CJK between any
    /// two characters): for echoing a quote.
    public static func shorten(_ text: String, to limit: Int) -> String {
        TextTable.cut(text, limit: limit)
    }

    /// At most `limit` characters of `text`, starting a little before the first `marker`
    /// when it would otherwise be cut off.
    static func excerpt(_ text: String, marker: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        var startIndex = text.startIndex
        if let first = text.range(of: marker), text.distance(from: text.startIndex, to: first.lowerBound) > limit / 3 {
            startIndex = text.index(
                first.lowerBound, offsetBy: -min(20, text.distance(from: text.startIndex, to: first.lowerBound)))
        }
        let rest = text[startIndex...]
        let cut = TextTable.cut(String(rest), limit: limit)
        return (startIndex == text.startIndex ? "" : "…") + cut
    }

    private static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        let low = max(0, min(scalars.count, start))
        let high = max(low, min(scalars.count, end))
        return String(String.UnicodeScalarView(scalars[low..<high]))
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// `text` with every line wider than `width` wrapped at spaces, continuation lines
    /// indented like the line they continue (tables already fit and pass unchanged).
    public static func fit(_ text: String, width: Int?) -> String {
        guard let width else { return text }
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            guard TextTable.width(line) > width else {
                out.append(line)
                continue
            }
            let indent = String(line.prefix { $0 == " " })
            let continuation = indent + (line.dropFirst(indent.count).hasPrefix("- ") ? "  " : "  ")
            let body = String(line.dropFirst(indent.count))
            let pieces = wrap(body, width: max(20, width - indent.count))
            for (n, piece) in pieces.enumerated() {
                if n == 0 {
                    out.append(indent + piece)
                } else {
                    out += wrap(piece, width: max(20, width - continuation.count)).map { continuation + $0 }
                }
            }
        }
        return out.joined(separator: "\n")
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return TextTable.cut(flat, limit: limit)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
