import Foundation
import QDAText

/// Cuts prose into segments by what each part of the text is (docs/formats.md, "Prose").
///
/// A block is a run of non-blank lines; a Markdown heading line, and a line that opens a
/// caption, a source or note, or a keyword line, starts a block of its own. Then, in order:
/// - a heading (a Markdown heading, or a block of one short line without closing
///   punctuation: "2 Regional patterns", "Zusammenfassung", "三、结论") is a `heading`;
///   "References", "Literatur", "参考文献" and the like open the reference list, in which
///   every entry is a `reference` until an appendix heading;
/// - "Fig. 1 …", "Abb. 2 …", "图3 …" opens a `caption` and "Tab. 1 …", "Table 2 …",
///   "表1 …" a `table`; each takes the blocks after it that are laid out as cells (rows of
///   three or more cells, or short lines, as `pdftotext` gives a table's cells or a
///   figure's labels) and the "Source: …" and "Note: …" blocks that close it; a source
///   or note on its own is a `caption` too;
/// - a block whose lines are mostly rows of cells is a `table` without a caption;
/// - "Keywords: …", "关键词：…", "JEL: …" is a `keywords` line;
/// - everything else is a `paragraph`, except the title, authors and affiliations above
///   an abstract ("Summary", "Abstract", "摘要", a keyword line) that opens within the first
///   1,500 characters: those are headings.
struct ProseBlocks {
    let source: Segmenter.Source

    /// A block: its lines (indices into `source.lines`) and each line's text.
    private struct Block {
        var lines: [Int]
        var texts: [Substring]
        var markdownHeading: Bool
        var first: Substring { texts[0] }
    }

    func segments(_ lines: ArraySlice<Segmenter.Source.Line>) -> [SegmentDraft] {
        let blocks = self.blocks(lines)
        var drafts: [SegmentDraft] = []
        /// The byte offset each draft starts at, for extending the last one.
        var starts: [Int] = []
        var inReferences = false
        func emit(_ first: Block, _ last: Block, _ role: SegmentRole) {
            let start = source.lines[first.lines[0]].start
            let end = source.lines[last.lines[last.lines.count - 1]].end
            if let draft = Segmenter.trimmedDraft(source, start, end, ordinal: drafts.count, role: role) {
                drafts.append(draft)
                starts.append(start)
            }
        }
        /// Extends the last draft over `block`.
        func extend(_ block: Block) {
            guard let last = drafts.popLast(), let start = starts.popLast() else { return }
            let end = source.lines[block.lines[block.lines.count - 1]].end
            if let draft = Segmenter.trimmedDraft(source, start, end, ordinal: drafts.count, role: last.role) {
                drafts.append(draft)
                starts.append(start)
            }
        }
        var i = blocks.startIndex
        while i < blocks.endIndex {
            let block = blocks[i]
            let first = block.first
            i += 1
            if let last = drafts.last, last.role == .table || last.role == .caption, isMoreCells(block) {
                // More of the table or figure: a column pdftotext set after the source line.
                extend(block)
                continue
            }
            let isHeading =
                block.markdownHeading
                || (block.texts.count == 1 && ProseMarkers.looksLikeHeading(first) && !isMarked(first)
                    && (!inReferences || ProseMarkers.isAppendixHeading(first)))
            if isHeading {
                if ProseMarkers.isReferencesHeading(first) {
                    inReferences = true
                } else if block.markdownHeading || ProseMarkers.isAppendixHeading(first) {
                    inReferences = false
                }
                emit(block, block, .heading)
            } else if inReferences {
                for entry in referenceEntries(block) { emit(entry, entry, .reference) }
            } else if ProseMarkers.isFigureCaption(first) || ProseMarkers.isTableCaption(first) {
                // The caption takes the blocks laid out as cells after it (a table's rows, the
                // labels pdftotext finds in a figure) and the source and notes that close it.
                var last = block
                while i < blocks.endIndex {
                    let next = blocks[i]
                    if ProseMarkers.isSourceLine(next.first) {
                        while i < blocks.endIndex, ProseMarkers.isSourceLine(blocks[i].first) {
                            last = blocks[i]
                            i += 1
                        }
                        break
                    }
                    guard isLaidOutAsCells(next) || (ProseMarkers.isTableCaption(first) && isRows(next)) else {
                        break
                    }
                    last = next
                    i += 1
                }
                emit(block, last, ProseMarkers.isTableCaption(first) ? .table : .caption)
            } else if ProseMarkers.isSourceLine(first) {
                // A source or note on its own: stored with the captions, not coded.
                emit(block, block, .caption)
            } else if ProseMarkers.isKeywordLine(first) {
                emit(block, block, .keywords)
            } else if isTableWithoutCaption(block) {
                emit(block, block, .table)
            } else {
                emit(block, block, .paragraph)
            }
        }
        // An article's title, authors and affiliations, above its abstract, are headings.
        // The abstract may be a heading ("Abstract") or open its own paragraph ("摘要：…").
        if let abstract = drafts.firstIndex(where: {
            ($0.role == .heading
                && ProseMarkers.abstractHeadings.contains(ProseMarkers.headingText(Substring($0.text))))
                || $0.role == .keywords || ($0.role == .paragraph && ProseMarkers.isAbstractLine(Substring($0.text)))
        }), drafts[abstract].start <= Self.titleBlockLimit {
            for index in drafts.indices[..<abstract] where drafts[index].role == .paragraph {
                drafts[index].role = .heading
            }
        }
        return drafts
    }

