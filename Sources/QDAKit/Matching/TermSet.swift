/// Match terms compiled into one automaton, with the rules every term follows: case and
/// width folded, Latin word boundaries, CJK substrings, `stem*` to the end of the word.
///
/// Both the codebook matcher and the gazetteer's place finder are built on it, so place
/// names and keywords match by the same rules.
struct TermSet: Sendable {
    struct Term: Sendable {
        /// Index of the term in the list it was built from.
        var source: Int
        var isStem: Bool
        var boundaryBefore: Bool
        var boundaryAfter: Bool
    }

    /// One occurrence of a term in folded text, `[start, end)` in folded offsets.
    struct Hit: Sendable {
        var term: Int
        var start: Int
        var end: Int
    }

    let terms: [Term]
    private let automaton: Automaton

    /// Compiles `texts`; a trailing `*` makes a stem. Texts that fold to nothing are left out.
    init(_ texts: [String]) {
        var normalizer = TextNormalizer()
        var folded: [[Unicode.Scalar]] = []
        var terms: [Term] = []
        for (index, raw) in texts.enumerated() {
            var text = raw
            let isStem = text.hasSuffix("*")
            if isStem { text.removeLast() }
            let scalars = normalizer.fold(term: text)
            guard let first = scalars.first, let last = scalars.last else { continue }
            folded.append(scalars)
            terms.append(
                Term(
                    source: index, isStem: isStem, boundaryBefore: ScriptClass.isWordCharacter(first),
                    boundaryAfter: !isStem && ScriptClass.isWordCharacter(last)))
        }
        self.terms = terms
        automaton = Automaton(patterns: folded)
    }

    /// Calls `found` for every occurrence that respects the boundary rules, stems extended.
    func scan(_ chars: [Unicode.Scalar], found: (Hit) -> Void) {
        automaton.scan(chars) { index, start, end in
            let term = terms[index]
            if term.boundaryBefore, start > 0, ScriptClass.isWordCharacter(chars[start - 1]) { return }
            var end = end
            if term.isStem {
                while end < chars.count, ScriptClass.isWordCharacter(chars[end]) { end += 1 }
            } else if term.boundaryAfter, end < chars.count, ScriptClass.isWordCharacter(chars[end]) {
                return
            }
            found(Hit(term: index, start: start, end: end))
        }
    }

    /// Within each partition, the leftmost hit wins, then the longest, then an exact term
    /// over a stem; chosen hits do not overlap. Sorted by partition, then position.
    func leftmostLongest(_ hits: [Hit], partition: (Hit) -> Int) -> [Hit] {
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
