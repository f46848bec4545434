public import Foundation
import QDAText

#if canImport(Glibc)
    import Glibc
#endif

/// A character encoding `qda` reads documents in.
///
/// UTF-8 is the norm; the others are what researchers' files really come in: UTF-16 from
/// Windows tools, GB18030/GBK from Chinese Windows, Big5 from Taiwan and Hong Kong, and
/// Latin-1/Windows-1252 from older Western software. Decoding goes through the C
/// library's iconv and never substitutes a replacement character: a byte sequence the
/// encoding does not define is an error naming the byte.
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "UTF-8"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case gb18030 = "GB18030"
    case big5 = "Big5"
    case windows1252 = "Windows-1252"
    case latin1 = "ISO-8859-1"

    /// Parses a name as a user writes it (`gbk`, `utf8`, `latin1`, `cp1252`, ...).
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "utf-8", "utf8": self = .utf8
        case "utf-16le", "utf16le": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        case "gb18030", "gbk", "gb2312", "cp936", "euc-cn": self = .gb18030
        case "big5", "big-5", "cp950": self = .big5
        case "windows-1252", "cp1252", "win-1252": self = .windows1252
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        default: return nil
        }
    }

    /// The names `init(name:)` accepts, for help texts and error messages.
    public static let acceptedNames =
        "utf-8, utf-16le, utf-16be, gb18030 (gbk, gb2312), big5, windows-1252 (cp1252), latin1"

    /// The name iconv knows the encoding by.
    var iconvName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .gb18030: return "GB18030"
        case .big5: return "BIG5"
        case .windows1252: return "CP1252"
        case .latin1: return "ISO-8859-1"
        }
    }
}

/// The result of decoding a file's bytes.
public struct DecodedText: Sendable, Equatable {
    /// The decoded text.
    public var text: String
    /// The encoding it was read in.
    public var encoding: TextEncoding
    /// True when the encoding was guessed from the bytes rather than given or marked.
    public var detected: Bool
}

