/// Cuts text into sentences, for `--unit sentence`.
///
/// The rule (docs/formats.md): a sentence ends after `.`, `!`, `?` or `…` followed by
/// white space and a character that can open a sentence (not a lower-case letter), and
/// right after the Chinese `。`, `！`, `？` and `；`; closing quotes and brackets after the
/// mark stay with the sentence. A full stop does not end a sentence after a known
/// abbreviation (Mr., Dr., Prof., e.g., i.e., etc., vs., No., U.S., Jan., ...), after a
/// single capital letter (an initial, "J. Smith"), or inside a number ("3.5").
public enum SentenceSplitter {
    /// Abbreviations after which a full stop does not end a sentence (`e.g.`, `Dr.`, `Fig.` ...), lower-cased.
    public static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "eg", "ie", "no", "nos", "vol",
        "fig", "figs", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "approx", "ca", "cf", "al", "u.s", "u.k", "u.n", "p", "pp", "ed", "eds", "rev", "gen",
        "gov", "dept", "univ", "mt", "ave", "op", "cit", "ibid", "resp", "viz", "est", "min", "max", "incl",
        "ch", "sec", "art", "para",
    ]

    /// Closing quotes and brackets that stay with the sentence they end.
    public static let closers: Set<Unicode.Scalar> = [
        "\"", "'", "”", "’", ")", "]", "}", "」", "』", "）", "】", "》", "〉", "»",
    ]

    /// The sentences of `text` as ranges of scalar offsets, trimmed of white space.
    public static func sentences(in text: String) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        var result: [Range<Int>] = []
        var start = 0
        var i = 0
        func close(at end: Int) {
            var s = start
            var e = end
            while s < e, scalars[s].properties.isWhitespace { s += 1 }
            while e > s, scalars[e - 1].properties.isWhitespace { e -= 1 }
            if s < e { result.append(s..<e) }
            start = end
        }
        while i < scalars.count {
            let c = scalars[i]
            switch c {
            case "。", "！", "？", "；", "!", "?", "…", ".":
                var end = i + 1
                // Runs of marks ("?!", "...", "。」").
                while end < scalars.count, "。！？；!?….".unicodeScalars.contains(scalars[end]) { end += 1 }
                while end < scalars.count, closers.contains(scalars[end]) { end += 1 }
                let chinese = "。！？；".unicodeScalars.contains(c)
                if chinese || isLatinBoundary(scalars, mark: i, after: end) {
                    close(at: end)
                }
                i = end
            default:
                i += 1
            }
        }
        close(at: scalars.count)
        return result
    }

    private static func isLatinBoundary(_ scalars: [Unicode.Scalar], mark: Int, after end: Int) -> Bool {
        // White space must follow, then something that can open a sentence.
        guard end < scalars.count else { return true }
        guard scalars[end].properties.isWhitespace else { return false }
        var next = end
        while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 }
        guard next < scalars.count else { return true }
        if scalars[next].properties.isLowercase { return false }
        guard scalars[mark] == "." else { return true }
        // The word before the full stop.
        var wordStart = mark
        while wordStart > 0, !scalars[wordStart - 1].properties.isWhitespace, scalars[wordStart - 1] != "(" {
            wordStart -= 1
        }
        let word = String(String.UnicodeScalarView(scalars[wordStart..<mark])).lowercased()
        if abbreviations.contains(word) { return false }
        if word.count == 1, let letter = scalars[wordStart..<mark].first, letter.properties.isUppercase { return false }
        // "U.S." and "e.g." written with inner stops.
        if word.contains("."), word.split(separator: ".").allSatisfy({ $0.count == 1 }) { return false }
        return true
    }
}
