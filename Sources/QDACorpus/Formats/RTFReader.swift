package import Foundation

/// Reads Rich Text Format (`.rtf`) files: paragraphs, line breaks, tabs, table rows,
/// Unicode (`\uN`) and code-page text (`\'hh` in the document's `\ansicpgN` or a font's
/// `\fcharsetN`: GBK, Big5, Windows-1252), with footnotes kept apart like Word's.
/// Headers, footers, pictures, objects, field instructions, comments and every other
/// destination are dropped; the `\title` of the `\info` group becomes the title.
package enum RTFReader {
    package static func extract(_ data: Data, path: String) throws -> Extraction {
        let bytes = [UInt8](data)
        guard bytes.starts(with: Array("{\\rtf".utf8)) else {
            throw CorpusError.malformedDocument(path: path, format: "RTF", reason: "it does not start with '{\\rtf'")
        }
        var parser = Parser(bytes: bytes, path: path)
        try parser.run()
        var extraction = Extraction(text: parser.builder.layout())
        let title = parser.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !title.isEmpty { extraction.metadata["title"] = title }
        return extraction
    }

    /// Destinations whose text is not the document's.
    static let skippedDestinations: Set<String> = [
        "fonttbl", "colortbl", "stylesheet", "pict", "object", "header", "footer", "headerl", "headerr", "headerf",
        "footerl", "footerr", "footerf", "fldinst", "annotation", "atnid", "atnauthor", "atndate", "atnref",
        "xmlnstbl", "listtable", "listoverridetable", "revtbl", "rsidtbl", "generator", "themedata",
        "colorschememapping", "datastore", "latentstyles", "pgdsctbl", "bkmkstart", "bkmkend", "author",
        "operator", "company", "keywords", "comment", "subject", "doccomm", "nonshppict", "shppict", "sp",
        "listtext", "pntext", "pntxta", "pntxtb", "filetbl",
    ]

    struct GroupState {
        var skip = false
        var unicodeSkip = 1
        var inTitle = false
        var inFootnote = false
        var inFontTable = false
        var encoding: TextEncoding?
    }

    struct Parser {
        let bytes: [UInt8]
        let path: String
        var index = 0
        var stack: [GroupState] = []
        var state = GroupState()
        let builder = ParagraphBuilder()
        var title = ""
        var paragraph = ""
        var savedParagraph = ""
        var headingLevel = 0
        var cells: [String] = []
        var inTable = false
        var documentEncoding: TextEncoding = .windows1252
        var fontCharsets: [Int: TextEncoding] = [:]
        var currentFont: Int?
        /// `\'hh` bytes waiting to be decoded together (double-byte code pages).
        var pendingBytes: [UInt8] = []
        var pendingHighSurrogate: UInt16?
        var skipCount = 0
        var destinationPending = false

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
        }

        mutating func run() throws {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"):
                    flushBytes()
                    stack.append(state)
                    if stack.count > 512 {
                        throw CorpusError.malformedDocument(
                            path: path, format: "RTF", reason: "groups nested too deeply")
                    }
                    index += 1
                case UInt8(ascii: "}"):
                    flushBytes()
                    if state.inFootnote && !(stack.last?.inFootnote ?? false) {
                        endParagraph()
                        builder.endNote()
                        // The body paragraph the note was anchored in goes on.
                        paragraph = savedParagraph
                        savedParagraph = ""
                    }
                    guard let previous = stack.popLast() else {
                        index = bytes.count
                        break
                    }
                    state = previous
                    index += 1
                case UInt8(ascii: "\\"):
                    try controlWord()
                case 0x0D, 0x0A:
                    index += 1
                default:
                    flushBytes()
                    if skipCount > 0 {
                        skipCount -= 1
                    } else {
                        // Plain text: runs of bytes in the document's code page (ASCII in practice).
                        pendingBytes.append(byte)
                        flushBytes()
                    }
                    index += 1
                }
            }
            flushBytes()
            endParagraph()
        }

        mutating func controlWord() throws {
            index += 1
            guard index < bytes.count else { return }
            let first = bytes[index]
            if !isLetter(first) {
                index += 1
                switch first {
                case UInt8(ascii: "'"):
                    guard index + 2 <= bytes.count,
                        let value = UInt8(String(decoding: bytes[index..<(index + 2)], as: UTF8.self), radix: 16)
                    else { return }
                    index += 2
                    if skipCount > 0 {
                        skipCount -= 1
                    } else {
                        pendingBytes.append(value)
                    }
                case UInt8(ascii: "*"):
                    destinationPending = true
                case UInt8(ascii: "~"): emit("\u{00A0}")
                case UInt8(ascii: "_"): emit("-")
                case UInt8(ascii: "-"): break
                case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    emit(String(UnicodeScalar(first)))
                case 0x0A, 0x0D:
                    flushBytes()
                    endParagraph()
                default: break
                }
                return
            }
            var end = index
            while end < bytes.count, isLetter(bytes[end]) { end += 1 }
            let word = String(decoding: bytes[index..<end], as: UTF8.self)
            var parameter: Int?
            var numberEnd = end
            if numberEnd < bytes.count, bytes[numberEnd] == UInt8(ascii: "-") || isDigit(bytes[numberEnd]) {
                numberEnd += 1
                while numberEnd < bytes.count, isDigit(bytes[numberEnd]), numberEnd - end < 11 { numberEnd += 1 }
                parameter = Int(String(decoding: bytes[end..<numberEnd], as: UTF8.self))
            }
            index = numberEnd
            if index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            if word != "u" && word != "uc" { flushBytes() }
            if destinationPending {
                destinationPending = false
                if word != "footnote" && word != "title" { state.skip = true }
            }
            if Self.isSkippedDestination(word) {
                if word == "fonttbl" { state.inFontTable = true } else { state.skip = true }
                return
            }
            switch word {
            case "bin":
                index += max(0, parameter ?? 0)
            case "ansicpg":
                if let page = parameter, let encoding = Self.codePage(page) { documentEncoding = encoding }
            case "f":
                if state.inFontTable {
                    currentFont = parameter
                } else {
                    state.encoding = parameter.flatMap { fontCharsets[$0] }
                }
            case "fcharset":
                if state.inFontTable, let font = currentFont, let encoding = parameter.flatMap(Self.charset) {
                    fontCharsets[font] = encoding
                }
            case "title":
                state.inTitle = true
            case "footnote":
                savedParagraph = paragraph
                paragraph = ""
                state.inFootnote = true
                builder.beginNote()
            case "uc":
                state.unicodeSkip = max(0, parameter ?? 1)
            case "u":
                guard var value = parameter else { return }
                if value < 0 { value += 65536 }
                emitUTF16(UInt16(truncatingIfNeeded: value))
                skipCount = state.unicodeSkip
            case "par", "sect", "page":
                if inTable {
                    paragraph += " "
                } else {
                    endParagraph()
                }
            case "pard":
                headingLevel = 0
                inTable = false
            case "intbl":
                inTable = true
            case "outlinelevel":
                headingLevel = (parameter ?? 0) + 1
            case "line":
                emit("\n")
            case "tab":
                emit("\t")
            case "cell":
                cells.append(paragraph.trimmingCharacters(in: .whitespacesAndNewlines))
                paragraph = ""
            case "row":
                let filled = cells.filter { !$0.isEmpty }
                if !filled.isEmpty {
                    let line = ParagraphBuilder.transcriptTurn(filled) ?? filled.joined(separator: " | ")
                    builder.beginParagraph()
                    builder.append(line)
                    builder.endParagraph()
                }
                cells = []
                paragraph = ""
                inTable = false
            case "emdash": emit("—")
            case "endash": emit("–")
            case "lquote": emit("‘")
            case "rquote": emit("’")
            case "ldblquote": emit("“")
            case "rdblquote": emit("”")
            case "bullet": emit("•")
            case "emspace", "enspace", "qmspace": emit(" ")
            default: break
            }
        }

        static func isSkippedDestination(_ word: String) -> Bool { skippedDestinations.contains(word) }

        mutating func emit(_ text: String) {
            guard !state.skip, !state.inFontTable else { return }
            if state.inTitle {
                title += text
                return
            }
            if skipCount > 0 && text.unicodeScalars.count == 1 {
                skipCount -= 1
                return
            }
            paragraph += text
        }

        mutating func emitUTF16(_ unit: UInt16) {
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    let value = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                    if let scalar = Unicode.Scalar(value) { appendRaw(String(Character(scalar))) }
                    return
                }
            }
            if (0xD800...0xDBFF).contains(unit) {
                pendingHighSurrogate = unit
            } else if let scalar = Unicode.Scalar(UInt32(unit)) {
                appendRaw(String(Character(scalar)))
            }
        }

        /// Text that does not count against `\ucN` skipping (the Unicode character itself).
        mutating func appendRaw(_ text: String) {
            guard !state.skip, !state.inFontTable else { return }
            if state.inTitle { title += text } else { paragraph += text }
        }

        mutating func flushBytes() {
            guard !pendingBytes.isEmpty else { return }
            let encoding = state.encoding ?? documentEncoding
            let text =
                (try? TextDecoder.convert(pendingBytes[...], from: encoding, path: path, base: 0))
                ?? String(decoding: pendingBytes, as: UTF8.self)
            pendingBytes = []
            appendRaw(text)
        }

        mutating func endParagraph() {
            let text = paragraph
            paragraph = ""
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            builder.beginParagraph(headingLevel: headingLevel)
            builder.append(text)
            builder.endParagraph()
        }

        func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

        static func codePage(_ page: Int) -> TextEncoding? {
            switch page {
            case 936, 54936: return .gb18030
            case 950: return .big5
            case 1252: return .windows1252
            case 28591: return .latin1
            case 65001: return .utf8
            default: return nil
            }
        }

        static func charset(_ value: Int) -> TextEncoding? {
            switch value {
            case 134: return .gb18030
            case 136: return .big5
            case 0: return .windows1252
            default: return nil
            }
        }
    }
}
