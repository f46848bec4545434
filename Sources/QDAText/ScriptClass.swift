/// Character classes the rule semantics depend on.
public enum ScriptClass {
    /// Han ideographs, kana, Hangul, CJK punctuation and full-width forms: text in which
    /// words are not separated by spaces, so terms match as substrings.
    @inlinable public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x2E80 && !(0xFF01...0xFF5E).contains(scalar.value)
    }

    /// A character that continues a Latin-script word: letters, digits and `_`, except
    /// CJK characters (so `5G技术` has a word boundary between `G` and `技`).
    @inlinable public static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        wordClass(scalar) == .latinWord
    }

    /// What a character is to word counting and boundaries.
    public enum WordClass: UInt8, Sendable {
        /// Space, punctuation, symbols (CJK punctuation too).
        case other = 0
        /// A letter, digit, `_` or combining mark outside CJK: continues a word.
        case latinWord = 1
        /// A CJK letter or digit: a word of its own.
        case cjkWord = 2
    }

    /// Whether `scalar` is part of a word, a word of its own (a CJK character) or no word (space, punctuation).
    @inlinable public static func wordClass(_ scalar: Unicode.Scalar) -> WordClass {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
                ? .latinWord : .other
        }
        if v < 0x10000 { return WordClass(rawValue: basicPlane[Int(v)]) ?? .other }
        return classify(scalar)
    }

    /// Unicode property lookups cost tens of nanoseconds each; the Basic Multilingual Plane,
    /// where nearly all text lives, is classified once per process (64 KiB, a few ms).
    public static let basicPlane: [UInt8] = (0..<0x10000).map { value in
        Unicode.Scalar(UInt32(value)).map { classify($0).rawValue } ?? WordClass.other.rawValue
    }

    @usableFromInline static func classify(_ scalar: Unicode.Scalar) -> WordClass {
        let properties = scalar.properties
        if isCJK(scalar) {
            return properties.isAlphabetic || properties.numericType != nil ? .cjkWord : .other
        }
        if scalar.isASCII { return wordClass(scalar) }
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
            ? .latinWord : .other
    }

    /// Characters that end a sentence, for valence and negation scope.
    @inlinable public static func isSentenceTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", ";", "。", "！", "？", "；", "…": return true
        default: return false
        }
    }
}

/// Counts words as every report and rule does: a run of letters and digits in an
/// alphabetic script is one word, and so is every CJK character (as word processors count
/// Chinese). Fed one scalar at a time, so text and UTF-8 bytes count alike.
public struct WordCounter: Sendable {
    /// Words counted so far.
    public var count: Int { counted }
    @usableFromInline var counted = 0
    @usableFromInline var inWord = false

    /// Creates the value from its fields.
    public init() {}

    /// A CJK character that is a word of its own (not punctuation or a symbol).
    @inlinable public static func isCJKWord(_ scalar: Unicode.Scalar) -> Bool {
        ScriptClass.wordClass(scalar) == .cjkWord
    }

    /// Counts one more character.
    @inlinable public mutating func add(_ scalar: Unicode.Scalar) {
        add(ScriptClass.wordClass(scalar))
    }

    /// Counts one more character of a known class.
    @inlinable public mutating func add(_ wordClass: ScriptClass.WordClass) {
        switch wordClass {
        case .cjkWord:
            counted += 1
            inWord = false
        case .latinWord:
            if !inWord { counted += 1 }
            inWord = true
        case .other:
            inWord = false
        }
    }

    /// Counts the words of UTF-8 text; ASCII bytes take a table, not a decoded scalar.
    public static func count(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var counter = WordCounter()
        // Read once: every access to a static goes through its lazy initialiser's check.
        let ascii = asciiClasses
        let plane = ScriptClass.basicPlane
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x80 {
                counter.add(ascii[Int(byte)])
                i += 1
            } else if let (scalar, length) = UTF8Text.decode(at: i, in: bytes) {
                counter.add(
                    scalar.value < 0x10000
                        ? ScriptClass.WordClass(rawValue: plane[Int(scalar.value)]) ?? .other
                        : ScriptClass.wordClass(scalar))
                i += length
            } else {
                counter.add(.other)
                i += 1
            }
        }
        return counter.count
    }

    private static let asciiClasses: [ScriptClass.WordClass] = (0..<128).map {
        ScriptClass.wordClass(Unicode.Scalar(UInt8($0)))
    }
}
