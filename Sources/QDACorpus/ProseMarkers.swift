import Foundation
import QDAText

/// What part of a document a segment is: the units of evidence (turns, paragraphs,
/// sentences) and the parts of an article that are not evidence (headings, captions,
/// tables, the reference list, keyword lines).
public enum SegmentRole: String, Sendable, Codable, CaseIterable {
    /// A speaker's turn in a transcript.
    case turn
    /// A paragraph of prose (or a paragraph of a turn, with `--unit paragraph`).
    case paragraph
    /// A sentence, inside the paragraph or turn it was cut from.
    case sentence
    /// A heading: a section title, "Summary", "参考文献".
    case heading
    /// A figure's caption with its source and notes ("Fig. 1 …", "Source: …").
    case caption
    /// A table with its caption, source and notes: searchable, not coded word by word.
    case table
    /// One entry of the reference list.
    case reference
    /// A keyword or classification line ("Keywords: …", "关键词：…", "JEL: …").
    case keywords

    /// Whether segments of this role are evidence: auto-coded and counted in reports.
    /// The others are stored, listed and searchable, but count in no region.
    public var isEvidence: Bool {
        switch self {
        case .turn, .paragraph, .sentence: return true
        case .heading, .caption, .table, .reference, .keywords: return false
        }
    }
}

/// The words that open the parts of an article: captions, sources, notes, headings of the
/// reference list. Each is matched case-insensitively at the start of a line, in the
/// languages qda reads (English, German, Chinese; a few French and Spanish forms).
enum ProseMarkers {
    /// Words that open a figure's caption when a number follows ("Fig. 1", "Abb. 2", "图3").
    static let figureWords = [
        "fig", "figs", "figure", "figures", "abb", "abbildung", "abbildungen", "map", "maps", "karte", "photo", "foto",
        "chart", "graph", "diagram", "diagramm", "plate", "box", "图", "圖", "附图",
    ]
    /// Words that open a table's caption when a number follows ("Tab. 1", "Table 2", "表1").
    static let tableWords = ["tab", "table", "tables", "tabelle", "tableau", "tabla", "表", "附表"]
    /// Words that open a source or a note under a figure or table ("Source:", "资料来源：").
    static let sourceWords = [
        "source", "sources", "quelle", "quellen", "note", "notes", "anmerkung", "anmerkungen", "anm", "remark",
        "remarks", "data source", "data sources", "datenquelle", "资料来源", "数据来源", "来源", "注", "注释", "说明",
    ]
    /// Words that open a keyword line ("Keywords:", "JEL classification:").
    static let keywordWords = [
        "keywords", "keyword", "key words", "key word", "schlüsselwörter", "schlüsselworte", "schlagwörter",
        "schlagworte", "stichwörter", "stichworte", "jel", "jel classification", "jel codes", "jel-klassifikation",
        "mots-clés", "mots clés", "palabras clave", "关键词", "关键字", "關鍵詞",
    ]
    /// Headings of the reference list.
    static let referenceHeadings: Set<String> = [
        "references", "reference", "reference list", "bibliography", "literature", "literature cited", "works cited",
        "sources and literature", "literatur", "literaturverzeichnis", "quellen", "quellenverzeichnis",
        "quellen und literatur", "bibliographie", "références", "referencias", "参考文献", "参考资料", "參考文獻",
        "文献",
    ]
    /// Headings of an article's abstract.
    static let abstractHeadings: Set<String> = [
        "summary", "abstract", "zusammenfassung", "kurzfassung", "résumé", "resumen", "摘要", "内容提要", "提要",
    ]
    /// Headings after which the text is no longer the reference list.
    static let appendixWords = ["appendix", "annex", "anhang", "annexe", "anexo", "附录", "附錄", "about the author"]

