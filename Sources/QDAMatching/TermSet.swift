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
    package init(_ texts: [String]) {
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
