/// Character classes the rule semantics depend on.
enum ScriptClass {
    /// Han ideographs, kana, Hangul, CJK punctuation and full-width forms: text in which
    /// words are not separated by spaces, so terms match as substrings.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x2E80 && !(0xFF01...0xFF5E).contains(scalar.value)
    }

    /// A character that continues a Latin-script word: letters, digits and `_`, except
    /// CJK characters (so `5G技术` has a word boundary between `G` and `技`).
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        if isCJK(scalar) { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            || scalar.properties.generalCategory == .nonspacingMark
    }

    /// Characters that end a sentence, for valence and negation scope.
    static func isSentenceTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", ";", "。", "！", "？", "；", "…": return true
        default: return false
        }
    }
}

/// Counts words as every report and rule does: a run of letters and digits in an
/// alphabetic script is one word, and so is every CJK character (as word processors count
/// Chinese). Fed one scalar at a time, so text and UTF-8 bytes count alike.
struct WordCounter {
    private(set) var count = 0
    private var inWord = false

    /// A CJK character that is a word of its own (not punctuation or a symbol).
    static func isCJKWord(_ scalar: Unicode.Scalar) -> Bool {
        ScriptClass.isCJK(scalar) && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
    }

    mutating func add(_ scalar: Unicode.Scalar) {
        if Self.isCJKWord(scalar) {
            count += 1
            inWord = false
        } else if ScriptClass.isWordCharacter(scalar) {
            if !inWord { count += 1 }
            inWord = true
        } else {
            inWord = false
        }
    }
}