    /// Labels that look like a speaker's ("Summary:", "Fig. 1:") but open a caption, a
    /// heading or a field of an article; a line opening with one is never a turn.
    static let nonSpeakerLabels: Set<String> = {
        var words: Set<String> = [
            "summary", "abstract", "zusammenfassung", "kurzfassung", "résumé", "resumen", "摘要", "内容提要", "提要",
            "introduction", "einleitung", "conclusion", "conclusions", "fazit", "schluss", "引言", "结论", "结语",
            "acknowledgements", "acknowledgments", "acknowledgement", "danksagung", "funding", "致谢",
            "doi", "url", "isbn", "issn", "received", "accepted", "published", "revised", "correspondence", "email",
            "e-mail", "tel", "phone", "fax", "address", "affiliation", "author", "authors", "editor", "editors",
            "volume", "vol", "issue", "pages", "citation", "cite as", "copyright", "licence", "license", "title",
            "subtitle", "subject", "date", "hypothesis", "proposition", "definition", "example", "step", "part",
            "chapter", "section", "case", "table of contents", "contents", "inhalt", "目录", "附录", "作者简介",
            "基金项目", "收稿日期", "中图分类号", "文献标识码", "文章编号", "作者", "单位",
            // Fields of manuals, specifications and reports.
            "returns", "return", "return value", "usage", "since", "parameters", "parameter", "arguments",
            "argument", "description", "see also", "deprecated", "warning", "caution", "important", "tip", "hint",
            "remark", "syntax", "options", "default", "input", "output", "result", "results", "requirements",
            "objective", "objectives", "method", "methods", "methodology", "aim", "aims", "purpose", "findings",
            "background", "discussion", "limitations", "implications", "recommendation", "recommendations",
        ]
        for list in [figureWords, tableWords, sourceWords, keywordWords, appendixWords] { words.formUnion(list) }
        words.formUnion(referenceHeadings)
        return words
    }()

