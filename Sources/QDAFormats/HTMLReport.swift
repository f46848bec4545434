import Foundation
public import QDAAnalysis
public import QDACodebook
import QDAText

/// One self-contained HTML file to look at the analysis: the region × factor heatmap,
/// each region's profile, the typology, code co-occurrence, QCA, and every cell's quotes.
///
/// No network and no scripts: styles are inline, charts are inline SVG, drill-down is
/// `<details>` and anchors. Every piece of text from the project (transcripts, names,
/// codebook labels) goes through `escape`.
public struct HTMLReport: Sendable {
    /// A QCA to include: conditions and an outcome as `qda qca minimize` takes them.
    public struct QCARequest: Sendable, Equatable {
        /// The conditions.
        public var conditions: [String]
        /// The outcome (`type:KEY`, a group or code, or `attr:KEY=VALUE`).
        public var outcome: String

        /// Creates the value from its fields.
        public init(conditions: [String], outcome: String) {
            self.conditions = conditions
            self.outcome = outcome
        }
    }

    /// One QCA of the report: its data and solutions, or why there are none.
    public struct QCAResult: Sendable {
        /// What was asked.
        public var request: QCARequest
        /// The calibrated data, when there were any.
        public var data: QCAData?
        /// The solutions, when the analysis ran.
        public var solutions: QCASolutions?
        /// Why there is no analysis, when there is none.
        public var problem: String?

        /// Creates the value from its fields.
        public init(request: QCARequest) {
            self.request = request
        }
    }

    /// The pattern report shown.
    public let report: PatternReport
    /// The codebook's groups and codes.
    public let codes: [CodeInfo]
    /// The codebook's typology.
    public let typology: [TypologyRule]
    /// Code co-occurrence in segments.
    public let cooccurrence: Cooccurrence
    /// The QCA results.
    public let qca: [QCAResult]
    /// The researcher's grid.
    public let grid: [GridCell]
    /// The page's title.
    public let title: String
    /// Quotes per code cell, keyed by region then code.
    public let codeQuotes: [String: [String: [Quote]]]

    /// The report of `report`, with the codebook's `codes` and `typology`, code
    /// co-occurrence, the QCA results, the researcher's `grid` and the quotes per code
    /// cell (region → code → quotes).
    public init(
        report: PatternReport, codes: [CodeInfo], typology: [TypologyRule], cooccurrence: Cooccurrence,
        qca: [QCAResult], grid: [GridCell], title: String, codeQuotes: [String: [String: [Quote]]]
    ) {
        self.report = report
        self.codes = codes
        self.typology = typology
        self.cooccurrence = cooccurrence
        self.qca = qca
        self.grid = grid
        self.title = title
        self.codeQuotes = codeQuotes
    }

    /// HTML-escapes text for element content and attribute values (valid XML escapes too).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private func e(_ text: String) -> String { Self.escape(text) }

