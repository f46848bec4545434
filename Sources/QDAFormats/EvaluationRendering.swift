import Foundation
public import QDAAnalysis
import QDAText

/// Renders an evaluation of a machine coder against a person.
extension ReportRendering {
    /// The scores per group, per code and over all codes, with spans, valence, confusion
    /// and the most frequent error kinds; CSV gives one row per group, code and "all".
    /// `errors` errors are listed under the table (all of them in JSON).
    public static func render(_ evaluation: CoderEvaluation, format: OutputFormat, errors: Int = 10) throws -> String {
        let score = { (value: Double?) in value.map { formatNumber($0) } ?? "–" }
        switch format {
        case .json:
            return try JSONOutput.encode(evaluation)
        case .csv:
            var table = TextTable(header: [
                "level", "key", "true_positives", "false_positives", "false_negatives", "support", "precision",
                "recall", "f1",
            ])
            let rows =
                evaluation.groups.map { ("group", $0) } + evaluation.codes.map { ("code", $0) }
                + [("all", evaluation.overall)]
            for (level, s) in rows {
                table.append(
                    [
                        level, s.key, String(s.truePositives), String(s.falsePositives), String(s.falseNegatives),
                        String(s.support),
                    ]
                        + [s.precision, s.recall, s.f1].map { $0.map { formatNumber($0, decimals: 4) } ?? "" })
            }
            return table.render(.csv)
        case .table, .markdown:
            let heading = format == .markdown ? "## " : ""
            var lines = [
                "\(heading)\(evaluation.machine) against \(evaluation.person)",
                "",
                "\(plural(evaluation.units, "unit")) (turns and paragraphs) in \(plural(evaluation.documents, "document")) "
                    + "\(evaluation.person) coded. A code is present in a unit when it or a sub-code was applied there.",
                "",
            ]
            func table(_ title: String, _ rows: [CoderEvaluation.Scores]) -> String {
                var table = TextTable(
                    header: [title, "TP", "FP", "FN", "precision", "recall", "F1"],
                    alignments: [.left] + Array(repeating: .right, count: 6))
                if format == .table { table.maxWidth = 80 }
                for s in rows {
                    table.append([
                        s.key, String(s.truePositives), String(s.falsePositives), String(s.falseNegatives),
                        score(s.precision), score(s.recall), score(s.f1),
                    ])
                }
                return table.render(format).trimmingTrailingNewlines()
            }
            lines.append(table("group", evaluation.groups))
            lines += ["", table("code", evaluation.codes + [evaluation.overall])]
            let spans = evaluation.spans
            lines += [
                "",
                "Spans: \(spans.machineOverlapping) of \(evaluation.machine)'s \(spans.machine) codings overlap one of "
                    + "\(evaluation.person)'s with the same code (precision \(score(spans.precision))); "
                    + "\(spans.personFound) of \(evaluation.person)'s \(spans.person) are found (recall "
                    + "\(score(spans.recall))); mean overlap of those found \(score(spans.meanOverlap)).",
                "Valence: the net valence agrees in \(evaluation.valence.agreed) of \(evaluation.valence.compared) "
                    + "units both coded (\(score(evaluation.valence.agreement))).",
            ]
            if !evaluation.errorKinds.isEmpty {
                lines += ["", "\(heading)Most frequent errors", ""]
                var kinds = TextTable(
                    header: ["errors", "kind", "code", "cause"], alignments: [.right, .left, .left, .left])
                for kind in evaluation.errorKinds.prefix(10) {
                    kinds.append([String(kind.count), kind.kind, kind.code, kind.cause])
                }
                lines.append(kinds.render(format).trimmingTrailingNewlines())
            }
            let confusion = evaluation.confusion.filter { !$0.person.isEmpty && !$0.machine.isEmpty }
            if !confusion.isEmpty {
                lines += ["", "\(heading)Coded instead (\(evaluation.person)'s code → \(evaluation.machine)'s)", ""]
                var table = TextTable(
                    header: ["units", evaluation.person, evaluation.machine], alignments: [.right, .left, .left])
                for c in confusion.prefix(10) { table.append([String(c.count), c.person, c.machine]) }
                lines.append(table.render(format).trimmingTrailingNewlines())
            }
            if errors > 0, !evaluation.errors.isEmpty {
                lines += [
                    "",
                    "\(heading)Errors (\(min(errors, evaluation.errors.count)) of \(evaluation.errors.count); "
                        + "qda evaluate errors lists all)", "",
                ]
                lines.append(errorTable(evaluation, format: format, limit: errors).trimmingTrailingNewlines())
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Every miss and false alarm with its passage and rule; `limit` caps a table's rows.
    public static func render(errorsOf evaluation: CoderEvaluation, format: OutputFormat, limit: Int? = nil) throws
        -> String
    {
        if format == .json { return try JSONOutput.encode(["errors": evaluation.errors]) }
        return errorTable(evaluation, format: format, limit: limit)
    }

    private static func errorTable(_ evaluation: CoderEvaluation, format: OutputFormat, limit: Int?) -> String {
        guard !evaluation.errors.isEmpty else { return "No errors.\n" }
        let rows = limit.map { Array(evaluation.errors.prefix($0)) } ?? evaluation.errors
        guard format == .csv else {
            // One error to two lines: what, where and why; then the passage.
            return rows.map { e in
                var line =
                    "\(format == .markdown ? "- " : "")\(e.kind) \(e.code) in \(e.document) #\(e.segment): \(e.cause)"
                if let rule = e.rule { line += ", \(rule)" }
                if !e.instead.isEmpty { line += "; instead \(e.instead.joined(separator: ", "))" }
                return line + "\n    \"" + oneLine(e.passage, limit: 100) + "\""
            }.joined(separator: "\n") + "\n"
        }
        var table = TextTable(header: [
            "kind", "code", "document", "segment", "passage", "rule", "instead", "cause", "context",
        ])
        for e in rows {
            table.append([
                e.kind, e.code, e.document, String(e.segment), e.passage, e.rule ?? "",
                e.instead.joined(separator: "; "), e.cause, e.context,
            ])
        }
        return table.render(.csv)
    }

    /// A standalone HTML page: the scores, the error kinds and every error with its unit.
    public static func html(_ evaluation: CoderEvaluation, title: String) -> String {
        let e = HTMLReport.escape
        let score = { (value: Double?) in value.map { formatNumber($0) } ?? "–" }
        func table(_ caption: String, _ rows: [CoderEvaluation.Scores]) -> String {
            var html = "<table><caption>\(e(caption))</caption><thead><tr><th>key</th><th>TP</th><th>FP</th>"
            html += "<th>FN</th><th>precision</th><th>recall</th><th>F1</th></tr></thead><tbody>\n"
            for s in rows {
                html += "<tr><th scope=\"row\">\(e(s.key))</th><td>\(s.truePositives)</td><td>\(s.falsePositives)</td>"
                html += "<td>\(s.falseNegatives)</td><td>\(score(s.precision))</td><td>\(score(s.recall))</td>"
                html += "<td>\(score(s.f1))</td></tr>\n"
            }
            return html + "</tbody></table>\n"
        }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>
            body{font:15px/1.45 system-ui,"Noto Sans CJK SC",sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
            th[scope=row],td.text{text-align:left}caption{text-align:left;font-weight:600}
            .miss{color:#8a4b00}.fa{color:#0b4f8a}mark{background:#ffe08a}
            </style></head><body>
            <h1>\(e(title))</h1>
            <p>\(e(evaluation.machine)) against \(e(evaluation.person)): \(evaluation.units) units in \
            \(evaluation.documents) documents.</p>

            """
        html += table("Groups (presence per unit)", evaluation.groups)
        html += table("Codes (presence per unit)", evaluation.codes + [evaluation.overall])
        let spans = evaluation.spans
        html += "<p>Spans: precision \(score(spans.precision)), recall \(score(spans.recall)), mean overlap "
        html += "\(score(spans.meanOverlap)). Valence agreement \(score(evaluation.valence.agreement)) "
        html += "(\(evaluation.valence.agreed) of \(evaluation.valence.compared)).</p>\n"
        html += "<table><caption>Most frequent errors</caption><thead><tr><th>errors</th><th>kind</th><th>code</th>"
        html += "<th>cause</th></tr></thead><tbody>\n"
        for k in evaluation.errorKinds.prefix(10) {
            html += "<tr><td>\(k.count)</td><td class=text>\(e(k.kind))</td><td class=text>\(e(k.code))</td>"
            html += "<td class=text>\(e(k.cause))</td></tr>\n"
        }
        html += "</tbody></table>\n<h2>Errors</h2>\n<ol>\n"
        for error in evaluation.errors {
            let context = e(error.context).replacingOccurrences(
                of: e(error.passage), with: "<mark>\(e(error.passage))</mark>")
            html += "<li><span class=\(error.kind == "miss" ? "miss" : "fa")>\(e(error.kind))</span> "
            html += "<b>\(e(error.code))</b> in \(e(error.document)) (segment \(error.segment))"
            if let rule = error.rule { html += "; rule: \(e(rule))" }
            if !error.instead.isEmpty { html += "; instead: \(e(error.instead.joined(separator: ", ")))" }
            html += "; \(e(error.cause))<br><q>\(context)</q></li>\n"
        }
        return html + "</ol>\n</body></html>\n"
    }
}

extension ReportRendering {
    /// Suggestions against keywords per code, micro-averages and the learning curve.
    public static func render(_ evaluation: SuggestEvaluation, format: OutputFormat) throws -> String {
        let score = { (value: Double?) in value.map { formatNumber($0) } ?? "–" }
        switch format {
        case .json:
            return try JSONOutput.encode(evaluation)
        case .csv:
            var table = TextTable(header: [
                "code", "examples", "suggest_precision", "suggest_recall", "suggest_f1", "keyword_precision",
                "keyword_recall", "keyword_f1",
            ])
            for r in evaluation.codes {
                table.append(
                    [r.code, String(r.examples)]
                        + [
                            r.suggest.precision, r.suggest.recall, r.suggest.f1, r.keyword.precision, r.keyword.recall,
                            r.keyword.f1,
                        ].map { $0.map { formatNumber($0, decimals: 4) } ?? "" })
            }
            return table.render(.csv)
        case .table, .markdown:
            let heading = format == .markdown ? "## " : ""
            var lines = [
                "\(heading)Suggestions against keywords, \(evaluation.folds)-fold cross-validation by "
                    + (evaluation.byDocument ? "document" : "blocks of units (fewer documents than folds)"),
                "",
                "\(plural(evaluation.units, "unit")) in \(plural(evaluation.documents, "document")) people coded; "
                    + "each fold is held out while the model learns from the others.",
                "",
            ]
            var table = TextTable(
                header: ["code", "examples", "sugg. P", "sugg. R", "sugg. F1", "kw. P", "kw. R", "kw. F1", "better"],
                alignments: [.left] + Array(repeating: .right, count: 7) + [.left])
            if format == .table { table.maxWidth = 100 }
            for r in evaluation.codes + [
                SuggestEvaluation.Row(
                    code: "all", examples: evaluation.codes.reduce(0) { $0 + $1.examples },
                    suggest: evaluation.suggest, keyword: evaluation.keyword,
                    suggestWins: (evaluation.suggest.f1 ?? 0) > (evaluation.keyword.f1 ?? 0))
            ] {
                table.append([
                    r.code, String(r.examples), score(r.suggest.precision), score(r.suggest.recall),
                    score(r.suggest.f1), score(r.keyword.precision), score(r.keyword.recall), score(r.keyword.f1),
                    r.suggestWins.map { $0 ? "suggest" : "keywords" } ?? "",
                ])
            }
            lines.append(table.render(format).trimmingTrailingNewlines())
            lines += ["", "\(heading)Learning curve (micro F1 on held-out units)", ""]
            var curve = TextTable(header: ["training share", "examples", "F1"], alignments: [.right, .right, .right])
            for p in evaluation.curve {
                curve.append([formatNumber(p.fraction * 100, decimals: 0) + "%", String(p.examples), score(p.f1)])
            }
            lines.append(curve.render(format).trimmingTrailingNewlines())
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
