package import Foundation
import ZIPFoundation

/// A file format `qda ingest` reads, chosen by the file's extension.
public enum DocumentFormat: String, Sendable, CaseIterable, Codable {
    case text
    case markdown
    case docx
    case odt
    case pdf
    case html
    case vtt
    case srt
    case csv
    case tsv
    case rtf
    /// A text source imported from a REFI-QDA project (`qda import`), never ingested.
    case qdpx

    /// The format of files with `pathExtension` (any case), or nil for one `qda` does not read.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "docx": self = .docx
        case "odt": self = .odt
        case "pdf": self = .pdf
        case "html", "htm", "xhtml": self = .html
        case "vtt": self = .vtt
        case "srt": self = .srt
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "rtf": self = .rtf
        default: return nil
        }
    }

    /// The extensions `qda` reads, as a list for messages.
    public static let supportedExtensionList =
        ".txt, .md, .docx, .odt, .pdf, .html/.htm, .vtt, .srt, .csv, .tsv, .rtf"

    /// Formats whose bytes are text in some encoding (the others say their own).
    var isEncodedText: Bool {
        switch self {
        case .text, .markdown, .html, .vtt, .srt, .csv, .tsv: return true
        case .docx, .odt, .pdf, .rtf, .qdpx: return false
        }
    }
}

/// What a format reader takes from one file (or one row of a spreadsheet).
package struct Extraction: Sendable {
    /// The document text, before hygiene and front matter.
    var text: String
    /// Scalar offsets into `text` at which pages 2, 3, ... begin (PDF); empty when the
    /// format has no pages.
    var pageBreaks: [Int] = []
    /// Segments the format fixes itself (subtitle turns, spreadsheet rows); nil when the
    /// text is to be segmented like a plain-text file. Offsets count scalars of `text`,
    /// which must then be clean already.
    var segments: [SegmentDraft]?
    /// Values found in the file's own metadata (title); front matter, manifest and
    /// command line take precedence.
    var metadata: [String: String] = [:]
    /// For one file holding many documents (rows of a spreadsheet): the suffix of this
    /// document's name and its own attributes.
    var nameSuffix: String?
    var attributes: [String: String] = [:]
    var encoding: TextEncoding?
    var encodingDetected = false
    /// Whether front matter at the top of the text is read (plain-text-like formats).
    var readsFrontMatter = true
    /// The kind a document of this format is unless told otherwise (subtitles: interview).
    var defaultKind: DocumentKind?
}

/// Collects paragraphs from a structured document (Word, OpenDocument, HTML, RTF) and
/// lays them out as text the segmenter reads like a plain-text file: one paragraph per
/// block, separated by blank lines, headings written as Markdown headings.
///
/// Tables become one paragraph per row with the cells separated by " | ", except rows
/// that look like a transcript (`timestamp | speaker | words` or `speaker | words`),
/// which are written as the turn line `[timestamp] Speaker: words`.
final class ParagraphBuilder {
    private(set) var paragraphs: [String] = []
    private(set) var notes: [String] = []
    private var stack: [(text: String, heading: Int)] = []
    private var rows: [(cells: [String], plain: Bool)] = []
    /// Open table cells: their paragraphs and the paragraph depth they opened at.
    private var cells: [(paragraphs: [String], depth: Int)] = []
    private var noteDepth = 0

    var isInParagraph: Bool { !stack.isEmpty }

    func beginParagraph(headingLevel: Int = 0) {
        stack.append(("", headingLevel))
    }

    /// Makes the open paragraph a heading of `level` (Word says so inside the paragraph).
    func markHeading(_ level: Int) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].heading = level
    }

    func append(_ text: String) {
        if stack.isEmpty { beginParagraph() }
        stack[stack.count - 1].text += text
    }

    func endParagraph() {
        guard let (text, heading) = stack.popLast() else { return }
        var line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { return }
        if heading > 0 {
            line = String(repeating: "#", count: min(heading, 6)) + " " + line.replacingOccurrences(of: "\n", with: " ")
        }
        if !cells.isEmpty {
            cells[cells.count - 1].paragraphs.append(line)
        } else if noteDepth > 0 {
            notes.append(line)
        } else {
            paragraphs.append(line)
        }
    }

    /// Notes (footnotes, endnotes) are kept apart and laid out after the body.
    func beginNote() {
        noteDepth += 1
        stack.append(("", 0))
    }

    func endNote() {
        // Text of the note outside any inner paragraph.
        endParagraph()
        noteDepth = max(0, noteDepth - 1)
    }

    func beginRow() { rows.append(([], false)) }

    /// The open row is a header: its cells are joined, never read as a transcript turn.
    func markRowPlain() {
        if !rows.isEmpty { rows[rows.count - 1].plain = true }
    }

    func beginCell() { cells.append(([], stack.count)) }

    func endCell() {
        guard let depth = cells.last?.depth else { return }
        while stack.count > depth { endParagraph() }
        let cell = cells.removeLast()
        let text = cell.paragraphs.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        if rows.isEmpty { rows.append(([], false)) }
        rows[rows.count - 1].cells.append(text)
    }

    func endRow() {
        guard let row = rows.popLast() else { return }
        let filled = row.cells.filter { !$0.isEmpty }
        guard !filled.isEmpty else { return }
        let line = (row.plain ? nil : Self.transcriptTurn(filled)) ?? filled.joined(separator: " | ")
        if !cells.isEmpty {
            cells[cells.count - 1].paragraphs.append(line)
        } else {
            paragraphs.append(line)
        }
    }

    /// `[ts] Speaker: words` for a row of (timestamp?, speaker, words).
    static func transcriptTurn(_ cells: [String]) -> String? {
        guard cells.count == 2 || cells.count == 3, let words = cells.last else { return nil }
        var timestamp: String?
        var speaker: String?
        for cell in cells.dropLast() {
            let trimmed = cell.trimmingCharacters(in: CharacterSet(charactersIn: "[]() "))
            if timestamp == nil, isTimestamp(trimmed) {
                timestamp = trimmed
            } else if speaker == nil, isSpeakerName(cell) {
                speaker = cell.hasSuffix(":") || cell.hasSuffix("：") ? String(cell.dropLast()) : cell
            } else {
                return nil
            }
        }
        guard let speaker else { return nil }
        return (timestamp.map { "[\($0)] " } ?? "") + speaker + ": " + words
    }

    static func isTimestamp(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
        }
    }

    static func isSpeakerName(_ text: String) -> Bool {
        var name = text
        if name.hasSuffix(":") || name.hasSuffix("：") { name.removeLast() }
        guard !name.isEmpty, name.count <= TurnLabel.maximumLabelLength else { return false }
        let line = name + ": x"
        return TurnLabel.parse(Array(line.utf8), 0, line.utf8.count)?.speaker == name
    }

    /// The document text: the paragraphs, then the notes under a "Notes" heading.
    func layout() -> String {
        while !stack.isEmpty { endParagraph() }
        var blocks = paragraphs
        if !notes.isEmpty {
            blocks.append("# Notes")
            blocks += notes
        }
        return blocks.joined(separator: "\n\n")
    }
}

