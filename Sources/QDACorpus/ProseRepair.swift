import Foundation
import QDAText

/// Turns hard-wrapped page text (what `pdftotext` and `pdftotext -layout` write, saved as
/// `.txt`) back into paragraphs before it is segmented (docs/formats.md, "Hard-wrapped
/// text").
///
/// - Running headers and footers (a line that recurs at the top or bottom of the pages,
///   its digits aside) and page numbers are dropped.
/// - The lines of a paragraph are joined with a space, or with nothing between two
///   Chinese characters; a word broken at a line end is mended (`mar-` + `ket` →
///   `market`), but a real compound keeps its hyphen (`market-` + `oriented`, when the
///   document writes both words on their own or the compound elsewhere; `Sino-` +
///   `German`, before a capital).
/// - A paragraph ends at a blank line, after a sentence that ends well short of the
///   line width, and before a heading, a caption, a source line, a list item or an
///   indented first line; a paragraph cut by a page break is joined up again.
/// - Headings, captions and sources stay lines of their own; a table's rows, and the
///   short lines after a table or figure caption, are kept as lines, laid out as they were.
///
/// Text that is not hard-wrapped (paragraphs on one line each) is left as it is.
enum ProseRepair {
    /// What the repair changed, for the ingest report.
    struct Summary: Sendable, Equatable {
        var linesJoined = 0
        var hyphensMended = 0
        var hyphensKept = 0
        var runningLinesDropped = 0
    }

    struct Result: Sendable, Equatable {
        var text: String
        /// Scalar offsets at which pages 2, 3, … begin in `text`.
        var pageBreaks: [Int]
        var summary: Summary
    }

    // MARK: - Deciding

