import Foundation

/// Text ready for the byte automaton: UTF-8 bytes folded as the rules are, with the way
/// back to the original text's Unicode scalar offsets.
///
/// Most text needs no folding beyond ASCII case and white-space runs, which the
/// automaton does itself (byte classes and run collapsing): such text is matched in its
/// original bytes (the fast path). Text with characters that Unicode folding changes
/// (accented capitals, full-width letters, compatibility forms, non-ASCII spaces) is
/// folded first and re-encoded (the slow path).
package struct PreparedText: Sendable {
    /// The bytes the automaton runs over.
    package let bytes: [UInt8]
    /// Slow path only: for each byte, the original scalar offset it came from.
    private let origin: [Int32]?
    /// Fast path: scalar offset of each byte, built on first use.
    private var scalarOffsets: [Int32]?

    package init(bytes: [UInt8], origin: [Int32]?) {
        self.bytes = bytes
        self.origin = origin
    }

    /// The original scalar span of the byte span `[start, end)`.
    package mutating func originalSpan(_ start: Int, _ end: Int) -> Range<Int> {
        if let origin {
            return Int(origin[start])..<(Int(origin[end - 1]) + 1)
        }
        if scalarOffsets == nil {
            var offsets = [Int32](repeating: 0, count: bytes.count + 1)
            var scalar: Int32 = -1
            for (i, byte) in bytes.enumerated() {
                if byte & 0xC0 != 0x80 { scalar += 1 }
                offsets[i] = scalar
            }
            offsets[bytes.count] = scalar + 1
            scalarOffsets = offsets
        }
        let offsets = scalarOffsets!
        return Int(offsets[start])..<(Int(offsets[end - 1]) + 1)
    }
}

/// Folds text the same way for rules and for documents: Unicode compatibility
/// normalisation (NFKC, which also maps full-width forms to ASCII), lower case, and every
/// run of white space to one space (a line break where the run holds one).
///
/// Not `Sendable`: it caches the folding of non-ASCII characters; each worker owns one.
package struct TextNormalizer: Sendable {
    private var cache: [UInt32: [Unicode.Scalar]] = [:]

    package init() {}

    /// Folds `term` for compiling: as text is folded, without the offset map, trimmed.
    package mutating func fold(term: String) -> [Unicode.Scalar] {
        var scalars = normalize(term.unicodeScalars).scalars
        while scalars.first == " " || scalars.first == "\n" { scalars.removeFirst() }
        while scalars.last == " " || scalars.last == "\n" { scalars.removeLast() }
        // In a term every run of white space is one space.
        return scalars.map { $0 == "\n" ? " " : $0 }
    }

    /// The UTF-8 bytes of a folded term.
    package mutating func foldedBytes(term: String) -> [UInt8] {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: fold(term: term))
        return Array(String(text).utf8)
    }

    /// Prepares `text` for the automaton, on the fast path when it can.
    package mutating func prepare(_ text: String, fastPath: FastPath) -> PreparedText {
        var utf8 = Array(text.utf8)
        if fastPath.accepts(utf8) { return PreparedText(bytes: utf8, origin: nil) }
        let normalized = normalize(text.unicodeScalars)
        utf8.removeAll(keepingCapacity: true)
        var origin: [Int32] = []
        origin.reserveCapacity(normalized.scalars.count)
        for (scalar, from) in zip(normalized.scalars, normalized.origin) {
            let before = utf8.count
            UTF8.encode(scalar) { utf8.append($0) }
            for _ in before..<utf8.count { origin.append(Int32(from)) }
        }
        return PreparedText(bytes: utf8, origin: origin)
    }

    package mutating func normalize<S: Sequence>(_ text: S) -> (scalars: [Unicode.Scalar], origin: [Int])
    where S.Element == Unicode.Scalar {
        var scalars: [Unicode.Scalar] = []
        var origin: [Int] = []
        scalars.reserveCapacity(text.underestimatedCount)
        origin.reserveCapacity(text.underestimatedCount)
        var lastWasSpace = false
        var newlinesInRun = 0
        // A run of white space becomes one space, one line break if it holds one, or a
        // blank line if it holds two (a blank line ends a sentence, a wrapped line does not).
        func space(_ isNewline: Bool, _ index: Int) {
            if lastWasSpace {
                guard isNewline else { return }
                newlinesInRun += 1
                if newlinesInRun == 1 {
                    scalars[scalars.count - 1] = "\n"
                } else if newlinesInRun == 2 {
                    scalars.append("\n")
                    origin.append(index)
                }
                return
            }
            scalars.append(isNewline ? "\n" : " ")
            origin.append(index)
            lastWasSpace = true
            newlinesInRun = isNewline ? 1 : 0
        }
        for (index, scalar) in text.enumerated() {
            if scalar.isASCII {
                let v = scalar.value
                if v == 0x20 || v == 0x09 || v == 0x0B || v == 0x0C || v == 0x0D {
                    space(false, index)
                    continue
                }
                if v == 0x0A {
                    space(true, index)
                    continue
                }
                lastWasSpace = false
                scalars.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 0x20)! : scalar)
                origin.append(index)
                continue
            }
            for folded in fold(scalar) {
                if folded.properties.isWhitespace {
                    space(folded.properties.generalCategory == .lineSeparator || folded == "\u{85}", index)
                } else {
                    scalars.append(folded)
                    lastWasSpace = false
                    origin.append(index)
                }
            }
        }
        return (scalars, origin)
    }

    private mutating func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if let cached = cache[scalar.value] { return cached }
        let folded = Array(String(scalar).precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars)
        cache[scalar.value] = folded
        return folded
    }
}

/// Decides whether text can be matched in its own bytes: every non-ASCII character in it
/// is one that folding leaves alone (CJK ideographs, kana, Hangul, CJK punctuation, curly
/// quotes and dashes), or full-width punctuation whose ASCII form no rule uses.
package struct FastPath: Sendable {
    /// Full-width punctuation (U+FF01–U+FF5E) that may stay as it is.
    private let fullWidthSafe: Set<UInt32>
    /// False to fold every text (tests compare both paths).
    package var enabled = true

    /// - Parameter ruleBytes: every byte used by the compiled rules.
    package init(ruleBytes: Set<UInt8>) {
        var safe: Set<UInt32> = []
        for v in UInt32(0xFF01)...0xFF5E {
            let ascii = UInt8(v - 0xFEE0)
            let isAlphanumeric =
                (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A)
                || (ascii >= 0x61 && ascii <= 0x7A)
            if !isAlphanumeric && !ruleBytes.contains(ascii) { safe.insert(v) }
        }
        fullWidthSafe = safe
    }

    @inline(__always)
    package static func isInvariant(_ v: UInt32) -> Bool {
        switch v {
        case 0x3001...0x3035, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xAC00...0xD7A3, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D:
            return true
        default:
            return false
        }
    }

    package func accepts(_ bytes: [UInt8]) -> Bool {
        guard enabled else { return false }
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            // Decode one scalar (the text came from a valid String).
            var v: UInt32
            var length: Int
            if b >= 0xF0 {
                return false  // outside the Basic Multilingual Plane: fold it
            } else if b >= 0xE0 {
                guard i + 2 < n else { return false }
                v = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                length = 3
            } else {
                return false  // U+0080–U+07FF: Latin-1, accents, Greek, Cyrillic
            }
            if !(Self.isInvariant(v) || fullWidthSafe.contains(v)) { return false }
            i += length
        }
        return true
    }
}