    /// How far into a text its abstract may start for the text above it to be the title block.
    static let titleBlockLimit = 1500

    /// Whether a line opens one of the marked parts (caption, source, keywords).
    private func isMarked(_ line: Substring) -> Bool {
        ProseMarkers.isFigureCaption(line) || ProseMarkers.isTableCaption(line) || ProseMarkers.isSourceLine(line)
            || ProseMarkers.isKeywordLine(line)
    }

    private func text(of line: Segmenter.Source.Line) -> Substring {
        Substring(String(decoding: source.bytes[line.start..<line.end], as: UTF8.self))
    }

    private func blocks(_ lines: ArraySlice<Segmenter.Source.Line>) -> [Block] {
        var blocks: [Block] = []
        var open: Block?
        func close() {
            if let current = open { blocks.append(current) }
            open = nil
        }
        for index in lines.indices {
            let line = lines[index]
            if source.isBlank(line) {
                close()
                continue
            }
            let text = self.text(of: line)
            if source.isHeading(line) {
                close()
                blocks.append(Block(lines: [index], texts: [text], markdownHeading: true))
            } else if open == nil || isMarked(text) {
                close()
                open = Block(lines: [index], texts: [text], markdownHeading: false)
            } else if let current = open, current.texts.count == 1, ProseMarkers.opensWithSectionNumber(current.first),
                ProseMarkers.looksLikeHeading(current.first), !isLaidOutAsCells(current)
            {
                // "2 Methods" on the line above its paragraph.
                close()
                open = Block(lines: [index], texts: [text], markdownHeading: false)
            } else {
                open?.lines.append(index)
                open?.texts.append(text)
            }
        }
        close()
        return blocks
    }

    /// A block of table cells: rows of three or more cells, or short lines without a
    /// sentence in them, as `pdftotext` writes a table one cell per line.
    private func isLaidOutAsCells(_ block: Block) -> Bool {
        block.texts.allSatisfy { line in
            if ProseMarkers.isTableRow(line) { return true }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let wide = trimmed.unicodeScalars.contains { ScriptClass.isCJK($0) }
            return trimmed.count <= (wide ? 16 : 32) && !(trimmed.hasSuffix(".") && trimmed.contains(" "))
        }
    }

    /// A block of a table's rows as a web page or a word processor copies them, the cells
    /// one space apart: every line ends no sentence and is a row of figures ("Beijing 8 6
    /// 6") or of capitalised headers ("Region Entrepreneurs Officials"). Only read so
    /// right after a table's caption.
    private func isRows(_ block: Block) -> Bool {
        block.texts.allSatisfy { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 100, let last = trimmed.last,
                !".!?;:。！？；：".contains(last)
            else { return false }
            let tokens = trimmed.split(separator: " ")
            let figures = tokens.contains { token in
                token.contains(where: \.isNumber) && token.allSatisfy { $0.isNumber || ",.%–-()".contains($0) }
            }
            let headers =
                tokens.count >= 2
                && tokens.allSatisfy { token in token.first.map { $0.isUppercase || $0.isNumber } ?? false }
            return figures || headers
        }
    }

    /// A block that goes on with the table before it: cells, and not a heading (a lone
    /// line counts only when it is very short: a column's title, a rating).
    private func isMoreCells(_ block: Block) -> Bool {
        guard !block.markdownHeading, !isMarked(block.first), isLaidOutAsCells(block) else { return false }
        if block.texts.count >= 2 { return true }
        let text = block.first.trimmingCharacters(in: .whitespaces)
        return text.count <= 6 && !ProseMarkers.opensWithSectionNumber(block.first)
            && !ProseMarkers.abstractHeadings.contains(text.lowercased())
            && !ProseMarkers.isReferencesHeading(block.first)
    }

    private func isTableWithoutCaption(_ block: Block) -> Bool {
        guard block.texts.count >= 3 else { return false }
        let rows = block.texts.filter { ProseMarkers.isTableRow($0) }.count
        return rows * 10 >= block.texts.count * 6
    }

    /// A reference block cut into entries: a new entry opens where a line opens like one
    /// ("Surname, A.", "[3]") and the line before closed one (a full stop, a bracket, a
    /// number, or a Chinese character).
    private func referenceEntries(_ block: Block) -> [Block] {
        var entries: [Block] = []
        var current = Block(lines: [], texts: [], markdownHeading: false)
        for (line, text) in zip(block.lines, block.texts) {
            if let previous = current.texts.last, ProseMarkers.opensReferenceEntry(text) {
                let trimmed = previous.trimmingCharacters(in: .whitespaces)
                if let last = trimmed.unicodeScalars.last,
                    ".)]".unicodeScalars.contains(last) || last.properties.numericType != nil || ScriptClass.isCJK(last)
                {
                    entries.append(current)
                    current = Block(lines: [], texts: [], markdownHeading: false)
                }
            }
            current.lines.append(line)
            current.texts.append(text)
        }
        if !current.lines.isEmpty { entries.append(current) }
        return entries
    }
}