    /// A colour for a score: orange for negative, blue for positive, white around zero
    /// (a diverging scheme readable with red–green colour blindness).
    static func colour(score: Double) -> String {
        let t = max(-1, min(1, score / 1.25))
        let white = (247.0, 247.0, 247.0)
        let end = t < 0 ? (179.0, 88.0, 6.0) : (33.0, 102.0, 172.0)
        let f = abs(t)
        let r = Int((white.0 + (end.0 - white.0) * f).rounded())
        let g = Int((white.1 + (end.1 - white.1) * f).rounded())
        let b = Int((white.2 + (end.2 - white.2) * f).rounded())
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    /// A cell without evidence: hatched grey, in SVG and in CSS.
    static let hatchPattern =
        "<defs><pattern id=\"no-evidence\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
        + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b0b0b0\" stroke-width=\"2\"/></pattern></defs>\n"
    static let noEvidenceCSS = "repeating-linear-gradient(45deg, #ffffff 0 3px, #b0b0b0 3px 5px)"

    private static func textColour(score: Double) -> String {
        abs(score) / 1.25 > 0.55 ? "#ffffff" : "#1a1a1a"
    }

    /// The document.
    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
            h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
            table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #ddd; padding: .3rem .6rem; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .meta { color: #555; font-size: .9rem; } .thin { color: #a33; }
            .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
            .card { border: 1px solid #ddd; border-radius: 6px; padding: .6rem .8rem; }
            details { margin: .3rem 0; } summary { cursor: pointer; }
            blockquote { margin: .4rem 0 .4rem 1rem; padding-left: .7rem; border-left: 3px solid #ccc; }
            blockquote cite { display: block; color: #555; font-size: .85rem; font-style: normal; }
            .legend span { display: inline-block; width: 1.4rem; height: .9rem; vertical-align: middle; border: 1px solid #ccc; }
            svg text { font-family: inherit; }
            .disagree { background: #fde8d8; } .nowrap { white-space: nowrap; }
            </style>
            </head>
            <body>

            """
        html += "<h1>\(e(title))</h1>\n"
        html += "<p class=\"meta\">Codebook: \(e(report.codebook ?? "none"))."
        html += " Regions counted at the level “\(e(report.level))”; regions with fewer than \(report.minimumSegments)"
        html += " segments are not rated.</p>\n"
        html += "<p class=\"meta\">Rule: \(e(report.rule)). Ratings marked * rest on thin evidence (fewer than"
        html += " \(PatternReport.thinSegments) coded segments or \(PatternReport.thinDocuments) documents).</p>\n"
        html += "<nav><a href=\"#heatmap\">Heatmap</a> · <a href=\"#profiles\">Profiles</a> · "
        html += "<a href=\"#types\">Types</a> · " + (grid.isEmpty ? "" : "<a href=\"#grid\">Grid</a> · ")
        html += "<a href=\"#cooccurrence\">Co-occurrence</a> · "
        html += "<a href=\"#qca\">QCA</a> · <a href=\"#evidence\">Evidence</a></nav>\n"
        html += heatmapSection()
        html += profilesSection()
        html += typesSection()
        html += gridSection()
        html += cooccurrenceSection()
        html += qcaSection()
        html += evidenceSection()
        html += "</body>\n</html>\n"
        return html
    }

    private func cellID(_ region: Int, _ key: String) -> String {
        "cell-\(region)-"
            + key.unicodeScalars.map { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
                    ? String(scalar) : "_"
            }.joined()
    }

    private func factor(_ region: PatternReport.Region, _ key: String) -> PatternReport.Factor? {
        region.factors[key] ?? region.codes[key]
    }

    // MARK: Heatmap

    private func heatmapSection() -> String {
        var html = "<h2 id=\"heatmap\">Region × factor heatmap</h2>\n"
        html += "<p>Colour shows the score (orange negative, blue positive); the text is the rating. "
        html += "A hatched cell marked · has no evidence: no segment of the region is coded with it, which is "
        html += "not rated (not the same as a rated -). Click a cell for its quotes.</p>\n"
        html += legend()
        html += heatmap(keys: report.groups, label: "Factor groups")
        let factorCodes = codes.filter { $0.depth > 0 }.map(\.key)
        html += heatmap(keys: factorCodes, label: "Codes")
        return html
    }

    private func legend() -> String {
        let stops: [(String, Double)] = [("-- ", -1.25), ("-", -0.5), ("o", 0), ("+", 0.5), ("++", 1.25)]
        return "<p class=\"legend\">"
            + stops.map { "<span style=\"background:\(Self.colour(score: $0.1))\"></span> \(e($0.0))" }
            .joined(separator: " &nbsp; ")
            + " &nbsp; <span style=\"background:\(Self.noEvidenceCSS)\"></span> no evidence</p>\n"
    }

    private func heatmap(keys: [String], label: String) -> String {
        Self.heatmap(report: report, keys: keys, label: label) { index, _, key in "#" + cellID(index, key) }
    }

    /// The region × `keys` heatmap of `report` as an SVG figure, each cell a link to
    /// `link(regionIndex, region, key)` (the report links to its own quotes; the workbench
    /// server to the quotes behind the cell).
    public static func heatmap(
        report: PatternReport, keys: [String], label: String, link: (Int, String, String) -> String
    ) -> String {
        func e(_ text: String) -> String { escape(text) }
        func factor(_ region: PatternReport.Region, _ key: String) -> PatternReport.Factor? {
            region.factors[key] ?? region.codes[key]
        }
        let cellWidth = keys.count > 6 ? 46 : 110
        let cellHeight = 30
        let left = 130
        let top = keys.count > 6 ? 150 : 40
        let width = left + cellWidth * keys.count + (keys.count > 6 ? 110 : 10)
        let height = top + cellHeight * report.regions.count + 10
        var svg = "<svg role=\"img\" aria-label=\"\(e(label))\" xmlns=\"http://www.w3.org/2000/svg\" "
        svg += "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        svg += hatchPattern
        for (j, key) in keys.enumerated() {
            let x = left + j * cellWidth + cellWidth / 2
            if keys.count > 6 {
                svg +=
                    "<text x=\"\(x)\" y=\"\(top - 6)\" font-size=\"12\" transform=\"rotate(-55 \(x) \(top - 6))\">\(e(key))</text>\n"
            } else {
                svg += "<text x=\"\(x)\" y=\"\(top - 10)\" font-size=\"13\" text-anchor=\"middle\">\(e(key))</text>\n"
            }
        }
        for (i, region) in report.regions.enumerated() {
            let y = top + i * cellHeight
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(y + 20)\" font-size=\"13\" text-anchor=\"end\">\(e(region.region))</text>\n"
            for (j, key) in keys.enumerated() {
                guard let f = factor(region, key) else { continue }
                let x = left + j * cellWidth
                guard f.hasEvidence else {
                    let tip = "\(region.region) · \(key): no evidence (no coded segment), not rated"
                    svg +=
                        "<a href=\"\(e(link(i, region.region, key)))\"><rect class=\"no-evidence\" x=\"\(x)\" y=\"\(y)\" "
                    svg += "width=\"\(cellWidth - 2)\" height=\"\(cellHeight - 2)\" fill=\"url(#no-evidence)\">"
                    svg += "<title>\(e(tip))</title></rect>"
                    svg +=
                        "<text x=\"\(x + cellWidth / 2 - 1)\" y=\"\(y + 19)\" font-size=\"13\" text-anchor=\"middle\" "
                    svg += "fill=\"#555\">\(PatternReport.Factor.noEvidence)</text></a>\n"
                    continue
                }
                let tip =
                    "\(region.region) · \(key): \(f.label) (score \(formatNumber(f.score))), "
                    + "\(plural(f.segments, "segment")) in \(plural(f.documents, "document"))"
                    + (f.sentences.map { " (\(plural($0, "prose sentence")))" } ?? "")
                    + (f.thin ? ", thin evidence" : "")
                svg +=
                    "<a href=\"\(e(link(i, region.region, key)))\"><rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth - 2)\" "
                svg +=
                    "height=\"\(cellHeight - 2)\" fill=\"\(colour(score: f.score))\"><title>\(e(tip))</title></rect>"
                svg += "<text x=\"\(x + cellWidth / 2 - 1)\" y=\"\(y + 19)\" font-size=\"13\" text-anchor=\"middle\" "
                svg +=
                    "fill=\"\(textColour(score: f.score))\">\(e(f.label))</text></a>\n"
            }
        }
        svg += "</svg>\n"
        return "<figure>\n\(svg)<figcaption>\(e(label))</figcaption></figure>\n"
    }

    // MARK: Profiles

    private func profilesSection() -> String {
        var html = "<h2 id=\"profiles\">Region profiles</h2>\n"
        html += "<p>Scores per group and code (bars right of the line are above zero). Pattern: the group ratings in "
        html += "order \(e(report.groups.joined(separator: ", "))).</p>\n<div class=\"cards\">\n"
        let keys = codes.filter { $0.role == .factor }.map(\.key)
        for region in report.regions {
            html += "<div class=\"card\"><strong>\(e(region.region))</strong> <span class=\"meta\">"
            html += "\(region.documents) documents, \(region.segments) segments · pattern \(e(region.pattern))</span>\n"
            html += profile(region, keys: keys)
            html += "</div>\n"
        }
        html += "</div>\n"
        return html
    }

    private func profile(_ region: PatternReport.Region, keys: [String]) -> String {
        let rowHeight = 16
        let labelWidth = 170
        let barWidth = 160
        let width = labelWidth + barWidth + 50
        let height = rowHeight * keys.count + 8
        let zero = labelWidth + barWidth / 2
        var svg =
            "<svg role=\"img\" aria-label=\"\(e("Profile of " + region.region))\" xmlns=\"http://www.w3.org/2000/svg\" "
        svg += "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        svg += "<line x1=\"\(zero)\" y1=\"0\" x2=\"\(zero)\" y2=\"\(height)\" stroke=\"#888\"/>\n"
        for (i, key) in keys.enumerated() {
            guard let f = factor(region, key) else { continue }
            let y = i * rowHeight + 4
            let isGroup = !key.contains(".")
            // No evidence draws no bar: there is no score to show.
            let length = f.hasEvidence ? Int((min(1.5, abs(f.score)) / 1.5 * Double(barWidth / 2)).rounded()) : 0
            let x = f.score < 0 ? zero - length : zero
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 11)\" font-size=\"11\" text-anchor=\"end\""
            svg += isGroup ? " font-weight=\"bold\">" : ">"
            svg += "\(e(key))</text>"
            svg +=
                "<rect x=\"\(x)\" y=\"\(y + 2)\" width=\"\(f.hasEvidence ? max(1, length) : 0)\" height=\"\(rowHeight - 5)\" "
            svg += "fill=\"\(Self.colour(score: f.score == 0 ? 0 : f.score < 0 ? -1 : 1))\"><title>"
            svg += "\(e(f.hasEvidence ? "\(key): \(f.cell)" : "\(key): no evidence"))</title></rect>"
            svg += "<text x=\"\(labelWidth + barWidth + 4)\" y=\"\(y + 11)\" font-size=\"11\">"
            svg += "\(e(f.label))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    // MARK: Types

    private func typesSection() -> String {
        var html = "<h2 id=\"types\">Types of innovation</h2>\n"
        guard !typology.isEmpty else {
            return html + "<p>The codebook has no typology.</p>\n"
        }
        html += "<ul>\n"
        for rule in typology {
            html += "<li><strong>\(e(rule.label))</strong>: "
            html += e(rule.conditions.map(\.description).joined(separator: " and ")) + "</li>\n"
        }
        html += "</ul>\n<table>\n<tr><th>region</th><th>pattern</th>"
        for rule in typology { html += "<th>\(e(rule.label))</th>" }
        html += "</tr>\n"
        for region in report.regions {
            html += "<tr><td>\(e(region.region))</td><td class=\"nowrap\">\(e(region.pattern))</td>"
            for rule in typology {
                if let match = region.types.first(where: { $0.type == rule.key }) {
                    let why = match.evidence.map { "\($0.key) \($0.rating.rawValue)" }.joined(separator: ", ")
                    html += "<td title=\"\(e(why))\">✓ <span class=\"meta\">\(e(why))</span></td>"
                } else {
                    html += "<td></td>"
                }
            }
            html += "</tr>\n"
        }
        html += "</table>\n"
        return html
    }

    // MARK: Grid

    private func gridSection() -> String {
        guard !grid.isEmpty else { return "" }
        var html = "<h2 id=\"grid\">The researcher's grid</h2>\n"
        html += "<p>Ratings and descriptors set with <code>qda grid set</code>, beside the derived ratings; "
        html += "highlighted where they disagree.</p>\n<table>\n<tr><th>region</th><th>code</th><th>researcher</th>"
        html += "<th>derived</th><th>note</th></tr>\n"
        for cell in grid {
            let derived = report.regions.first { $0.region == cell.region }.flatMap { factor($0, cell.code) }
            let disagree = cell.rating != nil && derived != nil && cell.rating != derived?.rating
            html += "<tr\(disagree ? " class=\"disagree\"" : "")><td>\(e(cell.region))</td><td>\(e(cell.code))</td>"
            html += "<td>\(e([cell.rating?.rawValue, cell.descriptor].compactMap { $0 }.joined(separator: " · ")))</td>"
            html += "<td>\(e(derived.map(\.label) ?? ""))</td><td>\(e(cell.note ?? ""))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    // MARK: Co-occurrence

    private func cooccurrenceSection() -> String {
        var html = "<h2 id=\"cooccurrence\">Code co-occurrence</h2>\n"
        html += "<p>Segments coded with both codes, n(A,B), in all regions (\(cooccurrence.units) segments); colour "
        html += "shows c = n(A,B) / (n(A) + n(B) − n(A,B)).</p>\n"
        let keys = cooccurrence.codes.filter { (cooccurrence.presence[$0] ?? 0) > 0 }
        guard keys.count > 1 else { return html + "<p>Fewer than two codes are in use.</p>\n" }
        let size = 26
        let left = 170
        let top = 150
        let width = left + size * keys.count + 110
        let height = top + size * keys.count + 10
        var svg = "<svg role=\"img\" aria-label=\"Code co-occurrence\" xmlns=\"http://www.w3.org/2000/svg\" "
        svg += "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        svg += Self.hatchPattern
        for (j, key) in keys.enumerated() {
            let x = left + j * size + size / 2
            svg +=
                "<text x=\"\(x)\" y=\"\(top - 6)\" font-size=\"11\" transform=\"rotate(-55 \(x) \(top - 6))\">\(e(key))</text>\n"
        }
        for (i, a) in keys.enumerated() {
            let y = top + i * size
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 17)\" font-size=\"11\" text-anchor=\"end\">\(e(a))</text>\n"
            for (j, b) in keys.enumerated() where j <= i {
                let n = cooccurrence.count(a, b)
                let union = cooccurrence.count(a, a) + cooccurrence.count(b, b) - n
                let c = a == b ? 1 : union > 0 ? Double(n) / Double(union) : 0
                let x = left + j * size
                let fill = a == b ? "#eeeeee" : Self.colour(score: c * 1.25)
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(size - 2)\" height=\"\(size - 2)\" fill=\"\(fill)\">"
                svg += "<title>\(e("\(a) × \(b): n = \(n), c = \(formatNumber(c))"))</title></rect>"
                if n > 0 {
                    svg += "<text x=\"\(x + size / 2 - 1)\" y=\"\(y + 17)\" font-size=\"10\" text-anchor=\"middle\" "
                    svg += "fill=\"\(a != b && c > 0.45 ? "#ffffff" : "#1a1a1a")\">\(n)</text>"
                }
                svg += "\n"
            }
        }
        svg += "</svg>\n"
        html += svg
        let strongest = cooccurrence.pairs.prefix(8)
        if !strongest.isEmpty {
            html += "<table>\n<tr><th>code A</th><th>code B</th><th>n(A,B)</th><th>c</th></tr>\n"
            for pair in strongest {
                html += "<tr><td>\(e(pair.a))</td><td>\(e(pair.b))</td><td class=\"num\">\(pair.count)</td>"
                html += "<td class=\"num\">\(formatNumber(pair.c))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }

    // MARK: QCA

    private func qcaSection() -> String {
        var html = "<h2 id=\"qca\">Qualitative Comparative Analysis</h2>\n"
        html += "<p>Fuzzy-set QCA on the regions (docs/qca.md): each condition's score calibrated with the direct "
        html += "method, anchors −0.75 (full non-membership), 0 (crossover), 0.75 (full membership), log-odds ±3; "
        html +=
            "truth table rows need consistency ≥ 0.8 and one case. Run <code>qda qca</code> for other settings.</p>\n"
        if qca.isEmpty { return html + "<p>No outcome to analyse: the codebook has no typology.</p>\n" }
        for result in qca {
            let request = result.request
            html += "<h3>\(e(request.outcome)) ← \(e(request.conditions.joined(separator: ", ")))</h3>\n"
            if let problem = result.problem {
                html += "<p class=\"thin\">Not analysed: \(e(problem))</p>\n"
                continue
            }
            guard let data = result.data, let solutions = result.solutions else { continue }
            html += "<details><summary>Memberships (\(data.cases.count) cases)</summary>\n<table>\n<tr><th>case</th>"
            for condition in data.conditions { html += "<th>\(e(condition))</th>" }
            html += "<th>\(e(data.outcome))</th></tr>\n"
            for (i, name) in data.cases.enumerated() {
                html += "<tr><td>\(e(name))</td>"
                for value in data.memberships[i] { html += "<td class=\"num\">\(formatNumber(value))</td>" }
                html += "<td class=\"num\">\(formatNumber(data.outcomeMemberships[i]))</td></tr>\n"
            }
            html += "</table></details>\n"
            let table = solutions.table
            html += "<table>\n<tr>"
            for condition in table.conditions { html += "<th>\(e(condition))</th>" }
            html += "<th>OUT</th><th>n</th><th>incl</th><th>PRI</th><th>cases</th></tr>\n"
            for row in table.rows where row.output != .remainder {
                html += "<tr\(row.contradictory ? " class=\"disagree\"" : "")>"
                for j in table.conditions.indices {
                    html += "<td class=\"num\">\(table.value(row.configuration, condition: j) ? 1 : 0)</td>"
                }
                html += "<td class=\"num\">\(row.output.rawValue)\(row.contradictory ? " C" : "")</td>"
                html += "<td class=\"num\">\(row.cases.count)</td>"
                html +=
                    "<td class=\"num\">\(formatNumber(row.consistency))</td><td class=\"num\">\(formatNumber(row.pri))</td>"
                html += "<td>\(e(row.cases.joined(separator: ", ")))</td></tr>\n"
            }
            html += "</table>\n"
            if !table.ambiguousCases.isEmpty {
                html += "<p class=\"meta\">Left out, membership exactly 0.5 in a condition: "
                html += "\(e(table.ambiguousCases.joined(separator: ", "))).</p>\n"
            }
            if table.rows.contains(where: { $0.contradictory }) {
                html += "<p class=\"meta\">C: a contradictory row — its cases differ on the outcome.</p>\n"
            }
            if let why = solutions.whyNoSolution { html += "<p class=\"why\">\(e(why))</p>\n" }
            html += "<ul>\n"
            for solution in solutions.solutions {
                let models = solution.models.map { model in
                    "\(model.expression.isEmpty ? "(no term)" : model.expression) → \(solution.outcome) "
                        + "(consistency \(formatNumber(model.consistency)), coverage \(formatNumber(model.coverage)))"
                        + (model.terms.contains(where: \.lowConsistency)
                            ? " — a term's consistency is below the inclusion cut" : "")
                }
                html += "<li>\(e(solution.kind.rawValue)): "
                html += models.isEmpty ? "no configuration gives the outcome" : e(models.joined(separator: "; or "))
                html += "</li>\n"
            }
            html += "</ul>\n"
        }
        return html
    }

    // MARK: Evidence

    private func evidenceSection() -> String {
        var html = "<h2 id=\"evidence\">Evidence</h2>\n"
        html += "<p>Each rating with the coded segments that carry it most strongly.</p>\n"
        for (i, region) in report.regions.enumerated() {
            html += "<h3>\(e(region.region))</h3>\n"
            for group in report.groups {
                guard let f = region.factors[group] else { continue }
                html += details(i, key: group, factor: f, quotes: f.quotes ?? [], open: false)
                for code in codes where code.groupKey == group && code.depth > 0 {
                    guard let c = region.codes[code.key], c.segments > 0 else { continue }
                    html += "<div style=\"margin-left:1.5rem\">"
                    html += details(
                        i, key: code.key, factor: c, quotes: codeQuotes[region.region]?[code.key] ?? [], open: false)
                    html += "</div>"
                }
            }
            for type in region.types {
                html += "<p>Type: <strong>\(e(type.label))</strong> — "
                html += e(type.evidence.map { "\($0.condition): \($0.rating.rawValue)" }.joined(separator: "; "))
                html += "</p>\n"
            }
        }
        return html
    }

    private func details(_ region: Int, key: String, factor f: PatternReport.Factor, quotes: [Quote], open: Bool)
        -> String
    {
        // The anchor sits inside the <details>: browsers open a closed <details> when a
        // link targets something in it.
        var html = "<details\(open ? " open" : "")><summary>"
        html +=
            "<strong>\(e(key))</strong> "
            + (f.hasEvidence ? "\(e(f.label)) (score \(formatNumber(f.score))) · " : "no evidence · ")
        html +=
            "\(plural(f.segments, "segment")) in \(plural(f.documents, "document"))"
            + (f.sentences.map { " (of them \(plural($0, "prose sentence")))" } ?? "")
            + " · share \(formatNumber(f.share)) · "
        html += "valence \(formatNumber(f.valence))"
        if f.thin { html += " <span class=\"thin\">thin evidence</span>" }
        html += "</summary>\n<div id=\"\(cellID(region, key))\">\n"
        if quotes.isEmpty { html += "<p class=\"meta\">No coded segment.</p>\n" }
        for quote in quotes {
            html += "<blockquote>\(e(quote.text))<cite>\(e(quote.document))"
            if let speaker = quote.speaker { html += " · \(e(speaker))" }
            html += " · segment #\(quote.segment)</cite></blockquote>\n"
        }
        html += "</div></details>\n"
        return html
    }
}
