import Foundation
import QDAText

/// Reads PDF files through poppler's `pdftotext` (Debian's `poppler-utils`), which gives
/// every page's text blocks in reading order with their lines and words.
///
/// The rule (docs/formats.md): a text block is a paragraph; the lines of a paragraph are
/// joined with a space, or with nothing between two Chinese/Japanese characters, and a
/// word broken by a hyphen at the end of a line is joined when the next line goes on in
/// lower case ("innova-" + "tion"); a line that opens a transcript turn ("R1: ...")
/// starts a new line. A block that is only a page number ("12", "- 12 -", "Page 3 of 9",
/// "第3页") at the top or bottom of a page is dropped, as is a header or footer line
/// repeated on most pages. A paragraph cut by a page break (no closing punctuation, the
/// next page going on in lower case) is joined up again. Each segment records the page
/// it starts on.
enum PDFReader {
    static let tool = "pdftotext"
    static let package = "poppler-utils"
    /// A PDF that takes longer than this to convert is given up on.
    static let timeout: TimeInterval = 300

    static func extract(path: String) throws -> Extraction {
        guard let executable = ExternalTool.find(tool) else {
            throw CorpusError.missingTool(tool: tool, package: package, path: path)
        }
        let output = try ExternalTool.run(
            executable, arguments: ["-bbox-layout", "-enc", "UTF-8", path, "-"], timeout: timeout)
        guard output.status == 0 else {
            let message =
                String(decoding: output.standardError, as: UTF8.self)
                .split(separator: "\n").first.map(String.init) ?? "pdftotext failed"
            throw CorpusError.malformedDocument(
                path: path, format: "PDF", reason: message.replacingOccurrences(of: "Syntax Error: ", with: ""))
        }
        let pages = parseLayout(String(decoding: output.standardOutput, as: UTF8.self))
        return layout(pages: removeRunningLines(pages))
    }

    /// A line of a page: its words and its left and right edge.
    struct Line: Equatable {
        var words: [String]
        var xMin: Double
        var xMax: Double
    }

    /// A page as a list of blocks, each a list of lines.
    typealias Page = [[Line]]

    /// Parses the XHTML `pdftotext -bbox-layout` writes. It is the tool's own output, read
    /// with a small scanner (the file carries a DOCTYPE the XML reader here refuses).
    static func parseLayout(_ xhtml: String) -> [Page] {
        var pages: [Page] = []
        var scanner = Substring(xhtml)
        while let open = scanner.range(of: "<") {
            scanner = scanner[open.upperBound...]
            guard let close = scanner.range(of: ">") else { break }
            let tag = scanner[..<close.lowerBound]
            scanner = scanner[close.upperBound...]
            let name = tag.prefix { $0 != " " && $0 != "/" && $0 != ">" }
            switch name {
            case "page": pages.append([])
            case "block": if !pages.isEmpty { pages[pages.count - 1].append([]) }
            case "line":
                if !pages.isEmpty, !pages[pages.count - 1].isEmpty {
                    let line = Line(
                        words: [], xMin: number("xMin", in: tag) ?? 0, xMax: number("xMax", in: tag) ?? 0)
                    pages[pages.count - 1][pages[pages.count - 1].count - 1].append(line)
                }
            case "word":
                guard let end = scanner.range(of: "</word>") else { break }
                let word = unescape(scanner[..<end.lowerBound])
                scanner = scanner[end.upperBound...]
                if !pages.isEmpty, let lastBlock = pages[pages.count - 1].indices.last,
                    let lastLine = pages[pages.count - 1][lastBlock].indices.last
                {
                    pages[pages.count - 1][lastBlock][lastLine].words.append(word)
                }
            default: break
            }
        }
        return pages
    }

    /// The value of a numeric attribute of a tag (`xMin="56.8"`).
    static func number(_ name: String, in tag: Substring) -> Double? {
        guard let range = tag.range(of: name + "=\"") else { return nil }
        let rest = tag[range.upperBound...]
        return rest.firstIndex(of: "\"").flatMap { Double(rest[..<$0]) }
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return String(text).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A character of text written without spaces between words: CJK, and the full-width
    /// forms Chinese punctuation uses (，：（）).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        ScriptClass.isCJK(scalar) || (0xFF01...0xFF5E).contains(scalar.value)
    }

    /// Words of a line joined: with a space, or nothing between two CJK characters.
    static func join(_ words: [String]) -> String {
        var line = ""
        for word in words {
            if let last = line.unicodeScalars.last, let first = word.unicodeScalars.first,
                !(isWide(last) && isWide(first))
            {
                line += " "
            }
            line += word
        }
        return line
    }