/// Reads parts of a zip container (.docx, .odt, .qdpx) within bounds, so that a hostile
/// archive cannot exhaust memory: each part is at most `maximumPartSize` bytes
/// uncompressed and at most `maximumRatio` times its compressed size, all parts together
/// at most `maximumTotal`; archives with entries that climb out of their folder or are
/// symbolic links are refused when opened.
package struct ZipPackage {
    static let maximumPartSize: UInt64 = 256 << 20
    static let maximumRatio: UInt64 = 200
    static let maximumTotal: UInt64 = 2 << 30

    package let path: String
    package let format: String
    private let archive: Archive

    /// Opens an archive held in memory (files are opened with `init(path:format:)`).
    /// ZIPFoundation's in-memory reader traps on an archive whose directory points past
    /// its end (found by fuzzing), so the bytes go to a temporary file, read like any
    /// archive on disk and unlinked at once.
    package init(data: Data, path: String, format: String) throws {
        self.path = path
        self.format = format
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("qda-zip-\(UUID().uuidString)")
        do {
            try data.write(to: temporary)
        } catch {
            throw CorpusError.unreadable(
                path: path, reason: "a temporary copy cannot be written (\(error.localizedDescription))")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            archive = try Archive(url: temporary, accessMode: .read)
        } catch {
            throw CorpusError.malformedDocument(path: path, format: format, reason: "not a zip archive")
        }
        try checkEntries(maximumTotal: Self.maximumTotal)
    }

    /// Opens the archive at `path` without reading it whole.
    package init(path: String, format: String) throws {
        self.path = path
        self.format = format
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CorpusError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw CorpusError.malformedDocument(path: path, format: format, reason: "not a zip archive")
        }
        try checkEntries(maximumTotal: Self.maximumTotal)
    }

    /// The names of the archive's file entries, in archive order.
    package var fileNames: [String] { archive.filter { $0.type == .file }.map(\.path) }

    /// Refuses an archive that could write outside a folder it were unpacked into or
    /// unpack to more than `maximumTotal` bytes: an entry whose name is absolute or
    /// climbs out (`../`, `..\`, a drive letter), a symbolic link, or declared sizes
    /// summing past the bound. Each refusal names the entry.
    package func checkEntries(maximumTotal: UInt64) throws {
        var total: UInt64 = 0
        for entry in archive {
            let name = entry.path
            let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
            let absolute =
                name.hasPrefix("/") || name.hasPrefix("\\")
                || (name.count >= 2 && name.dropFirst().first == ":" && name.first?.isLetter == true)
            if absolute || parts.contains("..") {
                throw CorpusError.malformedDocument(
                    path: path, format: format,
                    reason: "the entry '\(name)' points outside the archive's folder (zip slip); refused")
            }
            if entry.type == .symlink {
                throw CorpusError.malformedDocument(
                    path: path, format: format, reason: "the entry '\(name)' is a symbolic link; refused")
            }
            total += entry.uncompressedSize
            if total > maximumTotal {
                throw CorpusError.malformedDocument(
                    path: path, format: format,
                    reason:
                        "the entries up to '\(name)' would unpack to more than \(maximumTotal >> 20) MiB; refused as a zip bomb"
                )
            }
        }
    }

    package func contains(_ part: String) -> Bool { archive[part] != nil }

    /// The bytes of one part, or nil when it is absent.
    package func read(_ part: String) throws -> Data? {
        guard let entry = archive[part] else { return nil }
        guard entry.type == .file else { return nil }
        let size = entry.uncompressedSize
        if size > Self.maximumPartSize
            || (size > 1 << 20 && size > Self.maximumRatio * max(entry.compressedSize, 1))
        {
            throw CorpusError.malformedDocument(
                path: path, format: format,
                reason:
                    "the part '\(part)' would unpack to \(size) bytes from \(entry.compressedSize); refused as a zip bomb"
            )
        }
        var data = Data()
        data.reserveCapacity(Int(size))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if UInt64(data.count) > size || UInt64(data.count) > Self.maximumPartSize {
                    throw CorpusError.malformedDocument(
                        path: path, format: format, reason: "the part '\(part)' unpacks to more than it declares")
                }
            }
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError.malformedDocument(
                path: path, format: format, reason: "the part '\(part)' is damaged (\(error.localizedDescription))")
        }
        return data
    }
}