/// Decodes document bytes: by byte-order mark, by the encoding the user named, or by
/// detection. The rule (documented in `docs/formats.md`):
///
/// 1. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE); the mark is dropped.
/// 2. An encoding given with `--encoding` (or a manifest) is used as it is.
/// 3. Otherwise: valid UTF-8 is UTF-8; text with NUL bytes in every other position is
///    UTF-16 without a mark; bytes that decode as GB18030 or Big5 are read as whichever
///    yields more of the common characters of Chinese; bytes that look like a Western
///    single-byte text (high bytes alone among ASCII) are Windows-1252. Anything else is
///    an error asking for `--encoding`.
public enum TextDecoder {
    /// Decodes `data` in `requested`, or in the encoding its byte-order mark, its bytes or its HTML/XML declaration
    /// give; an undecodable byte is an error naming its offset.
    public static func decode(_ data: Data, path: String, encoding requested: TextEncoding? = nil) throws
        -> DecodedText
    {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return DecodedText(
                text: try decodeUTF8(bytes[3...], path: path, base: 3), encoding: .utf8, detected: false)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let encoding: TextEncoding = bytes[0] == 0xFF ? .utf16LE : .utf16BE
            return DecodedText(
                text: try convert(bytes[2...], from: encoding, path: path, base: 2), encoding: encoding,
                detected: false)
        }
        if let requested {
            let text =
                requested == .utf8
                ? try decodeUTF8(bytes[...], path: path, base: 0)
                : try convert(bytes[...], from: requested, path: path, base: 0)
            return DecodedText(text: text, encoding: requested, detected: false)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            if let nul = bytes.firstIndex(of: 0) {
                if let utf16 = utf16WithoutMark(bytes) {
                    return DecodedText(
                        text: try convert(bytes[...], from: utf16, path: path, base: 0), encoding: utf16,
                        detected: true)
                }
                throw CorpusError.invalidEncoding(
                    path: path, byteOffset: nul, detail: "a NUL byte; is this a binary file?")
            }
            return DecodedText(text: text, encoding: .utf8, detected: false)
        }
        if let utf16 = utf16WithoutMark(bytes) {
            return DecodedText(
                text: try convert(bytes[...], from: utf16, path: path, base: 0), encoding: utf16, detected: true)
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw CorpusError.invalidEncoding(path: path, byteOffset: nul, detail: "a NUL byte; is this a binary file?")
        }
        // A UTF-8 file with a damaged byte is an error, not a text in another encoding.
        if isMostlyUTF8(bytes) {
            let offset = UTF8Text.firstInvalidByte(bytes) ?? 0
            throw CorpusError.invalidEncoding(
                path: path, byteOffset: offset,
                detail: "byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) is not UTF-8, "
                    + "in a file that is UTF-8 elsewhere")
        }
        // Chinese double-byte encodings: decode with both, keep the more plausible.
        var best: (text: String, encoding: TextEncoding, score: Double)?
        for candidate in [TextEncoding.gb18030, .big5] {
            guard let text = try? convert(bytes[...], from: candidate, path: path, base: 0) else { continue }
            let score = CommonHanzi.share(in: text)
            if score > (best?.score ?? 0) { best = (text, candidate, score) }
        }
        if let best, best.score >= 0.6 {
            return DecodedText(text: best.text, encoding: best.encoding, detected: true)
        }
        if looksSingleByteWestern(bytes), let text = try? convert(bytes[...], from: .windows1252, path: path, base: 0) {
            return DecodedText(text: text, encoding: .windows1252, detected: true)
        }
        let offset = UTF8Text.firstInvalidByte(bytes) ?? 0
        throw CorpusError.invalidEncoding(
            path: path, byteOffset: offset,
            detail: "byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) is not UTF-8, and the file "
                + "reads as none of GB18030, Big5 or Windows-1252 with confidence")
    }

    private static func decodeUTF8(_ bytes: ArraySlice<UInt8>, path: String, base: Int) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let slice = Array(bytes)
            let offset = UTF8Text.firstInvalidByte(slice) ?? 0
            throw CorpusError.invalidEncoding(
                path: path, byteOffset: base + offset,
                detail: "byte 0x\(String(slice[offset], radix: 16, uppercase: true)) is not UTF-8")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw CorpusError.invalidEncoding(path: path, byteOffset: nul, detail: "a NUL byte; is this a binary file?")
        }
        return text
    }

    /// UTF-16 without a byte-order mark: NUL in most odd (LE) or even (BE) positions of
    /// the first few kilobytes, and almost none in the others.
    static func utf16WithoutMark(_ bytes: [UInt8]) -> TextEncoding? {
        let sample = bytes.prefix(8192)
        guard sample.count >= 4, sample.count % 2 == 0 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let half = Double(sample.count / 2)
        if Double(oddZeros) >= 0.4 * half && Double(evenZeros) <= 0.05 * half { return .utf16LE }
        if Double(evenZeros) >= 0.4 * half && Double(oddZeros) <= 0.05 * half { return .utf16BE }
        return nil
    }

    /// Whether three in four of the file's non-ASCII bytes form valid UTF-8 sequences of two
    /// or more bytes: a UTF-8 file with a few damaged bytes (text in GB18030 or Windows-1252
    /// forms such sequences only by chance).
    static func isMostlyUTF8(_ bytes: [UInt8]) -> Bool {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var inSequences = 0
        var high = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count > 1 {
                    inSequences += encoded.count
                    high += encoded.count
                }
            case .error(let length):
                high += length
            case .emptyInput:
                break loop
            }
        }
        return inSequences > 0 && Double(inSequences) >= 0.75 * Double(high)
    }

    /// High bytes standing alone among ASCII, as accented letters in a Western text do;
    /// double-byte Chinese text has runs of them.
    static func looksSingleByteWestern(_ bytes: [UInt8]) -> Bool {
        var high = 0
        var paired = 0
        var previousHigh = false
        for byte in bytes {
            let isHigh = byte >= 0x80
            if isHigh {
                high += 1
                if previousHigh { paired += 1 }
            }
            previousHigh = isHigh
        }
        return high > 0 && Double(paired) <= 0.2 * Double(high)
    }

    /// Converts `bytes` with iconv; an undefined or truncated sequence is an error naming
    /// its offset in the file (`base` is the offset of `bytes` in the file).
    static func convert(_ bytes: ArraySlice<UInt8>, from encoding: TextEncoding, path: String, base: Int) throws
        -> String
    {
        if bytes.isEmpty { return "" }
        guard let descriptor = iconv_open("UTF-8", encoding.iconvName), descriptor != iconv_t(bitPattern: -1) else {
            throw CorpusError.encodingUnavailable(encoding: encoding.rawValue)
        }
        defer { iconv_close(descriptor) }
        var input = Array(bytes)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let produced: Int = try input.withUnsafeMutableBufferPointer { inBuffer in
            try output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                if result == -1 {
                    let offset = inBuffer.count - inLeft
                    let byte = offset < inBuffer.count ? inBuffer[offset] : 0
                    let problem =
                        errno == EINVAL
                        ? "the file ends inside a character"
                        : "byte 0x\(String(byte, radix: 16, uppercase: true)) is not \(encoding.rawValue)"
                    throw CorpusError.invalidEncoding(path: path, byteOffset: base + offset, detail: problem)
                }
                return outBuffer.count - outLeft
            }
        }
        let text = String(decoding: output[..<produced], as: UTF8.self)
        if let nul = text.utf8.firstIndex(of: 0) {
            let scalars = text.unicodeScalars.distance(from: text.startIndex, to: nul)
            throw CorpusError.invalidEncoding(
                path: path, byteOffset: base + scalars * (encoding == .utf16LE || encoding == .utf16BE ? 2 : 1),
                detail: "a NUL character; is this a binary file?")
        }
        return text
    }
}

