import Foundation
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// Word counts and the full-text index's view of text (SQLite FTS5).
///
/// FTS5's `unicode61` tokenizer splits on spaces and punctuation, which leaves a run of
/// Chinese characters as one token. The index therefore stores each CJK character as a
/// token of its own, and a query term in Chinese becomes a phrase of its characters:
/// `创新` finds `…技术创新…`, as a substring search would, and any length of term works
/// (a trigram index could not find two-character words). Latin-script terms match whole
/// words, or word beginnings with `*`; case, diacritics and full-width forms are folded.
public enum FullText {
    /// Words in `text`: runs of letters and digits in alphabetic scripts, and every CJK
    /// character (as word processors count Chinese, Japanese and Korean text).
    public static func wordCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { WordCounter.count(utf8: $0) }
    }

    static func isCJKWord(_ scalar: Unicode.Scalar) -> Bool { WordCounter.isCJKWord(scalar) }

    /// The text as the index stores it: compatibility forms folded (full-width letters),
    /// every CJK character set apart by spaces.
    static func indexText(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if isCJKWord(scalar) {
                out.append(" ")
                out.append(scalar)
                out.append(" ")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// One term of a search, as the user wrote it.
    public struct Term: Sendable, Equatable {
        /// The words of the term (several for a quoted phrase).
        public var text: String
        /// `innov*`: any word starting with the term.
        public var prefix: Bool
    }

    /// A parsed search: the FTS5 expression and the terms to mark in the results.
    public struct Query: Sendable, Equatable {
        /// The FTS5 expression run.
        public var expression: String
        /// The words and phrases looked for, to mark hits.
        public var terms: [Term]
    }

    /// Translates a search as users write it — words, `"quoted phrases"`, `OR`, `-word`
    /// or `NOT word` to exclude, `word*` for word beginnings, parentheses — into an FTS5
    /// expression. Every term is quoted, so no character of the input is FTS5 syntax.
    public static func parse(_ query: String) throws -> Query {
        enum Token: Equatable {
            case term(String, prefix: Bool, negated: Bool)
            case or, open, close
        }
        var tokens: [Token] = []
        let scalars = Array(query.unicodeScalars)
        var i = 0
        var negateNext = false
        func word(_ start: Int, _ end: Int) -> String {
            String(String.UnicodeScalarView(scalars[start..<end]))
        }
        while i < scalars.count {
            let c = scalars[i]
            if c.properties.isWhitespace {
                i += 1
                continue
            }
            if c == "(" || c == ")" {
                tokens.append(c == "(" ? .open : .close)
                i += 1
                continue
            }
            var negated = negateNext
            negateNext = false
            if c == "-" {
                negated = true
                i += 1
                guard i < scalars.count, !scalars[i].properties.isWhitespace else { continue }
            }
            if i < scalars.count, scalars[i] == "\"" {
                let start = i + 1
                var end = start
                while end < scalars.count, scalars[end] != "\"" { end += 1 }
                guard end < scalars.count else {
                    throw QDAError.searchQuoteNotClosed(query: query)
                }
                i = end + 1
                let prefix = i < scalars.count && scalars[i] == "*"
                if prefix { i += 1 }
                tokens.append(.term(word(start, end), prefix: prefix, negated: negated))
                continue
            }
            let start = i
            while i < scalars.count, !scalars[i].properties.isWhitespace, scalars[i] != "(", scalars[i] != ")",
                scalars[i] != "\""
            {
                i += 1
            }
            var text = word(start, i)
            if !negated, text == "OR" {
                tokens.append(.or)
            } else if !negated, text == "AND" {
                continue
            } else if !negated, text == "NOT" {
                negateNext = true
            } else {
                let prefix = text.hasSuffix("*")
                while text.hasSuffix("*") { text.removeLast() }
                tokens.append(.term(text, prefix: prefix, negated: negated))
            }
        }
        var positive: [String] = []
        var negative: [String] = []
        var terms: [Term] = []
        for token in tokens {
            switch token {
            case .or: positive.append("OR")
            case .open: positive.append("(")
            case .close: positive.append(")")
            case .term(let text, let prefix, let negated):
                let indexed = indexText(text).split(whereSeparator: { !isTokenCharacter($0) })
                guard !indexed.isEmpty else { continue }
                let phrase =
                    "\"" + indexed.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    + (prefix ? "*" : "")
                if negated {
                    negative.append(phrase)
                } else {
                    positive.append(phrase)
                    terms.append(Term(text: text, prefix: prefix))
                }
            }
        }
        // OR at either end, or doubled, has nothing to join.
        while positive.first == "OR" { positive.removeFirst() }
        while positive.last == "OR" { positive.removeLast() }
        guard !terms.isEmpty else {
            throw QDAError.searchWithoutWords(query: query)
        }
        var expression = positive.joined(separator: " ").replacingOccurrences(of: "OR OR", with: "OR")
        if !negative.isEmpty {
            expression = "(\(expression)) NOT " + negative.joined(separator: " NOT ")
        }
        return Query(expression: expression, terms: terms)
    }

    /// Characters the tokenizer keeps in tokens.
    private static func isTokenCharacter(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy { ScriptClass.isWordCharacter($0) || isCJKWord($0) }
    }

    /// Where the terms occur in `text`, as code-point ranges: Latin-script terms at word
    /// boundaries (or word beginnings for a prefix), CJK terms anywhere, phrase words
    /// with any run of spaces or punctuation between them; case and width folded.
    public static func marks(of terms: [Term], in text: String) -> [Range<Int>] {
        // The folded text, one entry per folded scalar, with the original position.
        var folded: [Unicode.Scalar] = []
        var origin: [Int] = []
        for (index, scalar) in text.unicodeScalars.enumerated() {
            for f in fold(scalar) {
                folded.append(f)
                origin.append(index)
            }
        }
        let length = text.unicodeScalars.count
        var ranges: [Range<Int>] = []
        for term in terms {
            let words = term.text.unicodeScalars.flatMap(fold).split {
                !ScriptClass.isWordCharacter($0) && !isCJKWord($0)
            }
            guard !words.isEmpty else { continue }
            var start = 0
            while start < folded.count {
                if let end = matchPhrase(words, prefix: term.prefix, in: folded, at: start) {
                    let first = origin[start]
                    let last = end < origin.count ? origin[end] : length
                    ranges.append(first..<max(first + 1, last))
                    start = end
                } else {
                    start += 1
                }
            }
        }
        // Sorted, overlaps merged.
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    private static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.isASCII {
            let v = scalar.value
            return [v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : scalar]
        }
        let compatible = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
        return compatible.folding(options: .diacriticInsensitive, locale: nil).unicodeScalars.map { $0 }
    }

    /// The end of `words` matched at `start`, or nil.
    private static func matchPhrase(
        _ words: [ArraySlice<Unicode.Scalar>], prefix: Bool, in text: [Unicode.Scalar], at start: Int
    ) -> Int? {
        let firstCJK = words[0].first.map(isCJKWord) ?? false
        if !firstCJK, start > 0, ScriptClass.isWordCharacter(text[start - 1]) { return nil }
        var position = start
        for (n, word) in words.enumerated() {
            if n > 0 {
                // Between words: separators (none needed around CJK characters).
                let before = position
                while position < text.count, !ScriptClass.isWordCharacter(text[position]),
                    !isCJKWord(text[position])
                {
                    position += 1
                }
                if position == before, !(isCJKWord(text[before - 1]) || word.first.map(isCJKWord) == true) {
                    return nil
                }
            }
            for scalar in word {
                guard position < text.count, text[position] == scalar else { return nil }
                position += 1
            }
        }
        let lastCJK = words.last?.last.map(isCJKWord) ?? false
        if !lastCJK, position < text.count, ScriptClass.isWordCharacter(text[position]) {
            guard prefix else { return nil }
            while position < text.count, ScriptClass.isWordCharacter(text[position]) { position += 1 }
        }
        return position
    }
}
