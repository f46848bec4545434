package import Foundation

/// Reads the visible text of HTML pages with a tolerant tokenizer (real pages are rarely
/// well-formed XML).
///
/// The rule (docs/formats.md): block elements (p, div, li, headings, blockquote, table
/// rows, ...) are paragraphs; `h1`–`h6` become Markdown headings; `br` is a line break;
/// white space collapses except inside `pre`; the content of `head`, `script`, `style`,
/// `noscript`, `template`, `svg`, `iframe` and of elements with the `hidden` attribute is
/// dropped; character references are decoded (numeric ones and the common named ones;
/// an unknown name is kept as written). The page's `<title>` becomes the title. The
/// encoding is the byte-order mark's, `--encoding`, the page's `<meta charset>`, or
/// detected, in that order.
package enum HTMLReader {
    package static func extract(_ data: Data, path: String, encoding: TextEncoding?) throws -> Extraction {
        let declared = encoding ?? declaredCharset(data)
        let decoded = try TextDecoder.decode(data, path: path, encoding: declared)
        var extraction = parse(decoded.text)
        extraction.encoding = decoded.encoding
        extraction.encodingDetected = decoded.detected
        return extraction
    }

    /// The charset a `<meta>` element names in the first kilobytes.
    static func declaredCharset(_ data: Data) -> TextEncoding? {
        let head = String(decoding: data.prefix(4096), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        var name = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        name = name.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        // HTML reads "iso-8859-1" as Windows-1252.
        if let encoding = TextEncoding(name: String(name)) { return encoding == .latin1 ? .windows1252 : encoding }
        return nil
    }

    static let blockElements: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "li", "ul", "ol", "dl", "dt",
        "dd", "blockquote", "pre", "figure", "figcaption", "address", "details", "summary", "form", "fieldset",
        "legend", "caption", "table", "tbody", "thead", "tfoot", "hr", "body", "html",
    ]
    static let hiddenElements: Set<String> = [
        "head", "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "math", "select",
    ]
    static let voidElements: Set<String> = [
        "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr",
    ]

    static func parse(_ html: String) -> Extraction {
        let builder = ParagraphBuilder()
        var hiddenStack: [String] = []
        var preDepth = 0
        var title = ""
        var inTitle = false
        var pendingSpace = false
        let scalars = Array(html.unicodeScalars)
        var i = 0

        func appendText(_ raw: String) {
            if inTitle {
                title += raw
                return
            }
            guard hiddenStack.isEmpty else { return }
            let text = decodeEntities(raw)
            if preDepth > 0 {
                builder.append(text)
                return
            }
            var collapsed = ""
            for scalar in text.unicodeScalars {
                if scalar.properties.isWhitespace && scalar != "\u{00A0}" {
                    pendingSpace = true
                } else {
                    // Leading spaces of a paragraph are trimmed when it ends.
                    if pendingSpace { collapsed += " " }
                    pendingSpace = false
                    collapsed.unicodeScalars.append(scalar)
                }
            }
            if !collapsed.isEmpty {
                if !builder.isInParagraph { builder.beginParagraph() }
                builder.append(collapsed)
            }
        }

        func breakBlock() {
            while builder.isInParagraph { builder.endParagraph() }
            pendingSpace = false
        }

        var textStart = 0
        while i < scalars.count {
            guard scalars[i] == "<" else {
                i += 1
                continue
            }
            if textStart < i { appendText(String(String.UnicodeScalarView(scalars[textStart..<i]))) }
            // Comments, doctype and processing instructions.
            if i + 3 < scalars.count, scalars[i + 1] == "!", scalars[i + 2] == "-", scalars[i + 3] == "-" {
                i = find("-->", in: scalars, from: i + 4).map { $0 + 3 } ?? scalars.count
                textStart = i
                continue
            }
            if i + 1 < scalars.count, scalars[i + 1] == "!" || scalars[i + 1] == "?" {
                i = find(">", in: scalars, from: i).map { $0 + 1 } ?? scalars.count
                textStart = i
                continue
            }
            guard let close = findTagEnd(scalars, from: i + 1) else {
                // A lone "<" is text.
                i += 1
                continue
            }
            let tag = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
            i = close + 1
            textStart = i
            let isEnd = tag.hasPrefix("/")
            let body = isEnd ? tag.dropFirst() : tag[...]
            let name = body.prefix { !$0.isWhitespace && $0 != "/" && $0 != ">" }.lowercased()
            guard !name.isEmpty, name.first!.isLetter else {
                appendText("<" + tag + ">")
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            if isEnd {
                if let index = hiddenStack.lastIndex(of: name) {
                    hiddenStack.removeSubrange(index...)
                    continue
                }
                if name == "title" { inTitle = false }
                if name == "pre" { preDepth = max(0, preDepth - 1) }
                if name == "td" || name == "th" {
                    breakInCell(builder)
                    builder.endCell()
                } else if name == "tr" {
                    builder.endRow()
                } else if blockElements.contains(name) || isHeading(name) {
                    breakBlock()
                }
                continue
            }
            if name == "title" {
                // The title lives in the hidden head.
                inTitle = true
                continue
            }
            if !hiddenStack.isEmpty {
                if hiddenElements.contains(name) && !selfClosing && !voidElements.contains(name) {
                    hiddenStack.append(name)
                }
                continue
            }
            let hidden =
                hiddenElements.contains(name) || hasAttribute("hidden", in: String(body))
                || String(body).lowercased().contains("aria-hidden=\"true\"")
            if hidden {
                if name == "script" || name == "style" {
                    // Raw text: whatever looks like a tag inside is not one.
                    i = find("</" + name, in: scalars, from: i, caseInsensitive: true) ?? scalars.count
                    textStart = i
                } else if !selfClosing && !voidElements.contains(name) {
                    hiddenStack.append(name)
                }
                continue
            }
            switch name {
            case "br":
                if !builder.isInParagraph { builder.beginParagraph() }
                builder.append("\n")
                pendingSpace = false
            case "td", "th":
                // A header row is never read as a transcript turn.
                if name == "th" { builder.markRowPlain() }
                if !selfClosing { builder.beginCell() }
            case "tr":
                builder.beginRow()
            case "pre":
                breakBlock()
                preDepth += 1
                builder.beginParagraph()
            default:
                if let level = headingLevel(name) {
                    breakBlock()
                    builder.beginParagraph(headingLevel: level)
                } else if blockElements.contains(name) {
                    breakBlock()
                }
            }
        }
        if textStart < scalars.count { appendText(String(String.UnicodeScalarView(scalars[textStart...]))) }
        var extraction = Extraction(text: builder.layout())
        extraction.readsFrontMatter = false
        let pageTitle = decodeEntities(title).trimmingCharacters(in: .whitespacesAndNewlines)
        if !pageTitle.isEmpty { extraction.metadata["title"] = pageTitle }
        return extraction
    }

    private static func breakInCell(_ builder: ParagraphBuilder) {
        while builder.isInParagraph { builder.endParagraph() }
    }

    static func isHeading(_ name: String) -> Bool { headingLevel(name) != nil }

    static func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let level = Int(name.dropFirst()), (1...6).contains(level) else {
            return nil
        }
        return level
    }

    /// The index of the `>` that ends a tag opened before `from`, honouring quoted attribute values.
    private static func findTagEnd(_ scalars: [Unicode.Scalar], from: Int) -> Int? {
        guard from < scalars.count, scalars[from].properties.isAlphabetic || scalars[from] == "/" else { return nil }
        var quote: Unicode.Scalar?
        var j = from
        while j < scalars.count {
            let c = scalars[j]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return j
            }
            j += 1
        }
        return nil
    }

    private static func find(
        _ needle: String, in scalars: [Unicode.Scalar], from: Int, caseInsensitive: Bool = false
    ) -> Int? {
        let pattern = Array(needle.unicodeScalars)
        func lower(_ c: Unicode.Scalar) -> UInt32 {
            caseInsensitive && c.value >= 0x41 && c.value <= 0x5A ? c.value + 0x20 : c.value
        }
        var j = from
        while j + pattern.count <= scalars.count {
            var k = 0
            while k < pattern.count, lower(scalars[j + k]) == lower(pattern[k]) { k += 1 }
            if k == pattern.count { return j }
            j += 1
        }
        return nil
    }

    private static func hasAttribute(_ name: String, in tag: String) -> Bool {
        let parts = tag.lowercased().split { $0.isWhitespace || $0 == "/" }
        return parts.dropFirst().contains { $0 == name || $0.hasPrefix(name + "=") }
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "ensp": "\u{2002}",
        "emsp": "\u{2003}", "thinsp": "\u{2009}", "shy": "\u{00AD}", "zwnj": "\u{200C}", "zwj": "\u{200D}",
        "lrm": "\u{200E}", "rlm": "\u{200F}", "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘",
        "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "laquo": "«", "raquo": "»",
        "lsaquo": "‹", "rsaquo": "›", "middot": "·", "bull": "•", "deg": "°", "copy": "©", "reg": "®",
        "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "sect": "§", "para": "¶",
        "times": "×", "divide": "÷", "plusmn": "±", "minus": "−", "frac12": "½", "frac14": "¼", "frac34": "¾",
        "sup2": "²", "sup3": "³", "micro": "µ", "prime": "′", "Prime": "″", "larr": "←", "rarr": "→",
        "uarr": "↑", "darr": "↓", "harr": "↔", "le": "≤", "ge": "≥", "ne": "≠", "asymp": "≈", "infin": "∞",
        "iexcl": "¡", "iquest": "¿", "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã", "auml": "ä",
        "aring": "å", "aelig": "æ", "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê", "euml": "ë",
        "igrave": "ì", "iacute": "í", "icirc": "î", "iuml": "ï", "ntilde": "ñ", "ograve": "ò", "oacute": "ó",
        "ocirc": "ô", "otilde": "õ", "ouml": "ö", "oslash": "ø", "ugrave": "ù", "uacute": "ú", "ucirc": "û",
        "uuml": "ü", "yacute": "ý", "yuml": "ÿ", "szlig": "ß", "Agrave": "À", "Aacute": "Á", "Acirc": "Â",
        "Auml": "Ä", "Aring": "Å", "AElig": "Æ", "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê",
        "Ouml": "Ö", "Oslash": "Ø", "Uuml": "Ü", "Ntilde": "Ñ", "oelig": "œ", "OElig": "Œ",
    ]

    /// Decodes `&name;`, `&#NNN;` and `&#xHH;`; an unknown or malformed reference stays as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(32).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let name = after[..<semicolon]
            var replacement: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(scalarText)
            } else if name.hasPrefix("#") {
                replacement = UInt32(name.dropFirst()).flatMap(scalarText)
            } else {
                replacement = namedEntities[String(name)]
            }
            if let replacement {
                result += replacement
                rest = after[after.index(after: semicolon)...]
            } else {
                result += "&"
                rest = after
            }
        }
        result += rest
        return result
    }

    private static func scalarText(_ value: UInt32) -> String? {
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return String(Character(scalar))
    }
}