/// The common characters of written Chinese: GB2312's first level (3,755 simplified
/// characters) and Big5's first level (5,401 traditional ones), read from the encodings
/// themselves. A text decoded with the wrong double-byte encoding is mostly rare
/// characters; decoded with the right one, almost all of its Han characters are common.
enum CommonHanzi {
    static let set: Set<UInt32> = {
        var result = Set<UInt32>()
        var gb: [UInt8] = []
        for lead in UInt8(0xB0)...0xD7 {
            for trail in UInt8(0xA1)...0xFE where !(lead == 0xD7 && trail > 0xF9) {
                gb += [lead, trail]
            }
        }
        var big5: [UInt8] = []
        for lead in UInt8(0xA4)...0xC6 {
            for trail in Array(UInt8(0x40)...0x7E) + Array(UInt8(0xA1)...0xFE) where !(lead == 0xC6 && trail > 0x7E) {
                big5 += [lead, trail]
            }
        }
        for (bytes, encoding) in [(gb, TextEncoding.gb18030), (big5, .big5)] {
            if let text = try? TextDecoder.convert(bytes[...], from: encoding, path: "", base: 0) {
                for scalar in text.unicodeScalars where isHan(scalar.value) { result.insert(scalar.value) }
            }
        }
        return result
    }()

    static func isHan(_ value: UInt32) -> Bool {
        (0x3400...0x9FFF).contains(value) || (0xF900...0xFAFF).contains(value) || (0x20000...0x3FFFF).contains(value)
    }

    /// The share of non-ASCII characters that are common Han characters or CJK punctuation.
    static func share(in text: String) -> Double {
        var nonASCII = 0
        var common = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            nonASCII += 1
            let value = scalar.value
            if set.contains(value) || (0x3000...0x303F).contains(value) || (0xFF00...0xFFEF).contains(value) {
                common += 1
            }
        }
        return nonASCII == 0 ? 0 : Double(common) / Double(nonASCII)
    }
}