    static func isPageNumber(_ text: String) -> Bool {
        var t = text.lowercased().trimmingCharacters(in: .whitespaces)
        for wrapper in ["-", "–", "—", "[", "]", "(", ")", "|"] {
            t = t.replacingOccurrences(of: wrapper, with: "")
        }
        t = t.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("page ") { t = String(t.dropFirst(5)) }
        if t.hasPrefix("第") && t.hasSuffix("页") { t = String(t.dropFirst().dropLast()) }
        if let of = t.range(of: " of ") ?? t.range(of: "/") { t = String(t[..<of.lowerBound]) }
        t = t.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count <= 4 else { return false }
        return t.allSatisfy { $0.isASCII && $0.isNumber } || isRoman(t)
    }

    private static func isRoman(_ text: String) -> Bool {
        text.count <= 5 && text.allSatisfy { "ivxlc".contains($0) }
    }

    /// Drops page numbers in the first or last line of each page, and a header or footer
    /// line (digits aside) that recurs at the top or bottom of at least half of three or
    /// more pages. pdftotext may put such a line in one block with the text next to it,
    /// so lines are looked at, not blocks.
    static func removeRunningLines(_ pages: [Page]) -> [Page] {
        func key(_ line: Line) -> String {
            join(line.words).filter { !$0.isNumber }.trimmingCharacters(in: .whitespaces)
        }
        var counts: [String: Int] = [:]
        for page in pages {
            var keys: Set<String> = []
            if let first = page.first?.first { keys.insert(key(first)) }
            if let last = page.last?.last { keys.insert(key(last)) }
            for k in keys where !k.isEmpty { counts[k, default: 0] += 1 }
        }
        let repeated = pages.count >= 3 ? Set(counts.filter { $0.value * 2 >= pages.count }.keys) : []
        func isRunning(_ line: Line) -> Bool {
            isPageNumber(join(line.words)) || repeated.contains(key(line))
        }
        var result: [Page] = pages.map { page in
            var page = page.filter { !$0.isEmpty }
            // A header and a page number may both be there: look twice at each end.
            for _ in 0..<2 {
                if let first = page.first?.first, isRunning(first) {
                    page[0].removeFirst()
                    if page[0].isEmpty { page.removeFirst() }
                }
                if let last = page.last?.last, isRunning(last) {
                    page[page.count - 1].removeLast()
                    if page[page.count - 1].isEmpty { page.removeLast() }
                }
            }
            return page
        }
        // A header on alternate pages only recurs too rarely to be found by repetition: a
        // short first line of a page that stands inside a paragraph is one (the page before
        // ends mid-sentence, the next line goes on in lower case or Chinese).
        let width = pages.flatMap { $0.flatMap { $0 } }.map { $0.xMax - $0.xMin }.max() ?? 0
        for index in result.indices.dropFirst() {
            guard let previous = result[index - 1].last?.last, let first = result[index].first?.first,
                !endsParagraph(join(previous.words)), !endsParagraph(join(first.words)),
                (first.xMax - first.xMin) * 10 < width * 7
            else { continue }
            let next = result[index].first!.count > 1 ? result[index][0][1] : result[index].dropFirst().first?.first
            guard let next, let opening = join(next.words).unicodeScalars.first,
                opening.properties.isLowercase || isWide(opening)
            else { continue }
            result[index][0].removeFirst()
            if result[index][0].isEmpty { result[index].removeFirst() }
        }
        return result
    }

    /// A block's lines joined into one paragraph (see the type's rule). `words` are the
    /// words the document writes, the evidence for keeping the hyphen of a compound broken
    /// at a line end (`ProseRepair.keepsHyphen`).
    static func paragraph(_ lines: [String], words: Set<String> = []) -> String {
        var text = ""
        for line in lines {
            let line = line.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            guard let last = text.unicodeScalars.last, let first = line.unicodeScalars.first else {
                text = line
                continue
            }
            let lineBytes = Array(line.utf8)
            if TurnLabel.parse(lineBytes, 0, lineBytes.count) != nil {
                text += "\n" + line
            } else if last == "-", text.unicodeScalars.count >= 2,
                text.unicodeScalars.dropLast().last?.properties.isAlphabetic == true, first.properties.isAlphabetic
            {
                let left = String(
                    String.UnicodeScalarView(
                        text.unicodeScalars.dropLast().reversed().prefix { $0.properties.isAlphabetic }.reversed()))
                let right = String(line.prefix { $0.isLetter })
                let keep = ProseRepair.keepsHyphen(
                    left, right, firstIsUpper: first.properties.isUppercase, words: words)
                if !keep { text.removeLast() }
                text += line
            } else if isWide(last) && isWide(first) {
                text += line
            } else {
                text += " " + line
            }
        }
        return text
    }

