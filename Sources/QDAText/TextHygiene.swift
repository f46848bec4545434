import Foundation

/// Cleans decoded text into the form `qda` stores, whatever format it came from.
///
/// The rule (documented in `docs/formats.md`, "Text hygiene"):
/// - CR LF and lone CR become LF; U+2028 (line separator), vertical tab and NEL become LF;
///   form feed and U+2029 (paragraph separator) become a blank line.
/// - Other control characters (C0 but tab and LF, DEL, C1) are removed.
/// - Invisible format characters that only get in the way of matching are removed: zero
///   width space U+200B, word joiner U+2060, a byte-order mark inside the text U+FEFF,
///   soft hyphen U+00AD, Mongolian vowel separator U+180E. The zero-width joiner and
///   non-joiner (U+200C, U+200D) stay: they change how scripts and emoji are written.
/// - The text is put in Unicode normalisation form C, so that `é` typed as one character
///   or as `e` + combining accent is stored, matched and counted the same.
///
/// Offsets are counted in the cleaned text, which is the text stored; NUL bytes never
/// get here (decoding refuses them).
public enum TextHygiene {
    /// `text` cleaned by the rule above: line ends made LF, control and invisible format
    /// characters removed, normalisation form C; returned as it is when already clean.
    public static func clean(_ text: String) -> String {
        if isClean(text) { return text }
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(text.utf8.count)
        var mayNeedNFC = false
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            defer { previousWasCR = value == 0x0D }
            switch value {
            case 0x0A:
                if !previousWasCR { scalars.append("\n") }
            case 0x0D, 0x0B, 0x85, 0x2028:
                scalars.append("\n")
            case 0x0C, 0x2029:
                scalars.append("\n")
                scalars.append("\n")
            case 0x09:
                scalars.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F:
                continue
            case 0x200B, 0x2060, 0xFEFF, 0x00AD, 0x180E:
                continue
            default:
                if value >= 0x0300, !mayNeedNFC, mayChangeUnderNFC(scalar) { mayNeedNFC = true }
                scalars.append(scalar)
            }
        }
        let cleaned = String(scalars)
        return mayNeedNFC ? cleaned.precomposedStringWithCanonicalMapping : cleaned
    }

    /// The number of Unicode scalars in `text`, counted on its UTF-8 bytes.
    public static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    /// True when nothing in `text` needs cleaning: checked on the UTF-8 bytes, ASCII and
    /// the common scripts at memory speed.
    public static func isClean(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            let count = bytes.count
            while i < count {
                let byte = bytes[i]
                if byte < 0x80 {
                    if byte < 0x20 && byte != 0x0A && byte != 0x09 { return false }
                    if byte == 0x7F { return false }
                    i += 1
                    continue
                }
                guard let (scalar, length) = UTF8Text.decode(at: i, in: bytes) else { return false }
                switch scalar.value {
                case 0x80...0x9F, 0x85, 0x2028, 0x2029, 0x200B, 0x2060, 0xFEFF, 0x00AD, 0x180E:
                    return false
                default:
                    if scalar.value >= 0x0300, mayChangeUnderNFC(scalar) { return false }
                }
                i += length
            }
            return true
        }
    }

    /// Whether a character may change (or make its neighbour change) under NFC: a
    /// combining mark, or one of the few others whose NFC quick check is not "yes"
    /// (generated from the Unicode Character Database; Hangul jamo added by hand).
    /// Han characters, kana, Hangul syllables and Latin letters are answered at once.
    public static func mayChangeUnderNFC(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (0x3400...0x9FFF).contains(value) || (0xAC00...0xD7A3).contains(value) || (0x30A0...0x30FF).contains(value)
            || (0xFF00...0xFFEF).contains(value) || (0x3000...0x3098).contains(value)
        {
            return false
        }
        if scalar.properties.canonicalCombiningClass != .notReordered { return true }
        return notNFCRanges.contains { $0.contains(value) }
    }

    /// Characters of combining class 0 whose NFC quick check is "no" or "maybe".
    public static let notNFCRanges: [ClosedRange<UInt32>] = [
        0x0374...0x0374, 0x037E...0x037E, 0x0387...0x0387, 0x0958...0x095F, 0x09BE...0x09BE, 0x09D7...0x09D7,
        0x09DC...0x09DD, 0x09DF...0x09DF, 0x0A33...0x0A33, 0x0A36...0x0A36, 0x0A59...0x0A5B, 0x0A5E...0x0A5E,
        0x0B3E...0x0B3E, 0x0B56...0x0B57, 0x0B5C...0x0B5D, 0x0BBE...0x0BBE, 0x0BD7...0x0BD7, 0x0CC2...0x0CC2,
        0x0CD5...0x0CD6, 0x0D3E...0x0D3E, 0x0D57...0x0D57, 0x0DCF...0x0DCF, 0x0DDF...0x0DDF, 0x0F43...0x0F43,
        0x0F4D...0x0F4D, 0x0F52...0x0F52, 0x0F57...0x0F57, 0x0F5C...0x0F5C, 0x0F69...0x0F69, 0x0F73...0x0F73,
        0x0F75...0x0F76, 0x0F78...0x0F78, 0x0F81...0x0F81, 0x0F93...0x0F93, 0x0F9D...0x0F9D, 0x0FA2...0x0FA2,
        0x0FA7...0x0FA7, 0x0FAC...0x0FAC, 0x0FB9...0x0FB9, 0x102E...0x102E, 0x1161...0x1175, 0x11A8...0x11C2,
        0x1B35...0x1B35, 0x1F71...0x1F71, 0x1F73...0x1F73, 0x1F75...0x1F75, 0x1F77...0x1F77, 0x1F79...0x1F79,
        0x1F7B...0x1F7B, 0x1F7D...0x1F7D, 0x1FBB...0x1FBB, 0x1FBE...0x1FBE, 0x1FC9...0x1FC9, 0x1FCB...0x1FCB,
        0x1FD3...0x1FD3, 0x1FDB...0x1FDB, 0x1FE3...0x1FE3, 0x1FEB...0x1FEB, 0x1FEE...0x1FEF, 0x1FF9...0x1FF9,
        0x1FFB...0x1FFB, 0x1FFD...0x1FFD, 0x2000...0x2001, 0x2126...0x2126, 0x212A...0x212B, 0x2329...0x232A,
        0x2ADC...0x2ADC, 0xF900...0xFAD9, 0xFB1D...0xFB1D, 0xFB1F...0xFB1F, 0xFB2A...0xFB4E, 0x11127...0x11127,
        0x1133E...0x1133E, 0x11357...0x11357, 0x114B0...0x114B0, 0x114BA...0x114BA, 0x114BD...0x114BD,
        0x115AF...0x115AF, 0x11930...0x11930, 0x1D15E...0x1D164, 0x1D1BB...0x1D1C0, 0x2F800...0x2FA1D,
    ]
}
