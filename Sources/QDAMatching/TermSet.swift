package import QDAText

/// Match terms compiled into one byte automaton, with the rules every term follows: case
/// and width folded, Latin word boundaries, CJK substrings, `stem*` to the end of the
/// word, a space in a term matching any run of white space.
///
/// Both the codebook matcher and the gazetteer's place finder are built on it, so place
/// names and keywords match by the same rules.
package struct TermSet: Sendable {
    package struct Term: Sendable {
        /// Index of the term in the list it was built from.
        var source: Int
        var isStem: Bool
        var boundaryBefore: Bool
        var boundaryAfter: Bool
        /// The folded UTF-8 bytes.
        var bytes: [UInt8]
    }

    /// One occurrence of a term in prepared text, `[start, end)` in bytes.
    package struct Hit: Sendable {
        var term: Int
        var start: Int
        var end: Int
    }

    package let terms: [Term]
    private let automaton: ByteAutomaton
    package var fastPath: FastPath

    /// Compiles `texts`; a trailing `*` makes a stem. Texts that fold to nothing are left out.
    /// With `wordForms`, a text in `wordForms` whose last word is Latin (and not a stem)
    /// also matches that word's regular English forms (`EnglishWordForms`), as the same source.
    package init(_ texts: [String], wordForms: Set<Int> = []) {
        var normalizer = TextNormalizer()
        var terms: [Term] = []
        var ruleBytes: Set<UInt8> = []
        for (index, raw) in texts.enumerated() {
            var text = raw
            let isStem = text.hasSuffix("*")
            if isStem { text.removeLast() }
            let scalars = normalizer.fold(term: text)
            guard let first = scalars.first, let last = scalars.last else { continue }
            let bytes = normalizer.foldedBytes(term: text)
            ruleBytes.formUnion(bytes)
            terms.append(
                Term(
                    source: index, isStem: isStem, boundaryBefore: ScriptClass.isWordCharacter(first),
                    boundaryAfter: !isStem && ScriptClass.isWordCharacter(last), bytes: bytes))
            guard !isStem, wordForms.contains(index) else { continue }
            for form in EnglishWordForms.forms(of: bytes) {
                terms.append(
                    Term(
                        source: index, isStem: false, boundaryBefore: ScriptClass.isWordCharacter(first),
                        boundaryAfter: true, bytes: form))
            }
        }
        self.terms = terms
        automaton = ByteAutomaton(patterns: terms.map(\.bytes), foldASCII: true, unifyWhitespace: true)
        fastPath = FastPath(ruleBytes: ruleBytes)
    }

    /// Folds `text` for scanning.
    package func prepare(_ text: String, normalizer: inout TextNormalizer) -> PreparedText {
        normalizer.prepare(text, fastPath: fastPath)
    }

    /// Every occurrence in `text` that respects the boundary rules, stems extended.
    package func hits(in text: PreparedText) -> [Hit] {
        var hits: [Hit] = []
        text.bytes.withUnsafeBufferPointer { bytes in
            automaton.scanCollapsingWhitespace(bytes) { state, end in
                for index in automaton.outputs[state] {
                    let term = terms[Int(index)]
                    let start = Self.start(of: term.bytes, endingAt: end, in: bytes)
                    if term.boundaryBefore, UTF8Text.isWordCharacter(before: start, in: bytes) { continue }
                    var stop = end
                    if term.isStem {
                        while let next = UTF8Text.wordCharacterLength(at: stop, in: bytes) { stop += next }
                    } else if term.boundaryAfter, UTF8Text.wordCharacterLength(at: stop, in: bytes) != nil {
                        continue
                    }
                    hits.append(Hit(term: Int(index), start: start, end: stop))
                }
            }
        }
        return hits
    }

    /// Where a match of `pattern` that ends at `end` starts: the pattern read backwards,
    /// a space in it taking a whole run of white space.
    package static func start(of pattern: [UInt8], endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var i = end
        var j = pattern.count
        while j > 0 {
            j -= 1
            if pattern[j] == 0x20 {
                while i > 0, UTF8Text.isSpace(bytes[i - 1]) { i -= 1 }
            } else {
                i -= 1
            }
        }
        return i
    }

    /// Within each partition, the leftmost hit wins, then the longest, then an exact term
    /// over a stem; chosen hits do not overlap. Sorted by partition, then position.
    package func leftmostLongest(_ hits: [Hit], partition: (Hit) -> Int) -> [Hit] {
        let sorted = hits.sorted { a, b in
            let (pa, pb) = (partition(a), partition(b))
            if pa != pb { return pa < pb }
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end > b.end }
            let (sa, sb) = (terms[a.term].isStem, terms[b.term].isStem)
            if sa != sb { return !sa }
            return a.term < b.term
        }
        var chosen: [Hit] = []
        var currentPartition = Int.min
        var reach = 0
        for hit in sorted {
            let p = partition(hit)
            if p != currentPartition {
                currentPartition = p
                reach = 0
            }
            if hit.start >= reach {
                chosen.append(hit)
                reach = hit.end
            }
        }
        return chosen
    }
}

/// The regular inflections of an English word, for keywords that should match them
/// (`word-forms: english`): plurals and third persons (-s, -es, -ies), past forms (-ed,
/// -d, -ied) and participles (-ing, dropping a final e). Irregular forms (`children`,
/// `sold`) are listed as keywords. Only the last word of a phrase is inflected, and only
/// when it is at least three ASCII letters long.
package enum EnglishWordForms {
    /// The forms of the folded term `bytes` other than itself; empty when its last word is
    /// not inflected.
    package static func forms(of bytes: [UInt8]) -> [[UInt8]] {
        var wordStart = bytes.count
        while wordStart > 0, (0x61...0x7A).contains(bytes[wordStart - 1]) { wordStart -= 1 }
        let word = Array(bytes[wordStart...])
        guard word.count >= 3, wordStart == 0 || bytes[wordStart - 1] == 0x20 || bytes[wordStart - 1] == 0x2D else {
            return []
        }
        let stem = Array(bytes[..<wordStart])
        let vowels: Set<UInt8> = Array("aeiou".utf8).reduce(into: []) { $0.insert($1) }
        let last = word[word.count - 1]
        let beforeLast = word[word.count - 2]
        var endings: [[UInt8]] = []
        func with(_ cut: Int, _ suffix: String) { endings.append(Array(word.dropLast(cut)) + Array(suffix.utf8)) }
        if last == UInt8(ascii: "y"), !vowels.contains(beforeLast) {
            with(1, "ies")
            with(1, "ied")
            with(0, "ing")
        } else if last == UInt8(ascii: "s") || last == UInt8(ascii: "x") || last == UInt8(ascii: "z")
            || (last == UInt8(ascii: "h") && (beforeLast == UInt8(ascii: "c") || beforeLast == UInt8(ascii: "s")))
        {
            with(0, "es")
            with(0, "ed")
            with(0, "ing")
        } else if last == UInt8(ascii: "e") {
            with(0, "s")
            with(0, "d")
            with(1, "ing")
        } else {
            with(0, "s")
            with(0, "ed")
            with(0, "ing")
        }
        return endings.filter { $0 != word }.map { stem + $0 }
    }
}
