import Foundation

/// Text folded for matching, with the way back to the original characters.
struct NormalizedText {
    /// The folded characters.
    var scalars: [Unicode.Scalar]
    /// For each folded character, the offset of the original character it came from.
    var origin: [Int]

    /// The original span `[start, end)` that the folded span `[start, end)` came from.
    func originalSpan(_ start: Int, _ end: Int) -> Range<Int> {
        origin[start]..<(origin[end - 1] + 1)
    }
}

/// Folds text the same way for rules and for documents: Unicode compatibility
/// normalisation (NFKC, which also maps full-width forms to ASCII), lower case, and every
/// run of white space to one space.
///
/// Not `Sendable`: it caches the folding of non-ASCII characters; each worker owns one.
struct TextNormalizer {
    private var cache: [UInt32: [Unicode.Scalar]] = [:]

    mutating func normalize<S: Sequence>(_ text: S) -> NormalizedText where S.Element == Unicode.Scalar {
        var scalars: [Unicode.Scalar] = []
        var origin: [Int] = []
        scalars.reserveCapacity(text.underestimatedCount)
        origin.reserveCapacity(text.underestimatedCount)
        var lastWasSpace = false
        for (index, scalar) in text.enumerated() {
            if scalar.isASCII {
                let v = scalar.value
                if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D || v == 0x0B || v == 0x0C {
                    if !lastWasSpace {
                        scalars.append(" ")
                        origin.append(index)
                        lastWasSpace = true
                    }
                    continue
                }
                lastWasSpace = false
                scalars.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 0x20)! : scalar)
                origin.append(index)
                continue
            }
            for folded in fold(scalar) {
                if folded.properties.isWhitespace {
                    if lastWasSpace { continue }
                    scalars.append(" ")
                    lastWasSpace = true
                } else {
                    scalars.append(folded)
                    lastWasSpace = false
                }
                origin.append(index)
            }
        }
        return NormalizedText(scalars: scalars, origin: origin)
    }

    /// Folds a rule term; a term folds to the same characters as the text it matches.
    mutating func fold(term: String) -> [Unicode.Scalar] {
        var scalars = normalize(term.unicodeScalars).scalars
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return scalars
    }

    private mutating func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if let cached = cache[scalar.value] { return cached }
        let folded = Array(String(scalar).precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars)
        cache[scalar.value] = folded
        return folded
    }
}
