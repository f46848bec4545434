package import QDACodebook
package import QDAText

/// One place where a code's rule matched, with the valence read from its sentence.
package struct CodeMatch: Sendable, Equatable {
    /// Index of the code in `Matcher.codes`.
    package var code: Int
    /// Offsets into the matched text, in Unicode scalar values.
    package var start: Int
    package var end: Int
    /// +1 when the sentence marks the factor as strong, −1 as weak, 0 otherwise.
    package var valence: Int
}

/// The compiled form of a codebook: every keyword, valence cue and negation in one
/// automaton, and the rule semantics applied to its candidates.
///
/// Semantics (documented in `docs/matching.md`):
/// - case-insensitive after NFKC; any run of white space in a phrase matches any run;
/// - a term that starts (ends) with a Latin letter or digit must start (end) at a word
///   boundary; CJK characters are boundaries, so `AI芯片` and `5G技术` match;
/// - `stem*` extends to the end of the word;
/// - per code, the leftmost match wins, then the longest; matches of one code never overlap;
/// - valence: the cues of the code, its ancestors and the codebook in the same sentence
///   (a contrast word such as "but" or 但是 opens a new one; a cue inside any matched
///   keyword, like "low" in "low-cost", is part of it) add +1 or −1, a negation up
///   to `negationReach` characters before a cue flips it; with no cue, a negation just
///   before the keyword makes it −1.
package struct Matcher: Sendable {
    /// The keys of the codes, in codebook order; `CodeMatch.code` indexes this.
    package let codes: [String]

    package enum Role: Sendable, Equatable {
        case keyword(code: Int)
        case exclusion(code: Int)
        /// One side (0 or 1) of the proximity rule `rule` of `code`.
        case near(code: Int, rule: Int, side: Int)
        case positive(scope: Int?)
        case negative(scope: Int?)
        case negation
        case contrast
    }

    private(set) var terms: TermSet
    /// The word distance of each proximity rule.
    private let nearDistances: [Int]
    /// The role of each term of `terms`, by `TermSet.Term.source`.
    private let roles: [Role]
    /// For each code, the code indices whose cues apply to it (itself and its ancestors).
    private let cueScopes: [Set<Int>]

    /// How far (in folded characters) a negation reaches forward to the cue or keyword it negates.
    package static let negationReach = 24

    /// Words that open a contrasting clause: valence cues and negations do not reach
    /// across them ("The universities are good, but the institutes are weak").
    package static let contrastWords = [
        "but", "however", "although", "though", "whereas", "yet", "但", "但是", "不过", "然而", "可是",
    ]

    /// Compiles `codebook`.
    package init(codebook: Codebook) {
        let all = codebook.allCodes
        codes = all.map(\.key)
        let index = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.key, $0) })
        cueScopes = all.map { code in
            var scope: Set<Int> = []
            var key = code.key
            while let i = index[key] {
                scope.insert(i)
                guard let dot = key.lastIndex(of: ".") else { break }
                key = String(key[..<dot])
            }
            return scope
        }

        var texts: [String] = []
        var roles: [Role] = []
        func add(_ term: String, _ role: Role) {
            texts.append(term)
            roles.append(role)
        }
        var nearDistances: [Int] = []
        for (i, code) in all.enumerated() {
            for keyword in code.keywords { add(keyword, .keyword(code: i)) }
            for term in code.exclusions { add(term, .exclusion(code: i)) }
            for rule in code.near {
                add(rule.first, .near(code: i, rule: nearDistances.count, side: 0))
                add(rule.second, .near(code: i, rule: nearDistances.count, side: 1))
                nearDistances.append(rule.distance)
            }
            for cue in code.valence.positive { add(cue, .positive(scope: i)) }
            for cue in code.valence.negative { add(cue, .negative(scope: i)) }
        }
        for cue in codebook.valence.positive { add(cue, .positive(scope: nil)) }
        for cue in codebook.valence.negative { add(cue, .negative(scope: nil)) }
        for negation in codebook.negations { add(negation, .negation) }
        for word in Self.contrastWords { add(word, .contrast) }
        self.roles = roles
        self.nearDistances = nearDistances
        // Word forms for keywords, exclusions and proximity terms; cues and negations stay as written.
        let inflected: Set<Int> =
            codebook.englishWordForms
            ? Set(
                roles.indices.filter {
                    switch roles[$0] {
                    case .keyword, .exclusion, .near: return true
                    default: return false
                    }
                }) : []
        self.terms = TermSet(texts, wordForms: inflected)
    }

    package typealias Hit = TermSet.Hit

    private func role(_ hit: Hit) -> Role {
        roles[terms.terms[hit.term].source]
    }

    /// Finds every code in `text`. Offsets in the result point into `text`.
    package func matches(in text: String) -> [CodeMatch] {
        var normalizer = TextNormalizer()
        return matches(in: text, normalizer: &normalizer)
    }

    package func matches(in text: String, normalizer: inout TextNormalizer) -> [CodeMatch] {
        var prepared = terms.prepare(text, normalizer: &normalizer)
        var keywordHits: [Hit] = []
        var exclusionHits: [Hit] = []
        var nearHits: [Int: [[Hit]]] = [:]
        var cueHits: [Hit] = []
        var negationHits: [Hit] = []
        var contrasts: [Int] = []
        for hit in terms.hits(in: prepared) {
            switch role(hit) {
            case .keyword: keywordHits.append(hit)
            case .exclusion: exclusionHits.append(hit)
            case .near(_, let rule, let side): nearHits[rule, default: [[], []]][side].append(hit)
            case .positive, .negative: cueHits.append(hit)
            case .negation: negationHits.append(hit)
            case .contrast: contrasts.append(hit.start)
            }
        }
        keywordHits += proximityMatches(nearHits, bytes: prepared.bytes)
        if !exclusionHits.isEmpty {
            // An exclusion cancels the matches of its code that it overlaps.
            keywordHits.removeAll { hit in
                exclusionHits.contains { e in
                    codeOf(e) == codeOf(hit) && e.start < hit.end && hit.start < e.end
                }
            }
        }
        guard !keywordHits.isEmpty else { return [] }

        let keywords = terms.leftmostLongest(keywordHits) { hit in codeOf(hit) ?? -1 }
        let cues = terms.leftmostLongest(cueHits) { _ in 0 }
        let negations = terms.leftmostLongest(negationHits) { _ in 0 }
        // Sentences matter only to relate cues and negations to keywords.
        let sentences =
            cues.isEmpty && negations.isEmpty
            ? Sentences(starts: []) : Self.sentenceIndex(prepared.bytes, contrasts: contrasts)

        return keywords.map { hit in
            guard let code = codeOf(hit) else { preconditionFailure("a keyword hit without a code") }
            let span = prepared.originalSpan(hit.start, hit.end)
            return CodeMatch(
                code: code, start: span.lowerBound, end: span.upperBound,
                valence: valence(
                    of: hit, code: code, keywords: keywords, cues: cues, negations: negations, sentences: sentences,
                    bytes: prepared.bytes))
        }.sorted { ($0.start, $0.code, $0.end) < ($1.start, $1.code, $1.end) }
    }

    /// The code a keyword, exclusion or proximity hit belongs to.
    private func codeOf(_ hit: Hit) -> Int? {
        switch role(hit) {
        case .keyword(let code), .exclusion(let code), .near(let code, _, _): return code
        default: return nil
        }
    }

    /// Matches of proximity rules: a hit of either side with one of the other side at most
    /// the rule's distance in words away (either order), spanning both. The span's term is
    /// the earlier side's, so ties break as for keywords.
    private func proximityMatches(_ hits: [Int: [[Hit]]], bytes: [UInt8]) -> [Hit] {
        var matches: [Hit] = []
        for (rule, sides) in hits.sorted(by: { $0.key < $1.key }) {
            for a in sides[0] {
                for b in sides[1] where a.end <= b.start || b.end <= a.start {
                    let (left, right) = a.end <= b.start ? (a, b) : (b, a)
                    if Self.wordCount(bytes, from: left.end, to: right.start) <= nearDistances[rule] {
                        matches.append(Hit(term: left.term, start: left.start, end: right.end))
                    }
                }
            }
        }
        return matches
    }

    /// Words in `bytes[from..<to]`, counted as `WordCounter` counts them.
    package static func wordCount(_ bytes: [UInt8], from: Int, to: Int) -> Int {
        guard from < to else { return 0 }
        var counter = WordCounter()
        bytes.withUnsafeBufferPointer { buffer in
            var i = from
            while i < to {
                guard let (scalar, length) = UTF8Text.decode(at: i, in: buffer) else { break }
                counter.add(scalar)
                i += length
            }
        }
        return counter.count
    }

    /// Where sentences (and contrasting clauses) begin: the byte offsets after which a new
    /// one starts, in order. `sentence(at:)` turns an offset into a sentence number.
    package struct Sentences {
        let starts: [Int]

        /// The number of the sentence that holds byte `offset`.
        func sentence(at offset: Int) -> Int {
            var low = 0
            var high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] <= offset { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    package static func sentenceIndex(_ bytes: [UInt8], contrasts: [Int]) -> Sentences {
        var starts: [Int] = []
        let contrasts = contrasts.sorted()
        var nextContrast = 0
        var i = 0
        while i < bytes.count {
            while nextContrast < contrasts.count, contrasts[nextContrast] <= i {
                if contrasts[nextContrast] == i { starts.append(i) }
                nextContrast += 1
            }
            let b = bytes[i]
            var length = 1
            var ends = false
            switch b {
            case 0x21, 0x3F, 0x3B:  // ! ? ;
                ends = true
            case 0x0A:  // a blank line ends a sentence; a wrapped line does not
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
                ends = j < bytes.count && bytes[j] == 0x0A
            case 0x2E:  // a full stop inside "3.5" or "e.g.x" does not end a sentence
                ends = i + 1 == bytes.count || UTF8Text.isSpace(bytes[i + 1])
            case 0xC0...0xFF:
                length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                if length == 3, i + 2 < bytes.count {
                    let v = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    ends = Unicode.Scalar(v).map(ScriptClass.isSentenceTerminator) ?? false
                }
            default:
                break
            }
            i += length
            if ends { starts.append(i) }
        }
        return Sentences(starts: starts)
    }

    /// The number of characters in `bytes[from..<to]`, a run of white space counting as one.
    package static func characterCount(_ bytes: [UInt8], from: Int, to: Int) -> Int {
        var count = 0
        var previousWasSpace = false
        for byte in bytes[from..<max(from, to)] where byte & 0xC0 != 0x80 {
            let isSpace = UTF8Text.isSpace(byte)
            if !(isSpace && previousWasSpace) { count += 1 }
            previousWasSpace = isSpace
        }
        return count
    }

    private func valence(
        of keyword: Hit, code: Int, keywords: [Hit], cues: [Hit], negations: [Hit], sentences: Sentences,
        bytes: [UInt8]
    ) -> Int {
        let sentence = sentences.sentence(at: keyword.start)
        func negated(_ target: Hit) -> Bool {
            negations.contains { n in
                n.end <= target.start && sentences.sentence(at: n.start) == sentence
                    && Self.characterCount(bytes, from: n.end, to: target.start) <= Self.negationReach
            }
        }
        var sum = 0
        var sawCue = false
        for cue in cues where sentences.sentence(at: cue.start) == sentence {
            // A cue inside a coded term ("low" in "low-cost") is part of that term.
            if keywords.contains(where: { cue.start < $0.end && $0.start < cue.end }) { continue }
            var polarity: Int
            switch role(cue) {
            case .positive(let scope):
                guard scope.map({ cueScopes[code].contains($0) }) ?? true else { continue }
                polarity = 1
            case .negative(let scope):
                guard scope.map({ cueScopes[code].contains($0) }) ?? true else { continue }
                polarity = -1
            default:
                continue
            }
            sawCue = true
            if negated(cue) { polarity = -polarity }
            sum += polarity
        }
        if sawCue { return sum.signum() }
        return negated(keyword) ? -1 : 0
    }
}

extension Matcher {
    /// Folds every text before matching, for tests that compare the two paths.
    package mutating func disableFastPath() {
        terms.fastPath.enabled = false
    }
}
