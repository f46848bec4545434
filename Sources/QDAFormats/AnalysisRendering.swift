public import QDAAnalysis
public import QDACodebook
import QDAText

/// Renders the typology, comparison and co-occurrence reports.
extension ReportRendering {
    // MARK: Evidence for ratings

    /// The "Evidence" section of the pattern report: each rating with its strongest quotes.
    static func evidenceLines(_ report: PatternReport, quotes: Int, markdown: Bool) -> [String] {
        guard quotes > 0 else { return [] }
        var lines = ["", markdown ? "## Evidence" : "Evidence", ""]
        for region in report.regions {
            lines.append(markdown ? "### \(region.region)" : region.region)
            for group in report.groups {
                guard let factor = region.factors[group] else { continue }
                guard let rating = factor.rating else {
                    lines.append("- \(group): no evidence (no coded segment)")
                    continue
                }
                lines.append(
                    "- \(group) \(rating.rawValue)\(factor.thin ? " (thin)" : ""): "
                        + "\(plural(factor.segments, "segment")) in \(plural(factor.documents, "document"))")
                for quote in (factor.quotes ?? []).prefix(quotes) {
                    lines.append("    \"\(oneLine(quote.text, limit: 100))\" (\(quote.document), #\(quote.segment))")
                }
            }
            lines.append("")
        }
        lines.removeLast()
        return lines
    }

    // MARK: Types

    private struct TypesJSON: Encodable {
        struct Rule: Encodable {
            var type: String
            var label: String
            var conditions: [String]
        }
        struct Region: Encodable {
            var region: String
            var types: [PatternReport.TypeMatch]
        }
        var codebook: String?
        var rules: [Rule]
        var regions: [Region]
    }

