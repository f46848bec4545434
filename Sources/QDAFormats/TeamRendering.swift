public import QDAAnalysis
import QDAText

/// Renders codings, memos, merges and agreement.
extension ReportRendering {
    private struct CodingsJSON: Encodable {
        var codings: [CodingRecord]
    }

    /// Codings as a table (passages on one line), JSON, CSV (the import layout) or Markdown.
    public static func render(_ records: [CodingRecord], format: OutputFormat) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(CodingsJSON(codings: records))
        case .csv:
            return CodingCSV.render(records)
        case .table, .markdown:
            var table = TextTable(
                header: ["id", "document", "start", "end", "code", "coder", "val", "text"],
                alignments: [.right, .left, .right, .right, .left, .left, .right, .left])
            table.flexibleColumn = 7
            if format == .table { table.maxWidth = 80 }
            for r in records {
                table.append([
                    String(r.id), r.document, String(r.start), String(r.end), r.code, r.coder, String(r.valence),
                    oneLine(r.text, limit: 200),
                ])
            }
            return records.isEmpty ? "No codings.\n" : table.render(format)
        }
    }

    private struct MemosJSON: Encodable {
        var memos: [Memo]
    }

    /// Memos: Markdown groups them by what they are about.
    public static func render(_ memos: [Memo], format: OutputFormat) throws -> String {
        func about(_ m: Memo) -> String {
            switch m.target {
            case "document": return m.document ?? ""
            case "segment": return "segment #\(m.segment ?? 0) (\(m.document ?? ""))"
            case "code": return "code \(m.code ?? "")"
            case "cell": return "\(m.region ?? "") / \(m.code ?? "")"
            default: return "the project"
            }
        }
        switch format {
        case .json:
            return try JSONOutput.encode(MemosJSON(memos: memos))
        case .csv:
            var table = TextTable(header: [
                "id", "target", "document", "segment", "code", "region", "author", "created_at", "text",
            ])
            for m in memos {
                table.append([
                    String(m.id), m.target, m.document ?? "", m.segment.map(String.init) ?? "", m.code ?? "",
                    m.region ?? "", m.author, m.createdAt, m.text,
                ])
            }
            return table.render(.csv)
        case .markdown:
            var lines = ["# Memos", ""]
            for m in memos {
                lines.append("## \(about(m))")
                lines.append("")
                lines.append("\(m.text)")
                lines.append("")
                lines.append("— \(m.author), \(m.createdAt)")
                lines.append("")
            }
            return lines.joined(separator: "\n")
        case .table:
            guard !memos.isEmpty else { return "No memos.\n" }
            return memos.map { m in
                "#\(m.id)  \(about(m)) · \(m.author) · \(m.createdAt)\n"
                    + wrap(m.text.split(whereSeparator: \.isNewline).joined(separator: " "), width: 76).map {
                        "    " + $0
                    }.joined(separator: "\n")
            }.joined(separator: "\n\n") + "\n"
        }
    }

    /// The coefficient as a table cell: two decimals, or `–` with the reason footnoted.
    static func show(_ coefficient: Coefficient) -> String {
        coefficient.value.map { formatNumber($0) } ?? "–"
    }

    /// Agreement: per code, overall, coder pairs, the auto-coder's precision and recall,
    /// and (when listed) the disagreements.
    public static func render(_ report: AgreementReport, format: OutputFormat) throws -> String {
        let units = { (n: Double) in n == n.rounded() ? String(Int(n)) : formatNumber(n) }
        switch format {
        case .json:
            return try JSONOutput.encode(report)
        case .csv:
            if !report.disagreements.isEmpty {
                var table = TextTable(header: [
                    "code", "document", "segment", "start", "end", "coded", "not_coded", "text",
                ])
                for d in report.disagreements {
                    table.append([
                        d.code, d.document, d.segment.map(String.init) ?? "", String(d.start), String(d.end),
                        d.coded.joined(separator: "; "), d.notCoded.joined(separator: "; "), d.text,
                    ])
                }
                return table.render(.csv)
            }
            var table = TextTable(header: [
                "code", "units", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
            ])
            for c in report.codes + [report.overall] {
                table.append(
                    [c.code ?? "(all codes)", units(c.units)]
                        + [c.percentAgreement, c.cohenKappa, c.fleissKappa, c.krippendorffAlpha, c.gwetAC1].map {
                            $0.value.map { formatNumber($0, decimals: 4) } ?? ""
                        })
            }
            return table.render(.csv)
        case .table, .markdown:
            let heading = format == .markdown ? "## " : ""
            var lines = [
                "\(heading)Agreement of \(report.coders.joined(separator: ", ")) by \(report.unit.rawValue)",
                "",
                "\(plural(report.documents, "document")) coded by two of them or more. Units: "
                    + (report.unit == .character ? "characters." : "\(report.unit.rawValue)s."),
                "",
            ]
            var table = TextTable(
                header: ["code", "units", "agree", "Cohen κ", "Fleiss κ", "K. α", "AC1"],
                alignments: [.left] + Array(repeating: .right, count: 6))
            if format == .table { table.maxWidth = 80 }
            var reasons: [String] = []
            for c in report.codes + [report.overall] {
                table.append(
                    [c.code ?? "all codes", units(c.units)]
                        + [c.percentAgreement, c.cohenKappa, c.fleissKappa, c.krippendorffAlpha, c.gwetAC1].map(show))
                for (field, reason) in c.undefined.sorted(by: { $0.key < $1.key })
                where field != "cohen_kappa" || report.coders.count == 2 {
                    reasons.append("\(c.code ?? "all codes"), \(field): \(reason)")
                }
            }
            lines.append(table.render(format).trimmingTrailingNewlines())
            if report.coders.count != 2 { lines += ["", "Cohen's κ compares two coders; see the pairs below."] }
            if !reasons.isEmpty {
                lines += ["", "– undefined:"] + reasons.prefix(20).map { "  " + $0 }
                if reasons.count > 20 { lines.append("  … and \(reasons.count - 20) more (JSON lists all).") }
            }
            if report.pairs.count > 0 {
                lines += ["", "\(heading)Coder pairs (most disagreement first)", ""]
                var pairs = TextTable(
                    header: ["coders", "units", "differ", "agree", "Cohen κ"],
                    alignments: [.left, .right, .right, .right, .right])
                for p in report.pairs {
                    pairs.append([
                        p.coders.joined(separator: " / "), units(p.units), units(p.disagreements),
                        show(p.percentAgreement), show(p.cohenKappa),
                    ])
                }
                lines.append(pairs.render(format).trimmingTrailingNewlines())
            }
            for check in report.auto {
                lines += ["", "\(heading)The auto-coder against \(check.against)", ""]
                var table = TextTable(
                    header: ["code", "both", "auto only", "\(check.against) only", "precision", "recall", "F1"],
                    alignments: [.left] + Array(repeating: .right, count: 6))
                for row in check.codes {
                    table.append([
                        row.code, units(row.truePositives), units(row.falsePositives), units(row.falseNegatives),
                        show(row.precision), show(row.recall), show(row.f1),
                    ])
                }
                lines.append(table.render(format).trimmingTrailingNewlines())
                let examples = check.codes.filter {
                    !$0.falsePositiveExamples.isEmpty || !$0.falseNegativeExamples.isEmpty
                }
                if !examples.isEmpty {
                    lines.append("")
                    lines.append("Examples (segment ids; qda segments --context 0 shows them):")
                    for row in examples {
                        var parts: [String] = []
                        if !row.falsePositiveExamples.isEmpty {
                            parts.append(
                                "over-fires in " + row.falsePositiveExamples.map { "#\($0)" }.joined(separator: ", "))
                        }
                        if !row.falseNegativeExamples.isEmpty {
                            parts.append("misses " + row.falseNegativeExamples.map { "#\($0)" }.joined(separator: ", "))
                        }
                        lines.append("- \(row.code): " + parts.joined(separator: "; "))
                    }
                }
            }
            if !report.disagreements.isEmpty {
                lines += ["", "\(heading)Disagreements (\(report.disagreements.count))", ""]
                for d in report.disagreements {
                    lines.append(
                        "- \(d.code) in \(d.document)\(d.segment.map { " #\($0)" } ?? "") [\(d.start)–\(d.end)]: "
                            + "coded by \(d.coded.joined(separator: ", ")), not by \(d.notCoded.joined(separator: ", "))"
                    )
                    lines.append("    \"\(oneLine(d.text, limit: 140))\"")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