    /// A label folded for the lists above: lower case, a trailing number or letter and
    /// full stops dropped ("Fig. 1" → "fig", "Tab. 2a" → "tab", "图 3" → "图").
    static func fold(_ label: String) -> String {
        var words = label.lowercased().split(separator: " ").map(String.init)
        while let last = words.last, words.count > 1, isNumbering(last) { words.removeLast() }
        var text = words.joined(separator: " ")
        // "图3", "表1", "Tab.1"
        while let last = text.unicodeScalars.last, last.properties.numericType != nil || last == "." || last == "-" {
            text.unicodeScalars.removeLast()
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// "1", "2a", "1.3", "II", "A1", "(3)": the number of a figure, table or section.
    static func isNumbering(_ word: String) -> Bool {
        let stripped = word.trimmingCharacters(in: CharacterSet(charactersIn: ".:()[]-–"))
        guard !stripped.isEmpty, stripped.count <= 6 else { return false }
        if stripped.unicodeScalars.first?.properties.numericType != nil { return true }
        if stripped.allSatisfy({ "ivxlcIVXLC".contains($0) }) { return true }
        let scalars = Array(stripped.unicodeScalars)
        // "Appendix A", "Annex B": one capital letter.
        if scalars.count == 1, scalars[0].properties.isUppercase { return true }
        return scalars.count >= 2 && scalars[0].properties.isAlphabetic
            && scalars.dropFirst().allSatisfy { $0.properties.numericType != nil || $0 == "." }
    }

    /// Whether a turn label is one of the non-speaker labels.
    static func isNonSpeakerLabel(_ label: String) -> Bool {
        let lower = label.lowercased()
        if nonSpeakerLabels.contains(lower) { return true }
        // Folding drops a number, a letter or full stops after the word ("Fig. 1", "Tab.2",
        // "Appendix A"); a label of one word without them folds to itself. Every turn of a
        // transcript asks, so the common case ("Interviewer", "Founder") stops here.
        guard lower.utf8.contains(where: { $0 == 0x20 || $0 == 0x2E || $0 >= 0x80 || (0x30...0x39).contains($0) })
        else { return false }
        return nonSpeakerLabels.contains(fold(label))
    }

    // MARK: - Lines

    /// The words of a line folded for matching: lower case, leading spaces dropped; empty
    /// when the line opens with a lower-case letter ("note: …" is prose, "Note: …" a note).
    private static func opening(_ line: Substring) -> String {
        let text = line.drop { $0 == " " || $0 == "\t" }
        if let first = text.first, first.isLowercase { return "" }
        return String(text).lowercased()
    }

    /// Whether `line` opens with `word` followed by a number ("Fig. 1", "Table 2:", "图3").
    private static func opensNumbered(_ line: Substring, _ words: [String]) -> Bool {
        let text = opening(line)
        for word in words where text.hasPrefix(word) {
            var rest = text.dropFirst(word.count)
            if rest.first == "." { rest = rest.dropFirst() }
            let wide = word.unicodeScalars.first.map(ScriptClass.isCJK) ?? false
            if !wide {
                // A Latin word must end here ("Tabelle" is not "Tab" + "elle").
                guard let next = rest.first, next == " " || next.isNumber else { continue }
            }
            rest = rest.drop { $0 == " " }
            guard let first = rest.unicodeScalars.first else { continue }
            if first.properties.numericType != nil || "一二三四五六七八九十ivx".unicodeScalars.contains(first) {
                // "Table 1 shows that …" opens a sentence, not a caption: a caption's number is
                // followed by a colon, a full stop, a dash or a capitalised title, or ends the line.
                let number = rest.prefix { !$0.isWhitespace && $0 != ":" && $0 != "：" }
                var after = rest.dropFirst(number.count).drop { $0 == " " }
                if after.isEmpty || wide { return true }
                if ":：.–—-|".contains(after.first!) { return true }
                after = after.drop { $0 == "(" || $0 == "\"" || $0 == "“" }
                // The title's first letter, as the line has it (`text` is lower-cased).
                let original = line.drop { $0 == " " || $0 == "\t" }
                let offset = text.distance(from: text.startIndex, to: after.startIndex)
                let letter = original.dropFirst(offset).first
                if let letter, letter.isUppercase || !letter.isLetter { return true }
            }
        }
        return false
    }

    /// "Fig. 1 …", "Abbildung 2: …", "图3 …": a figure's caption.
    static func isFigureCaption(_ line: Substring) -> Bool { opensNumbered(line, figureWords) }

    /// "Tab. 1 …", "Table 2: …", "表1 …": a table's caption.
    static func isTableCaption(_ line: Substring) -> Bool { opensNumbered(line, tableWords) }

    /// Whether `line` opens with one of `words` and a colon ("Source:", "资料来源：").
    private static func opensLabelled(_ line: Substring, _ words: [String]) -> Bool {
        let text = opening(line)
        for word in words where text.hasPrefix(word) {
            let rest = text.dropFirst(word.count).drop { $0 == " " || $0 == "." || $0 == "s" }
            if let next = rest.first, next == ":" || next == "：" { return true }
        }
        return false
    }

    /// "Source: …", "Quelle: …", "Notes: …", "资料来源：…".
    static func isSourceLine(_ line: Substring) -> Bool { opensLabelled(line, sourceWords) }

    /// "Keywords: …", "关键词：…", "JEL: …".
    static func isKeywordLine(_ line: Substring) -> Bool { opensLabelled(line, keywordWords) }

    /// "Abstract: …", "Summary: …", "摘要：…": an abstract that opens with its label on the
    /// same line. It opens a paragraph of its own (of evidence, not a heading).
    static func isAbstractLine(_ line: Substring) -> Bool { opensLabelled(line, abstractLabels) }

    /// `abstractHeadings` as a list, for `opensLabelled`.
    private static let abstractLabels = Array(abstractHeadings)

    /// A line's text as a heading: Markdown hashes, section numbers and a closing colon dropped.
    static func headingText(_ line: Substring) -> String {
        var text = Substring(line.trimmingCharacters(in: .whitespaces))
        text = text.drop { $0 == "#" }.drop { $0 == " " }
        if let first = text.split(separator: " ").first, isNumbering(String(first)), text.contains(" ") {
            text = text.dropFirst(first.count).drop { $0 == " " }
        }
        var result = String(text).lowercased()
        while let last = result.last, last == ":" || last == "：" || last == "." { result.removeLast() }
        return result
    }

    /// "References", "Literatur", "参考文献" as a heading.
    static func isReferencesHeading(_ line: Substring) -> Bool { referenceHeadings.contains(headingText(line)) }

    /// "Appendix", "Anhang A", "附录".
    static func isAppendixHeading(_ line: Substring) -> Bool {
        let text = headingText(line)
        return appendixWords.contains { text == $0 || text.hasPrefix($0 + " ") || text.hasPrefix($0 + ":") }
    }

    /// A section number at the start of a heading: "1 ", "2.3 ", "3. ", "IV. ", "一、", "（二）", "第三章".
    static func opensWithSectionNumber(_ line: Substring) -> Bool {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard let first = text.first else { return false }
        if "一二三四五六七八九十".contains(first) {
            let rest = text.drop { "一二三四五六七八九十".contains($0) }
            return rest.first.map { "、．.".contains($0) } ?? false
        }
        if first == "（" || first == "(" {
            let inner = text.dropFirst().prefix { "一二三四五六七八九十".contains($0) }
            return !inner.isEmpty && text.dropFirst(inner.count + 1).first.map { $0 == "）" || $0 == ")" } ?? false
        }
        if first == "第" {
            let rest = text.dropFirst().drop { "一二三四五六七八九十百0123456789".contains($0) }
            return rest.count < text.count - 1 && (rest.first.map { "章节部分篇".contains($0) } ?? false)
        }
        let number = text.prefix { !$0.isWhitespace }
        guard number.count < text.count, number.count <= 8 else { return false }
        let digitsAndDots = number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        let roman = number.hasSuffix(".") && number.dropLast().allSatisfy { "IVX".contains($0) } && number.count > 1
        guard (digitsAndDots && number.first!.isNumber) || roman else { return false }
        // A year or a figure opening a sentence is no section number.
        if digitsAndDots, !number.contains("."), let value = Int(number), value > 30 { return false }
        let title = text.dropFirst(number.count).drop { $0 == " " }
        return title.first.map { $0.isUppercase || ScriptClass.isCJK($0.unicodeScalars.first!) } ?? false
    }

    /// A line that ends a sentence or a clause, so that it cannot be a heading.
    static func endsWithPunctuation(_ line: Substring) -> Bool {
        guard let last = line.trimmingCharacters(in: .whitespaces).unicodeScalars.last else { return false }
        return ".,;:!。，；：！、".unicodeScalars.contains(last)
    }

    /// Whether a block of one line reads as a heading: short, no closing punctuation,
    /// opening with a capital, a number or a Chinese character, few words.
    static func looksLikeHeading(_ line: Substring) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let first = text.unicodeScalars.first, !text.isEmpty else { return false }
        if text.hasPrefix("#") { return true }
        if opensWithSectionNumber(line) && text.count <= 120 && !text.hasSuffix(".") { return true }
        guard !endsWithPunctuation(line) else { return false }
        let wide = ScriptClass.isCJK(first)
        if wide { return text.count <= 30 }
        guard first.properties.isUppercase || first.properties.numericType != nil else { return false }
        let words = text.split(separator: " ")
        return words.count <= 12 && text.count <= 100
    }

    /// A reference entry's opening: "Surname, A.", "Surname A,", "[12]", "12.", an
    /// institution in capitals, or a Chinese author.
    static func opensReferenceEntry(_ line: Substring) -> Bool {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard let first = text.first else { return false }
        if first == "[" { return text.dropFirst().prefix { $0.isNumber }.count > 0 }
        if first.isNumber {
            let digits = text.prefix { $0.isNumber }
            return text.dropFirst(digits.count).first.map { $0 == "." || $0 == ")" } ?? false
        }
        if let scalar = first.unicodeScalars.first, ScriptClass.isCJK(scalar) { return true }
        guard first.isUppercase else { return false }
        let word = text.prefix { $0.isLetter || $0 == "-" || $0 == "'" || $0 == "’" }
        let after = text.dropFirst(word.count).first
        return word.count >= 2
            && (after == "," || (after == " " && text.dropFirst(word.count + 1).first?.isUppercase == true))
    }

    /// The cells of a line laid out in columns: runs of text separated by two or more
    /// spaces, a tab or " | ".
    static func cells(_ line: Substring) -> [Substring] {
        if line.contains("|") {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            if parts.count >= 2 { return parts.map { Substring($0) } }
        }
        var cells: [Substring] = []
        var start: Substring.Index?
        var spaces = 0
        var index = line.startIndex
        var lastNonSpace = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == " " || c == "\t" {
                spaces += c == "\t" ? 2 : 1
            } else {
                if let s = start, spaces >= 2 {
                    cells.append(line[s...lastNonSpace])
                    start = index
                } else if start == nil {
                    start = index
                }
                spaces = 0
                lastNonSpace = index
            }
            index = line.index(after: index)
        }
        if let s = start { cells.append(line[s...lastNonSpace]) }
        return cells
    }

    /// A row of a table as `pdftotext -layout` lays it out: three or more short cells.
    static func isTableRow(_ line: Substring) -> Bool {
        let cells = cells(line)
        guard cells.count >= 3 else { return false }
        let mean = cells.reduce(0) { $0 + $1.count } / cells.count
        return mean <= 28
    }
}
