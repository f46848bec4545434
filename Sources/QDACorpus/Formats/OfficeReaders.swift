package import Foundation
import QDAText

#if canImport(FoundationXML)
    package import FoundationXML
#endif

/// Streams the elements of an XML part to a handler, with namespaces resolved (element
/// names are local names). XML with a document type declaration is refused before it is
/// parsed: office formats never carry one, and a DTD is how entity expansion attacks
/// ("billion laughs") and external entities get in.
package final class XMLEvents: NSObject, XMLParserDelegate {
    package typealias Start = (_ name: String, _ attributes: [String: String]) -> Void
    package typealias End = (_ name: String) -> Void
    package typealias Text = (_ text: String) -> Void

    private let start: Start
    private let end: End
    private let text: Text
    /// Elements opened and not yet closed: a document that ends with some open is cut off
    /// (the parser on Linux does not always say so).
    private var open: [String] = []

    private init(start: @escaping Start, end: @escaping End, text: @escaping Text) {
        self.start = start
        self.end = end
        self.text = text
    }

    package static func parse(
        _ data: Data, part: String, path: String, format: String, start: @escaping Start, end: @escaping End,
        text: @escaping Text
    ) throws {
        if hasDoctype(data) {
            throw CorpusError.malformedDocument(
                path: path, format: format,
                reason: "the part '\(part)' declares a DTD, which is refused (entity expansion is not allowed)")
        }
        // Foundation's parser on Linux traps on names that are not UTF-8 (found by
        // fuzzing): text declared UTF-8, or declaring nothing, must be UTF-8 throughout.
        if declaresUTF8(data), String(validating: data, as: UTF8.self) == nil,
            let offset = UTF8Text.firstInvalidByte([UInt8](data))
        {
            throw CorpusError.malformedDocument(
                path: path, format: format, reason: "the part '\(part)' is not valid UTF-8 at byte \(offset)")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let events = XMLEvents(start: start, end: end, text: text)
        parser.delegate = events
        if !parser.parse() {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML"
            throw CorpusError.malformedDocument(
                path: path, format: format,
                reason: "the part '\(part)' is not well-formed XML at line \(parser.lineNumber) (\(reason))")
        }
        if let unclosed = events.open.last {
            throw CorpusError.malformedDocument(
                path: path, format: format,
                reason: "the part '\(part)' is not well-formed XML (it ends before its \(unclosed) element is closed)")
        }
    }

    /// The text of the first element named `element` (local name), trimmed; nil if empty.
    package static func text(of element: String, in data: Data, part: String, path: String, format: String) throws
        -> String?
    {
        var depth = 0
        var found = false
        var result = ""
        try parse(
            data, part: part, path: path, format: format,
            start: { name, _ in
                if depth > 0 {
                    depth += 1
                } else if name == element && !found {
                    depth = 1
                }
            },
            end: { _ in
                if depth > 0 {
                    depth -= 1
                    if depth == 0 { found = true }
                }
            },
            text: { if depth > 0 { result += $0 } })
        let trimmed = result.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Whether the XML is UTF-8 by its declaration (or lack of one) and has no UTF-16
    /// byte-order mark.
    static func declaresUTF8(_ data: Data) -> Bool {
        let head = [UInt8](data.prefix(200))
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return false }
        guard head.starts(with: Array("<?xml".utf8)) || head.starts(with: [0xEF, 0xBB, 0xBF, 0x3C, 0x3F]),
            let end = head.firstIndex(of: 0x3E)
        else { return true }
        let declaration = String(decoding: head[..<end], as: UTF8.self).lowercased()
        guard let range = declaration.range(of: "encoding") else { return true }
        let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return value.hasPrefix("utf-8") || value.hasPrefix("utf8")
    }

    static func hasDoctype(_ data: Data) -> Bool {
        let marker = Array("<!DOCTYPE".utf8)
        let bytes = [UInt8](data.prefix(1 << 16))
        guard bytes.count >= marker.count else { return false }
        for i in 0...(bytes.count - marker.count) where bytes[i] == 0x3C && bytes[i + 1] == 0x21 {
            if zip(bytes[i..<(i + marker.count)], marker).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) { return true }
        }
        return false
    }

    package func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        // Attribute names keep their prefix ("w:val"); callers look at the local part.
        var attributes: [String: String] = [:]
        for (key, value) in attributeDict {
            let local = key.split(separator: ":").last.map(String.init) ?? key
            attributes[local] = value
        }
        open.append(elementName)
        start(elementName, attributes)
    }

    package func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        if !open.isEmpty { open.removeLast() }
        end(elementName)
    }

    package func parser(_ parser: XMLParser, foundCharacters string: String) {
        text(string)
    }
}

