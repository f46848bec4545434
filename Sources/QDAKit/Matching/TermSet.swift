/// Match terms compiled into one byte automaton, with the rules every term follows: case
/// and width folded, Latin word boundaries, CJK substrings, `stem*` to the end of the
/// word, a space in a term matching any run of white space.
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
        /// The folded UTF-8 bytes.
        var bytes: [UInt8]
    }

    /// One occurrence of a term in prepared text, `[start, end)` in bytes.
    struct Hit: Sendable {
        var term: Int
        var start: Int
        var end: Int
    }

    let terms: [Term]
    private let automaton: ByteAutomaton
    var fastPath: FastPath

    /// Compiles `texts`; a trailing `*` makes a stem. Texts that fold to nothing are left out.
    init(_ texts: [String]) {
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
    func prepare(_ text: String, normalizer: inout TextNormalizer) -> PreparedText {
        normalizer.prepare(text, fastPath: fastPath)
    }

    /// Every occurrence in `text` that respects the boundary rules, stems extended.
    func hits(in text: PreparedText) -> [Hit] {
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
    static func start(of pattern: [UInt8], endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
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

/// Character classes read straight from UTF-8 bytes.
enum UTF8Text {
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    @inline(__always)
    static func isASCIIWord(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F
    }

    /// Whether the character that ends just before `index` continues a Latin word.
    static func isWordCharacter(before index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard index > 0 else { return false }
        let last = bytes[index - 1]
        if last < 0x80 { return isASCIIWord(last) }
        var start = index - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard let scalar = decode(at: start, in: bytes)?.scalar else { return false }
        return ScriptClass.isWordCharacter(scalar)
    }

    /// The byte length of the character at `index` if it continues a Latin word, else nil.
    static func wordCharacterLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        if first < 0x80 { return isASCIIWord(first) ? 1 : nil }
        guard let (scalar, length) = decode(at: index, in: bytes), ScriptClass.isWordCharacter(scalar) else {
            return nil
        }
        return length
    }

    /// Decodes the scalar that starts at `index`.
    static func decode(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (scalar: Unicode.Scalar, length: Int)? {
        let b0 = bytes[index]
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
        guard index + length <= bytes.count else { return nil }
        var value: UInt32
        switch length {
        case 1: value = UInt32(b0)
        case 2: value = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 3:
            value = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            value =
                UInt32(b0 & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                | UInt32(bytes[index + 3] & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }
}