    static func endsParagraph(_ text: String) -> Bool {
        guard let last = text.unicodeScalars.last else { return true }
        return ".!?:;\"'”’)]。！？；：」』）".unicodeScalars.contains(last)
    }

    /// A block's lines cut into paragraphs: a block may hold several when the document
    /// puts no space between them. A line that ends a sentence well short of the block's
    /// right edge ends a paragraph, and a caption, source or keyword line opens one. A
    /// narrow block of short lines that end no sentence (a table's column, a figure's
    /// labels; every line under two-fifths of the page's width) keeps its lines, one a line.
    static func paragraphs(of block: [Line], pageWidth: Double = 0, words: Set<String> = []) -> [String] {
        // A caption, source or keyword line opens a part of its own.
        var parts: [[Line]] = []
        for line in block {
            let text = Substring(join(line.words))
            let marked =
                ProseMarkers.isFigureCaption(text) || ProseMarkers.isTableCaption(text)
                || ProseMarkers.isSourceLine(text) || ProseMarkers.isKeywordLine(text)
            if marked || parts.isEmpty { parts.append([]) }
            parts[parts.count - 1].append(line)
        }
        return parts.flatMap { paragraphs(ofPart: $0, pageWidth: pageWidth, words: words) }
    }

    private static func paragraphs(ofPart block: [Line], pageWidth: Double, words: Set<String>) -> [String] {
        guard let right = block.map(\.xMax).max(), let left = block.map(\.xMin).min() else { return [] }
        let texts = block.map { join($0.words) }
        let widest = block.map { $0.xMax - $0.xMin }.max() ?? 0
        if block.count >= 2, pageWidth > 0, widest * 10 < pageWidth * 4,
            !texts.contains(where: { ProseRepair.endsSentence(Substring($0)) })
        {
            let cells = texts.map { TextHygiene.clean($0) }.filter { !$0.isEmpty }
            return cells.isEmpty ? [] : [cells.joined(separator: "\n")]
        }
        let slack = (right - left) * 0.12
        var result: [String] = []
        var current: [String] = []
        for (index, line) in block.enumerated() {
            let text = texts[index]
            current.append(text)
            let isLast = index == block.count - 1
            if isLast || (line.xMax < right - slack && endsParagraph(text)) {
                let paragraph = TextHygiene.clean(Self.paragraph(current, words: words))
                if !paragraph.isEmpty { result.append(paragraph) }
                current = []
            }
        }
        return result
    }

    static func layout(pages: [Page]) -> Extraction {
        var text = ""
        var pageBreaks: [Int] = []
        var length = 0
        func add(_ piece: String) {
            text += piece
            length += piece.unicodeScalars.count
        }
        // Each block's lines are a run: a word is not broken across blocks.
        let words = ProseRepair.documentWords(pages.flatMap { $0.map { $0.map { Substring(join($0.words)) } } })
        for (index, page) in pages.enumerated() {
            let lines = page.flatMap { $0 }
            let pageWidth = (lines.map(\.xMax).max() ?? 0) - (lines.map(\.xMin).min() ?? 0)
            let paragraphs = page.flatMap { Self.paragraphs(of: $0, pageWidth: pageWidth, words: words) }
            if index > 0 { pageBreaks.append(length) }
            for (n, paragraph) in paragraphs.enumerated() {
                if text.isEmpty {
                    add(paragraph)
                } else if n == 0, !endsParagraph(text),
                    let first = paragraph.unicodeScalars.first,
                    first.properties.isLowercase || isWide(first)
                {
                    // The paragraph goes on from the previous page; its segment starts there.
                    pageBreaks[pageBreaks.count - 1] = length + (isWide(first) ? 0 : 1)
                    add(isWide(first) ? paragraph : " " + paragraph)
                } else {
                    add("\n\n" + paragraph)
                }
            }
        }
        var extraction = Extraction(text: text)
        extraction.pageBreaks = pageBreaks
        // A rule line at the top of a page is not YAML.
        extraction.readsFrontMatter = false
        return extraction
    }
}

/// Runs an external program and collects its output, with a time bound.
enum ExternalTool {
    struct Output {
        var status: Int32
        var standardOutput: Data
        var standardError: Data
    }

    /// The program's path on `PATH`, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ executable: String, arguments: [String], timeout: TimeInterval) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: .now() + timeout)
        timer.setEventHandler { if process.isRunning { process.terminate() } }
        timer.resume()
        defer { timer.cancel() }
        // Standard error is drained on another thread so that neither pipe fills up.
        let errorData = ErrorCollector()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? -1 : process.terminationStatus
        return Output(status: status, standardOutput: data, standardError: errorData.get())
    }

    private final class ErrorCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ value: Data) { lock.withLock { data = value } }
        func get() -> Data { lock.withLock { data } }
    }
}