/// Reads Word `.docx` files (Office Open XML).
///
/// The rule (docs/formats.md): body paragraphs in document order; a heading style becomes
/// a Markdown heading; tables one paragraph per row (see `ParagraphBuilder`); tracked
/// changes resolved to the accepted text (insertions kept, deletions dropped); footnotes
/// and endnotes kept apart, after the body under a "Notes" heading; comments, field codes
/// and the fallback copies of text boxes dropped. The title comes from the document
/// properties.
package enum DocxReader {
    package static let format = "Word (.docx)"

    /// Reads the document in `package` (opened from the file, or from bytes).
    package static func extract(_ package: ZipPackage) throws -> Extraction {
        let path = package.path
        let main = try mainPart(package)
        guard let document = try package.read(main) else {
            throw CorpusError.malformedDocument(
                path: path, format: format, reason: "it has no document part (\(main))")
        }
        let folder = (main as NSString).deletingLastPathComponent
        let headings = try headingStyles(package, folder: folder)
        let builder = ParagraphBuilder()
        try walk(document, part: main, path: path, headings: headings, builder: builder, notes: false)
        for notesPart in ["footnotes.xml", "endnotes.xml"] {
            let part = folder.isEmpty ? notesPart : folder + "/" + notesPart
            if let notes = try package.read(part) {
                try walk(notes, part: part, path: path, headings: headings, builder: builder, notes: true)
            }
        }
        var extraction = Extraction(text: builder.layout())
        if let core = try package.read("docProps/core.xml"),
            let title = try XMLEvents.text(
                of: "title", in: core, part: "docProps/core.xml", path: path, format: package.format)
        {
            extraction.metadata["title"] = title
        }
        return extraction
    }

    /// The main document part named by the package relationships, or the usual name.
    private static func mainPart(_ package: ZipPackage) throws -> String {
        if let rels = try package.read("_rels/.rels") {
            var target: String?
            try XMLEvents.parse(
                rels, part: "_rels/.rels", path: package.path, format: package.format,
                start: { name, attributes in
                    if name == "Relationship", attributes["Type"]?.hasSuffix("/officeDocument") == true {
                        target = attributes["Target"]
                    }
                }, end: { _ in }, text: { _ in })
            if let target {
                let trimmed = target.hasPrefix("/") ? String(target.dropFirst()) : target
                if package.contains(trimmed) { return trimmed }
            }
        }
        return "word/document.xml"
    }

    /// Style id → heading level, from each style's outline level or its name ("heading 2", "Title").
    private static func headingStyles(_ package: ZipPackage, folder: String) throws -> [String: Int] {
        let part = (folder.isEmpty ? "" : folder + "/") + "styles.xml"
        guard let styles = try package.read(part) else { return [:] }
        var result: [String: Int] = [:]
        var current: String?
        var inStyle = false
        try XMLEvents.parse(
            styles, part: part, path: package.path, format: package.format,
            start: { name, attributes in
                switch name {
                case "style":
                    current = attributes["styleId"]
                    inStyle = true
                case "name" where inStyle:
                    guard let id = current, let styleName = attributes["val"]?.lowercased() else { return }
                    if styleName == "title" {
                        result[id] = result[id] ?? 1
                    } else if styleName.hasPrefix("heading "), let level = Int(styleName.dropFirst(8)) {
                        result[id] = level
                    }
                case "outlineLvl" where inStyle:
                    if let id = current, let level = attributes["val"].flatMap(Int.init), level < 9 {
                        result[id] = level + 1
                    }
                default: break
                }
            },
            end: { name in if name == "style" { inStyle = false } }, text: { _ in })
        return result
    }

    private static func walk(
        _ data: Data, part: String, path: String, headings: [String: Int], builder: ParagraphBuilder, notes: Bool
    ) throws {
        var skipDepth = 0
        var inText = false
        var paragraphHeading = 0
        var paragraphOpen = false
        var noteOpen = false
        // Elements whose content is not the accepted, visible text.
        let skipped: Set<String> = [
            "del", "moveFrom", "instrText", "delText", "Fallback", "commentReference", "annotationRef",
        ]
        try XMLEvents.parse(
            data, part: part, path: path, format: format,
            start: { name, attributes in
                if skipDepth > 0 || skipped.contains(name) {
                    skipDepth += 1
                    return
                }
                switch name {
                case "footnote", "endnote":
                    // Separators have a type; real notes have none (or "normal").
                    if let type = attributes["type"], type != "normal" {
                        skipDepth += 1
                    } else if notes {
                        builder.beginNote()
                        noteOpen = true
                    }
                case "p":
                    builder.beginParagraph()
                    paragraphOpen = true
                    paragraphHeading = 0
                case "pStyle":
                    if paragraphOpen, let id = attributes["val"], let level = headings[id] { paragraphHeading = level }
                case "outlineLvl":
                    if paragraphOpen, let level = attributes["val"].flatMap(Int.init), level < 9 {
                        paragraphHeading = level + 1
                    }
                case "t":
                    inText = true
                case "tab":
                    if paragraphOpen { builder.append("\t") }
                case "br", "cr":
                    if paragraphOpen { builder.append("\n") }
                case "noBreakHyphen":
                    builder.append("-")
                case "tr":
                    builder.beginRow()
                case "tc":
                    builder.beginCell()
                default:
                    break
                }
            },
            end: { name in
                if skipDepth > 0 {
                    skipDepth -= 1
                    return
                }
                switch name {
                case "t":
                    inText = false
                case "pPr":
                    if paragraphHeading > 0 {
                        // The heading level is known once the paragraph's properties end.
                        builder.markHeading(paragraphHeading)
                    }
                case "p":
                    builder.endParagraph()
                    paragraphOpen = false
                case "tc":
                    builder.endCell()
                case "tr":
                    builder.endRow()
                case "footnote", "endnote":
                    if noteOpen {
                        builder.endNote()
                        noteOpen = false
                    }
                default:
                    break
                }
            },
            text: { text in
                if inText && skipDepth == 0 { builder.append(text) }
            })
    }
}

