import Foundation
import QDAAnalysis

/// A table of strings that renders as aligned text, CSV or Markdown.
package struct TextTable: Sendable {
    package enum Alignment: Sendable {
        case left
        case right
    }

    package var header: [String]
    package var alignments: [Alignment]
    package var rows: [[String]] = []
    /// The widest a `.table` rendering may be; wider tables shorten `flexibleColumn`,
    /// then continue their columns in panels below that repeat the first `keyColumns`.
    package var maxWidth: Int?
    /// A text column shortened (with …) to make the table fit.
    package var flexibleColumn: Int?
    package var keyColumns = 1

    package init(header: [String], alignments: [Alignment]? = nil) {
        self.header = header
        self.alignments = alignments ?? header.map { _ in .left }
    }

    package mutating func append(_ row: [String]) {
        rows.append(row)
    }

    package func render(_ format: OutputFormat) -> String {
        switch format {
        case .csv: return csv()
        case .markdown: return markdown()
        case .table, .json: return aligned()
        }
    }

    /// Display width: East Asian wide characters take two columns, ANSI colour codes none.
    package static func width(_ text: String) -> Int { width(scalars: text.unicodeScalars) }

    /// The columns `scalars` take on a terminal (see `width(_:)`).
    package static func width<Scalars: Sequence<Unicode.Scalar>>(scalars: Scalars) -> Int {
        var sum = 0
        var inEscape = false
        for scalar in scalars {
            let v = scalar.value
            if inEscape {
                if (0x40...0x7E).contains(v) && scalar != "[" { inEscape = false }
                continue
            }
            if v == 0x1B {
                inEscape = true
                continue
            }
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
            // Combining marks begin at U+0300: below it, no property lookup.
            let zero = v >= 0x300 && (scalar.properties.generalCategory == .nonspacingMark || v == 0x200B)
            sum += zero ? 0 : wide ? 2 : 1
        }
        return sum
    }

    private func aligned() -> String {
        var widths = header.map(Self.width)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], Self.width(cell))
            }
        }
        var rows = self.rows
        let gap = 2
        let total = { (columns: [Int]) in columns.reduce(0) { $0 + widths[$1] } + gap * max(0, columns.count - 1) }
        if let maxWidth, let flexible = flexibleColumn, flexible < widths.count {
            let others = total(Array(widths.indices)) - widths[flexible]
            let room = max(12, maxWidth - others)
            if widths[flexible] > room {
                widths[flexible] = max(Self.width(header[flexible]), room)
                for r in rows.indices where flexible < rows[r].count {
                    rows[r][flexible] = Self.truncate(rows[r][flexible], to: widths[flexible])
                }
            }
        }
        func line(_ cells: [String], _ columns: [Int]) -> String {
            var parts: [String] = []
            for i in columns {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: max(0, widths[i] - Self.width(cell)))
                parts.append(alignments[i] == .right ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: String(repeating: " ", count: gap))
            while text.last == " " { text.removeLast() }
            return text
        }
        // Panels of columns that fit, each repeating the key columns.
        let keys = Array(0..<min(keyColumns, widths.count))
        var panels: [[Int]] = []
        var current = keys
        for column in widths.indices where column >= keys.count {
            if let maxWidth, current.count > keys.count, total(current + [column]) > maxWidth {
                panels.append(current)
                current = keys
            }
            current.append(column)
        }
        panels.append(current)
        return panels.map { columns in
            var lines = [
                line(header, columns),
                columns.map { String(repeating: "-", count: widths[$0]) }.joined(
                    separator: String(repeating: " ", count: gap)),
            ]
            lines += rows.map { line($0, columns) }
            return lines.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    /// `text` cut to `width` display columns, ending with … when cut (`cut(_:limit:width:)`).
    package static func truncate(_ text: String, to width: Int) -> String {
        cut(text, limit: width) { Self.width(String($0)) }
    }

    /// `text` cut to at most `limit` (as `width` measures each character), ending with
    /// "…" when cut. The cut falls between words: a word of an alphabetic script is not
    /// split ("world-class", not "world-clas…") unless the text before it would lose more
    /// than half; Chinese and Japanese are cut between any two characters.
    package static func cut(_ text: String, limit: Int, width: (Character) -> Int = { _ in 1 }) -> String {
        var total = 0
        for character in text {
            total += width(character)
            if total > limit { break }
        }
        guard total > limit else { return text }
        var out: [Character] = []
        var used = 0
        var next: Character?
        for character in text {
            let w = width(character)
            if used + w > limit - 1 {
                next = character
                break
            }
            out.append(character)
            used += w
        }
        func inWord(_ c: Character) -> Bool {
            (c.isLetter || c.isNumber || c == "-" || c == "'" || c == "’")
                && !(c.unicodeScalars.first.map { TextTable.width(scalars: [$0]) == 2 } ?? false)
        }
        if let next, let last = out.last, inWord(next), inWord(last),
            let space = out.lastIndex(where: { !inWord($0) }), space >= out.count / 2
        {
            out.removeSubrange((space + 1)...)
        }
        while let last = out.last, last.isWhitespace || ",;:([{–—-".contains(last) { out.removeLast() }
        return String(out) + "…"
    }

    private func csv() -> String {
        ([header] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Whether CSV cells that a spreadsheet would run as a formula are neutralised:
    /// yes, unless `QDA_CSV_FORMULAS=keep` (docs/formats.md#csv).
    static let neutralizesFormulas = ProcessInfo.processInfo.environment["QDA_CSV_FORMULAS"] != "keep"

    /// The characters a spreadsheet starts a formula with (OWASP's list).
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell that starts like a formula gets a leading apostrophe, which
    /// spreadsheets show as text; numbers (`-0.5`, `+1`) and ratings (`++`, `-`, `--`)
    /// stay as they are.
    package static func neutralized(_ value: String) -> String {
        guard neutralizesFormulas, let first = value.first, formulaStarts.contains(first), Double(value) == nil,
            !value.allSatisfy({ $0 == "+" || $0 == "-" })
        else {
            return value
        }
        return "'" + value
    }

    /// Undoes `neutralized` for a cell read back (Codings CSV import).
    package static func unneutralized(_ value: String) -> String {
        guard value.hasPrefix("'"), let second = value.dropFirst().first, formulaStarts.contains(second) else {
            return value
        }
        return String(value.dropFirst())
    }

    package static func csvField(_ value: String) -> String {
        let value = neutralized(value)
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func markdown() -> String {
        func escape(_ cell: String) -> String {
            cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| " + header.map(escape).joined(separator: " | ") + " |"]
        lines.append("|" + alignments.map { $0 == .right ? " ---: |" : " --- |" }.joined())
        lines += rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n"
    }
}