    /// Whether `text` is laid out in hard-wrapped lines: most lines run on into the next
    /// line, at most a few hundred characters wide, and many of them stop in the middle
    /// of a sentence (text with one paragraph a line ends nearly every line with a full stop).
    static func isHardWrapped(_ text: String) -> Bool {
        var nonBlank = 0
        var runOn = 0
        var openEnded = 0
        var widths: [Int] = []
        var previousNonBlank = false
        var previousOpen = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                previousNonBlank = false
                continue
            }
            nonBlank += 1
            if previousNonBlank {
                runOn += 1
                if previousOpen { openEnded += 1 }
            }
            widths.append(width(trimmed))
            previousOpen = !endsSentence(Substring(trimmed))
            previousNonBlank = true
        }
        guard nonBlank >= 6, runOn * 2 >= nonBlank else { return false }
        widths.sort()
        let median = widths[widths.count / 2]
        return median <= 160 && openEnded * 5 >= runOn * 2
    }

    // MARK: - Repairing

    private struct Line {
        var text: Substring
        var trimmed: Substring
        var indent: Int
        var page: Int
        var dropped = false
        var blank: Bool { trimmed.isEmpty }
    }

    /// A paragraph or a run of lines kept as they were, with the page it starts on.
    private struct Block {
        var lines: [Substring]
        var verbatim: Bool
        var page: Int
        var heading = false
    }

    static func repair(_ text: String, pageBreaks: [Int] = []) -> Result {
        var lines = split(text, pageBreaks: pageBreaks)
        var summary = Summary()
        summary.runningLinesDropped = dropRunningLines(&lines, pages: pageBreaks.count + 1)
        let typical = typicalWidth(lines)
        let words = documentWords([lines.lazy.filter { !$0.blank && !$0.dropped }.map(\.trimmed)])
        var blocks: [Block] = []
        var current: Block?
        /// After a table or figure caption: short lines are the table's cells or the figure's labels.
        var cellsFollow = false
        var inReferences = false
        func close() {
            if let block = current, !block.lines.isEmpty { blocks.append(block) }
            current = nil
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if line.dropped { continue }
            if line.blank {
                if let block = current, !block.verbatim, continuesAfterBreak(block, lines, from: index) { continue }
                if current?.verbatim == true && cellsFollow { continue }
                close()
                continue
            }
            let t = line.trimmed
            let marked =
                ProseMarkers.isFigureCaption(t) || ProseMarkers.isTableCaption(t) || ProseMarkers.isSourceLine(t)
                || ProseMarkers.isKeywordLine(t) || ProseMarkers.isAbstractLine(t)
            if ProseMarkers.isSourceLine(t) { cellsFollow = false }
            if !marked, ProseMarkers.isTableRow(line.text) || (cellsFollow && isShortCell(t, typical: typical)) {
                if current?.verbatim != true {
                    close()
                    current = Block(lines: [], verbatim: true, page: line.page)
                }
                current?.lines.append(Substring(line.text.trimmingTrailingSpaces()))
                continue
            }
            if current?.verbatim == true {
                close()
            }
            if !marked { cellsFollow = false }
            let previous = current?.lines.last
            var opens = current == nil || marked || isListItem(t) || isNamedHeading(t)
            if let previous, !opens {
                let previousLine = lastLine(before: index - 1, in: lines)
                if endsSentence(previous) && width(previous) * 4 < typical * 3 {
                    opens = true
                } else if width(previous) * 2 < typical, previous.unicodeScalars.contains(where: ScriptClass.isCJK),
                    t.unicodeScalars.contains(where: ScriptClass.isCJK)
                {
                    // Chinese lines run to the margin: one under half the width ends its
                    // paragraph, closed or not (a title, an author line, an affiliation).
                    // Latin lines end short for many reasons (code, lists), so not there.
                    opens = true
                } else if let previousLine, !inReferences, endsSentence(previous),
                    line.indent >= previousLine.indent + 2
                {
                    opens = true
                } else if inReferences, ProseMarkers.opensReferenceEntry(t), endsEntry(previous) {
                    opens = true
                } else if isHeadingLine(t, typical: typical),
                    endsSentence(previous) || current?.heading == true
                        || (ProseMarkers.opensWithSectionNumber(t) && !endsSentence(t) && nextOpensUpper(lines, index))
                {
                    opens = true
                } else if current?.heading == true {
                    opens = true
                }
            }
            if opens {
                close()
                let heading =
                    !marked && isHeadingLine(t, typical: typical) && (index >= lines.count || !nextIsCell(lines, index))
                current = Block(lines: [t], verbatim: false, page: line.page, heading: heading)
                if heading {
                    if ProseMarkers.isReferencesHeading(t) {
                        inReferences = true
                    } else if ProseMarkers.isAppendixHeading(t) {
                        inReferences = false
                    }
                    close()
                }
                if ProseMarkers.isFigureCaption(t) || ProseMarkers.isTableCaption(t) { cellsFollow = true }
            } else {
                current?.lines.append(t)
            }
        }
        close()
        var text = ""
        var length = 0
        var starts: [(page: Int, offset: Int)] = []
        for block in blocks {
            if !text.isEmpty {
                text += "\n\n"
                length += 2
            }
            let body: String
            if block.verbatim {
                body = block.lines.joined(separator: "\n")
            } else {
                body = join(block.lines, words: words, summary: &summary)
            }
            starts.append((block.page, length))
            text += body
            length += body.unicodeScalars.count
        }
        var breaks: [Int] = []
        for page in stride(from: 2, through: pageBreaks.count + 1, by: 1) {
            let offset = starts.first { $0.page >= page }?.offset ?? length
            breaks.append(max(offset, breaks.last ?? 0))
        }
        return Result(text: text, pageBreaks: breaks, summary: summary)
    }

    private static func split(_ text: String, pageBreaks: [Int]) -> [Line] {
        var lines: [Line] = []
        var offset = 0
        var page = 1
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            while page - 1 < pageBreaks.count, offset >= pageBreaks[page - 1] { page += 1 }
            let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
            let trimmed = Substring(collapseSpaces(raw.trimmingCharacters(in: .whitespaces)))
            lines.append(Line(text: raw, trimmed: trimmed, indent: indent, page: page))
            offset += raw.unicodeScalars.count + 1
        }
        return lines
    }

    private static func collapseSpaces(_ text: String) -> String {
        guard text.contains("  ") || text.contains("\t") else { return text }
        var result = ""
        var space = false
        for c in text {
            if c == " " || c == "\t" {
                if !space { result.append(" ") }
                space = true
            } else {
                result.append(c)
                space = false
            }
        }
        return result
    }

    /// The line width most prose lines reach: the 80th percentile of the widths of lines
    /// that are not table rows.
    private static func typicalWidth(_ lines: [Line]) -> Int {
        let widths = lines.filter { !$0.blank && !$0.dropped && !ProseMarkers.isTableRow($0.text) }.map {
            width($0.trimmed)
        }.sorted()
        guard !widths.isEmpty else { return 80 }
        return max(widths[widths.count * 4 / 5], 20)
    }

    /// Display width: a Chinese character counts two.
    static func width<S: StringProtocol>(_ text: S) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (ScriptClass.isCJK($1) ? 2 : 1) }
    }

    static func endsSentence(_ line: Substring) -> Bool {
        let tail = Array(line.unicodeScalars.suffix(2))
        guard var scalar = tail.last else { return false }
        if "\"'”’)]」』）".unicodeScalars.contains(scalar), tail.count == 2 { scalar = tail[0] }
        return ".!?:。！？：;；".unicodeScalars.contains(scalar)
    }

    private static func endsEntry(_ line: Substring) -> Bool {
        guard let last = line.unicodeScalars.last else { return true }
        return ".)]".unicodeScalars.contains(last) || last.properties.numericType != nil || ScriptClass.isCJK(last)
    }

    private static func isListItem(_ line: Substring) -> Bool {
        for bullet in ["- ", "• ", "* ", "– ", "· ", "▪ "] where line.hasPrefix(bullet) { return true }
        return false
    }

    private static func isShortCell(_ line: Substring, typical: Int) -> Bool {
        width(line) * 2 <= typical && !(line.hasSuffix(".") && line.split(separator: " ").count > 3)
    }

    private static func isHeadingLine(_ line: Substring, typical: Int) -> Bool {
        guard width(line) * 4 < typical * 3 || ProseMarkers.opensWithSectionNumber(line) else { return false }
        if ProseMarkers.isReferencesHeading(line) || ProseMarkers.isAppendixHeading(line) { return true }
        return ProseMarkers.looksLikeHeading(line)
            && (ProseMarkers.opensWithSectionNumber(line)
                || ProseMarkers.nonSpeakerLabels.contains(ProseMarkers.headingText(line)))
    }

    /// A line that is only a heading's name: "Summary", "Zusammenfassung", "References", "摘要".
    private static func isNamedHeading(_ line: Substring) -> Bool {
        line.count <= 40 && !endsSentence(line)
            && (ProseMarkers.abstractHeadings.contains(ProseMarkers.headingText(line))
                || ProseMarkers.isReferencesHeading(line))
    }

    /// Whether the next line with text opens with a capital or a Chinese character.
    private static func nextOpensUpper(_ lines: [Line], _ index: Int) -> Bool {
        var i = index
        while i < lines.count, lines[i].blank || lines[i].dropped { i += 1 }
        guard i < lines.count, let first = lines[i].trimmed.unicodeScalars.first else { return false }
        return first.properties.isUppercase || ScriptClass.isCJK(first)
    }

    private static func nextIsCell(_ lines: [Line], _ index: Int) -> Bool {
        guard index < lines.count else { return false }
        return ProseMarkers.isTableRow(lines[index].text)
    }

    private static func lastLine(before index: Int, in lines: [Line]) -> Line? {
        var i = index - 1
        while i >= 0 {
            if !lines[i].blank && !lines[i].dropped { return lines[i] }
            i -= 1
        }
        return nil
    }

    /// Whether a paragraph goes on past the blank lines and page break ahead: it stops
    /// without closing punctuation and the next line, on a later page, goes on in lower
    /// case or in Chinese.
    private static func continuesAfterBreak(_ block: Block, _ lines: [Line], from index: Int) -> Bool {
        guard let last = block.lines.last, !endsSentence(last), !block.heading,
            let previous = lastLine(before: index, in: lines)
        else { return false }
        var i = index
        while i < lines.count, lines[i].blank || lines[i].dropped { i += 1 }
        guard i < lines.count, lines[i].page > previous.page,
            let first = lines[i].trimmed.unicodeScalars.first
        else { return false }
        return first.properties.isLowercase || ScriptClass.isCJK(first)
    }

    // MARK: - Running headers and page numbers

    private static func runningKey(_ line: Substring) -> String {
        String(line.lowercased().filter { !$0.isNumber }).split(separator: " ").joined(separator: " ")
    }

    /// Marks running headers, footers and page numbers as dropped; returns how many.
    private static func dropRunningLines(_ lines: inout [Line], pages: Int) -> Int {
        var dropped = 0
        if pages >= 2 {
            // The first and last three lines of each page: page numbers there, and (from three
            // pages on) a line that recurs there on three pages in ten.
            var edges: [[Int]] = Array(repeating: [], count: pages + 1)
            var byPage: [[Int]] = Array(repeating: [], count: pages + 1)
            for (i, line) in lines.enumerated() where !line.blank { byPage[min(line.page, pages)].append(i) }
            for page in 1...pages {
                let ids = byPage[page]
                edges[page] = Array(Set(ids.prefix(3) + ids.suffix(3))).sorted()
            }
            var counts: [String: Set<Int>] = [:]
            for page in 1...pages {
                for i in edges[page] {
                    let key = runningKey(lines[i].trimmed)
                    if key.count >= 4 { counts[key, default: []].insert(page) }
                }
            }
            let repeated =
                pages >= 3 ? Set(counts.filter { $0.value.count * 10 >= pages * 3 && $0.value.count >= 2 }.keys) : []
            for page in 1...pages {
                for i in edges[page]
                where PDFReader.isPageNumber(String(lines[i].trimmed))
                    || repeated.contains(runningKey(lines[i].trimmed))
                {
                    lines[i].dropped = true
                    dropped += 1
                }
            }
            dropped += dropHeadersInsideParagraphs(&lines, pages: pages)
            return dropped
        }
        // No page breaks: a short line that recurs, spread over the text.
        var positions: [String: [Int]] = [:]
        for (i, line) in lines.enumerated() where !line.blank && width(line.trimmed) <= 100 {
            let key = runningKey(line.trimmed)
            guard key.count >= 8, key.contains(" ") else { continue }
            positions[key, default: []].append(i)
        }
        for (_, ids) in positions where ids.count >= 3 {
            let gaps = zip(ids.dropFirst(), ids).map { $0 - $1 }
            guard gaps.allSatisfy({ $0 >= 10 }) else { continue }
            for i in ids {
                lines[i].dropped = true
                dropped += 1
            }
        }
        // Page numbers: lone numbers between blank or dropped lines, rising through the text.
        func isolated(_ i: Int) -> Bool {
            let before = i == 0 || lines[i - 1].blank || lines[i - 1].dropped
            let after = i == lines.count - 1 || lines[i + 1].blank || lines[i + 1].dropped
            return before && after
        }
        let numbers = lines.indices.filter { !lines[$0].blank && isolated($0) && Int(lines[$0].trimmed) != nil }
        let values = numbers.map { Int(lines[$0].trimmed)! }
        if numbers.count >= 3, zip(values.dropFirst(), values).allSatisfy({ $0 > $1 }) {
            for i in numbers {
                lines[i].dropped = true
                dropped += 1
            }
        }
        return dropped
    }

    /// Drops the first line of a page that stands inside a paragraph: the page before ends
    /// in the middle of a sentence, the line after it goes on in lower case or Chinese, and
    /// the line itself is short and unpunctuated (a running header on alternate pages only,
    /// which recurs too rarely to be found by repetition).
    private static func dropHeadersInsideParagraphs(_ lines: inout [Line], pages: Int) -> Int {
        var dropped = 0
        let typical = typicalWidth(lines)
        var lastContent: Int?
        var i = 0
        while i < lines.count {
            defer { i += 1 }
            guard !lines[i].blank, !lines[i].dropped else { continue }
            defer { lastContent = i }
            guard let previous = lastContent, lines[previous].page < lines[i].page else { continue }
            var next = i + 1
            while next < lines.count, lines[next].blank || lines[next].dropped { next += 1 }
            guard next < lines.count, lines[next].page == lines[i].page,
                let first = lines[next].trimmed.unicodeScalars.first,
                first.properties.isLowercase || ScriptClass.isCJK(first),
                !endsSentence(lines[previous].trimmed), !endsSentence(lines[i].trimmed),
                width(lines[i].trimmed) * 10 < typical * 7
            else { continue }
            lines[i].dropped = true
            dropped += 1
        }
        return dropped
    }

    // MARK: - Joining lines

    /// The words a document writes, lower case: `keepsHyphen`'s evidence that a compound
    /// broken at a line end is a compound. Every word but the two pieces of one broken at a
    /// line end ("mar-" / "ket"); a compound also gives its parts. `runs` are runs of
    /// lines; a word is broken only from one line to the next within a run.
    static func documentWords<Lines: Sequence<Substring>>(_ runs: [Lines]) -> Set<String> {
        var words: Set<String> = []
        for run in runs {
            var brokenBefore = false
            for line in run {
                var tokens = line.split { !($0.isLetter || $0 == "-") }.map { $0.lowercased() }
                if brokenBefore, !tokens.isEmpty { tokens.removeFirst() }
                brokenBefore = line.hasSuffix("-")
                if brokenBefore, !tokens.isEmpty { tokens.removeLast() }
                for token in tokens {
                    let word = token.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
                    guard !word.isEmpty else { continue }
                    words.insert(word)
                    if word.contains("-") { for part in word.split(separator: "-") { words.insert(String(part)) } }
                }
            }
        }
        return words
    }

    /// A paragraph's lines as one line (see the type's rule).
    private static func join(_ lines: [Substring], words: Set<String>, summary: inout Summary) -> String {
        var text = ""
        for line in lines {
            guard let last = text.unicodeScalars.last, let first = line.unicodeScalars.first else {
                text += line
                continue
            }
            summary.linesJoined += 1
            if last == "-" || last == "\u{2010}" {
                let before = text.unicodeScalars.dropLast()
                let left = String(
                    String.UnicodeScalarView(before.reversed().prefix { $0.properties.isAlphabetic }.reversed()))
                let right = String(line.prefix { $0.isLetter })
                if !left.isEmpty, !right.isEmpty {
                    if keepsHyphen(left, right, firstIsUpper: first.properties.isUppercase, words: words) {
                        summary.hyphensKept += 1
                        text += line
                    } else {
                        summary.hyphensMended += 1
                        text.unicodeScalars.removeLast()
                        text += line
                    }
                    continue
                }
            }
            if PDFReader.isWide(last) && PDFReader.isWide(first) {
                text += line
            } else {
                text += " " + line
            }
        }
        return text
    }

    /// Whether `left-` at a line end and `right` on the next line are a compound that keeps
    /// its hyphen rather than one word broken in two.
    static func keepsHyphen(_ left: String, _ right: String, firstIsUpper: Bool, words: Set<String>) -> Bool {
        if firstIsUpper { return true }
        let l = left.lowercased()
        let r = right.lowercased()
        if words.contains(l + r) { return false }
        if words.contains(l + "-" + r) { return true }
        return l.count >= 3 && r.count >= 3 && words.contains(l) && words.contains(r)
    }
}

extension StringProtocol {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = String(self)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