/// Reads OpenDocument text `.odt` files.
///
/// The same rule as for Word: paragraphs and headings (`text:h` with its outline level)
/// in order, tables one paragraph per row, footnotes and endnotes after the body, tracked
/// changes resolved to the accepted text (the deleted text kept in `text:tracked-changes`
/// is dropped), annotations (comments) dropped.
package enum OdtReader {
    package static let format = "OpenDocument (.odt)"

    /// Reads the document in `package` (opened from the file, or from bytes).
    package static func extract(_ package: ZipPackage) throws -> Extraction {
        let path = package.path
        guard let content = try package.read("content.xml") else {
            throw CorpusError.malformedDocument(path: path, format: format, reason: "it has no content.xml")
        }
        let builder = ParagraphBuilder()
        var skipDepth = 0
        var inBody = false
        let skipped: Set<String> = [
            "tracked-changes", "annotation", "note-citation", "sequence-decls", "forms", "title", "desc",
            "covered-table-cell",
        ]
        try XMLEvents.parse(
            content, part: "content.xml", path: path, format: format,
            start: { name, attributes in
                if name == "body" { inBody = true }
                guard inBody else { return }
                if skipDepth > 0 || skipped.contains(name) {
                    skipDepth += 1
                    return
                }
                switch name {
                case "p":
                    builder.beginParagraph()
                case "h":
                    builder.beginParagraph(headingLevel: attributes["outline-level"].flatMap(Int.init) ?? 1)
                case "s":
                    builder.append(String(repeating: " ", count: attributes["c"].flatMap(Int.init) ?? 1))
                case "tab":
                    builder.append("\t")
                case "line-break":
                    builder.append("\n")
                case "note-body":
                    builder.beginNote()
                case "table-row":
                    builder.beginRow()
                case "table-cell":
                    builder.beginCell()
                default:
                    break
                }
            },
            end: { name in
                guard inBody else { return }
                if skipDepth > 0 {
                    skipDepth -= 1
                    return
                }
                switch name {
                case "p", "h": builder.endParagraph()
                case "note-body": builder.endNote()
                case "table-cell": builder.endCell()
                case "table-row": builder.endRow()
                case "body": inBody = false
                default: break
                }
            },
            text: { text in
                if inBody && skipDepth == 0 && builder.isInParagraph { builder.append(text) }
            })
        var extraction = Extraction(text: builder.layout())
        if let meta = try package.read("meta.xml"),
            let title = try XMLEvents.text(of: "title", in: meta, part: "meta.xml", path: path, format: format)
        {
            extraction.metadata["title"] = title
        }
        return extraction
    }
}