    /// Renders the types of innovation per region: the typology's rules, then for each
    /// region the types whose rule fired, with the ratings that met each condition and
    /// the quotes behind them.
    public static func renderTypes(_ report: PatternReport, typology: [TypologyRule], format: OutputFormat) throws
        -> String
    {
        switch format {
        case .json:
            return try JSONOutput.encode(
                TypesJSON(
                    codebook: report.codebook,
                    rules: typology.map {
                        TypesJSON.Rule(type: $0.key, label: $0.label, conditions: $0.conditions.map(\.description))
                    },
                    regions: report.regions.map { TypesJSON.Region(region: $0.region, types: $0.types) }))
        case .csv:
            var table = TextTable(header: [
                "region", "type", "label", "condition", "rating", "score", "quote_segment", "quote_document", "quote",
            ])
            for region in report.regions {
                for match in region.types {
                    for evidence in match.evidence {
                        let quotes = evidence.quotes.isEmpty ? [nil] : evidence.quotes.map(Optional.some)
                        for quote in quotes {
                            table.append([
                                region.region, match.type, match.label, evidence.condition, evidence.rating.rawValue,
                                formatNumber(evidence.score), quote.map { String($0.segment) } ?? "",
                                quote?.document ?? "", quote?.text ?? "",
                            ])
                        }
                    }
                }
            }
            return table.render(.csv)
        case .table, .markdown:
            let markdown = format == .markdown
            var lines = [
                (markdown ? "## " : "") + "Types of innovation by region"
                    + (report.codebook.map { " (codebook: \($0))" } ?? ""),
                "",
            ]
            guard !typology.isEmpty else {
                return (lines + ["The codebook has no typology section; see docs/codebook-format.md."])
                    .joined(separator: "\n") + "\n"
            }
            lines.append("Rules (a type applies when every condition holds; ratings as in qda report patterns):")
            for rule in typology {
                lines.append(
                    "- \(rule.label) (\(rule.key)): " + rule.conditions.map(\.description).joined(separator: " and "))
            }
            var table = TextTable(header: ["region", "pattern", "types"])
            table.flexibleColumn = 2
            if !markdown { table.maxWidth = 80 }
            for region in report.regions {
                table.append([
                    region.region, region.pattern,
                    region.types.isEmpty ? "none" : region.types.map(\.label).joined(separator: ", "),
                ])
            }
            lines += ["", table.render(format).trimmingTrailingNewlines(), ""]
            lines.append(markdown ? "### Evidence" : "Evidence")
            for region in report.regions where !region.types.isEmpty {
                lines.append("")
                lines.append(markdown ? "#### \(region.region)" : region.region)
                for match in region.types {
                    lines.append("- \(match.label):")
                    for evidence in match.evidence {
                        lines.append(
                            "    \(evidence.condition): \(evidence.rating.rawValue) (score \(formatNumber(evidence.score)))"
                        )
                        for quote in evidence.quotes {
                            lines.append(
                                "      \"\(oneLine(quote.text, limit: 90))\" (\(quote.document), #\(quote.segment))")
                        }
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    // MARK: Compare

    /// Renders two regions side by side: groups, then codes, then the quotes behind the
    /// largest differences.
    public static func render(_ comparison: RegionComparison, format: OutputFormat) throws -> String {
        let (a, b) = (comparison.regions[0], comparison.regions[1])
        switch format {
        case .json:
            return try JSONOutput.encode(comparison)
        case .csv:
            var table = TextTable(header: [
                "key", "group", "level", "region", "segments", "documents", "share", "valence", "score", "rating",
                "thin",
            ])
            for (level, rows) in [("group", comparison.groups), ("code", comparison.codes)] {
                for row in rows {
                    for (name, f) in [(a, row.a), (b, row.b)] {
                        table.append([
                            row.key, row.group, level, name, String(f.segments), String(f.documents),
                            formatNumber(f.share, decimals: 4), formatNumber(f.valence, decimals: 4),
                            f.csvScore, f.rating?.rawValue ?? "", f.thin ? "true" : "false",
                        ])
                    }
                }
            }
            return table.render(.csv)
        case .table, .markdown:
            let markdown = format == .markdown
            let heading = markdown ? "## " : ""
            func cell(_ f: PatternReport.Factor) -> String { f.cell }
            func table(_ rows: [RegionComparison.Row]) -> String {
                var table = TextTable(
                    header: ["", a, b, "differs"], alignments: [.left, .left, .left, .left])
                for row in rows {
                    table.append([row.key, cell(row.a), cell(row.b), row.alike ? "" : "yes"])
                }
                return table.render(format).trimmingTrailingNewlines()
            }
            var lines = ["\(heading)\(a) and \(b) compared", "", "Rule: \(comparison.rule).", ""]
            let alike = comparison.alikeOn.isEmpty ? "no group" : comparison.alikeOn.joined(separator: ", ")
            let differ = comparison.differOn.isEmpty ? "no group" : comparison.differOn.joined(separator: ", ")
            lines.append("Alike on \(alike); differ on \(differ).")
            lines += ["", table(comparison.groups), "", "\(heading)Codes", "", table(comparison.codes)]
            if comparison.groups.contains(where: { $0.a.thin || $0.b.thin })
                || comparison.codes.contains(where: { $0.a.thin || $0.b.thin })
            {
                lines += [
                    "",
                    "* thin evidence: fewer than \(PatternReport.thinSegments) coded segments or "
                        + "\(PatternReport.thinDocuments) documents.",
                ]
            }
            for (name, types) in [(a, comparison.types[a] ?? []), (b, comparison.types[b] ?? [])] {
                lines.append("")
                lines.append("Types in \(name): " + (types.isEmpty ? "none" : types.joined(separator: ", ")) + ".")
            }
            if !comparison.evidence.isEmpty {
                lines += ["", "\(heading)Where they differ most"]
                for evidence in comparison.evidence {
                    lines.append("")
                    lines.append("- \(evidence.code)")
                    for (name, quotes) in [(a, evidence.a), (b, evidence.b)] {
                        for quote in quotes {
                            lines.append("    \(name): \"\(oneLine(quote.text, limit: 90))\" (\(quote.document))")
                        }
                        if quotes.isEmpty { lines.append("    \(name): no coded segment") }
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    // MARK: Co-occurrence

    /// Renders co-occurrence: the pairs by strength in tables, the full code × code
    /// counts in CSV (long form) and JSON.
    public static func render(_ result: Cooccurrence, format: OutputFormat, style: TerminalStyle = .plain) throws
        -> String
    {
        switch format {
        case .json:
            return try JSONOutput.encode(result)
        case .csv:
            var table = TextTable(header: ["code_a", "code_b", "count", "count_a", "count_b", "c"])
            for (i, a) in result.codes.enumerated() {
                for b in result.codes[i...] {
                    let n = result.count(a, b)
                    let union = result.count(a, a) + result.count(b, b) - n
                    table.append([
                        a, b, String(n), String(result.count(a, a)), String(result.count(b, b)),
                        formatNumber(a == b ? (n > 0 ? 1 : 0) : union > 0 ? Double(n) / Double(union) : 0, decimals: 4),
                    ])
                }
            }
            return table.render(.csv)
        case .table, .markdown:
            let heading = format == .markdown ? "## " : ""
            let scope = result.region.map { "in \($0)" } ?? "in all regions"
            let unit = result.window == 0 ? "segment" : "segment with \(result.window) neighbours on each side"
            var lines = [
                "\(heading)Code co-occurrence \(scope)", "",
                "Unit: a \(unit) (\(result.units) units). c = n(A,B) / (n(A) + n(B) - n(A,B)), as ATLAS.ti reports it.",
                "",
            ]
            if result.pairs.isEmpty {
                lines.append("No two codes occur together.")
                return lines.joined(separator: "\n") + "\n"
            }
            var table = TextTable(
                header: ["code A", "code B", "n(A,B)", "n(A)", "n(B)", "c"],
                alignments: [.left, .left, .right, .right, .right, .right])
            if format == .table { table.maxWidth = style.width }
            for pair in result.pairs {
                table.append([
                    pair.a, pair.b, String(pair.count), String(result.presence[pair.a] ?? 0),
                    String(result.presence[pair.b] ?? 0), formatNumber(pair.c),
                ])
            }
            lines.append(table.render(format).trimmingTrailingNewlines())
            let never = result.codes.filter { (result.presence[$0] ?? 0) == 0 }
            if !never.isEmpty {
                lines += ["", "Never coded here: " + never.joined(separator: ", ") + "."]
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

extension ReportRendering {
    /// The codebook as a tree (`qda codebook show`): each code indented under its group
    /// with its label, keywords and use; JSON is the list of `CodebookEntry`.
    public static func render(_ entries: [CodebookEntry], format: OutputFormat) throws -> String {
        if format == .json { return try json(entries) }
        var table = TextTable(
            header: ["key", "kw", "auto", "hand", "segs", "label"],
            alignments: [.left, .right, .right, .right, .right, .left])
        for entry in entries {
            // A table shows the tree: a code's last key part indented under its parent
            // (`.income` under `market`); CSV and Markdown keep the whole key.
            var key = entry.key
            if format == .table, entry.depth > 0, let dot = key.lastIndex(of: ".") {
                key = String(repeating: "  ", count: entry.depth) + String(key[dot...])
            }
            table.append([
                key, entry.depth == 0 ? "" : "\(entry.keywords)", "\(entry.autoCodings)", "\(entry.manualCodings)",
                "\(entry.segments)", entry.label,
            ])
        }
        return table.render(format)
    }
}
