public import Foundation

/// Why a file could not be read as documents: each case names the file and carries the
/// offending value as fields, so that a client words it in its own terms (the command
/// line names its flags; a server names its form fields). `description` is a complete
/// sentence that names no client's controls.
public enum CorpusError: Error, Equatable, Sendable {
    /// A file or folder does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file's extension is not one of `DocumentFormat`'s.
    case unsupportedFileType(path: String)
    /// The file cannot be decoded as text; `byteOffset` is the first offending byte.
    case invalidEncoding(path: String, byteOffset: Int, detail: String)
    /// A document in a container format (.docx, .odt, .pdf, .rtf, .csv, a manifest ...) is
    /// damaged or cannot be read; `reason` says what was wrong, with its line where it has one.
    case malformedDocument(path: String, format: String, reason: String)
    /// A program a format needs (`pdftotext`) is not installed; `package` is the Debian package.
    case missingTool(tool: String, package: String, path: String)
    /// The file's YAML front matter is malformed at `line`.
    case frontMatter(path: String, line: Int, message: String)
    /// A manifest names an encoding that is not one of `TextEncoding`'s for `file`.
    case unknownEncoding(manifest: String, file: String, name: String)
    /// A document's kind (from a manifest or a spreadsheet column) is not a `DocumentKind`.
    case unknownKind(document: String, value: String)
    /// The C library of this system cannot convert from `encoding`.
    case encodingUnavailable(encoding: String)
    /// A spreadsheet column named for `role` is not in the header row (`columns`).
    case noSuchColumn(path: String, role: SpreadsheetColumn, name: String, columns: [String])
    /// No column of a spreadsheet is headed text, response or answer, and none was named.
    case noTextColumn(path: String, columns: [String])
    /// A spreadsheet read as one document (rows are segments) gives an attribute column two
    /// values: `value` on `line`, `earlier` on `earlierLine`.
    case attributeVaries(path: String, line: Int, column: String, value: String, earlier: String, earlierLine: Int)
}

/// What a named spreadsheet column is for (`SpreadsheetOptions`).
public enum SpreadsheetColumn: String, Sendable {
    /// The column holding each row's text.
    case text
    /// The column naming each row.
    case id
    /// One of the columns kept as attributes.
    case attribute
}

extension CorpusError: LocalizedError, CustomStringConvertible {
    /// The description, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// "PATH: not a readable CSV file (REASON)."; a client rewording one of the
    /// spreadsheet cases keeps this frame.
    public static func csv(_ path: String, _ reason: String) -> String {
        CorpusError.malformedDocument(path: path, format: "CSV", reason: reason).description
    }

    /// 'a', 'b', 'c'
    public static func list(_ columns: [String]) -> String {
        columns.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// The problem as a sentence that names the file (or the key) and what is wrong, in no client's terms.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason))."
        case .unsupportedFileType(let path):
            let ext = (path as NSString).pathExtension
            let type = ext.isEmpty ? "files without an extension" : "files of type '.\(ext)'"
            return
                "\(path): \(type) cannot be ingested; supported: "
                + DocumentFormat.supportedExtensionList + ". Convert the file to one of these, or leave it out."
        case .invalidEncoding(let path, let offset, let detail):
            return
                "\(path): cannot be read as text at byte \(offset) (\(detail)). "
                + "Name the file's encoding (" + TextEncoding.acceptedNames + "), or save it as UTF-8."
        case .malformedDocument(let path, let format, let reason):
            return "\(path): not a readable \(format) file (\(reason))."
        case .missingTool(let tool, let package, let path):
            return
                "\(path): reading this file needs `\(tool)`, which is not installed. "
                + "Install it (on Debian or Ubuntu: `apt-get install \(package)`) and ingest again."
        case .frontMatter(let path, let line, let message):
            return "\(path):\(line): front matter: \(message)"
        case .unknownEncoding(let manifest, let file, let name):
            return "\(manifest): '\(name)' for \(file) is not an encoding; use one of " + TextEncoding.acceptedNames
                + "."
        case .unknownKind(let document, let value):
            return
                "\(document): kind '\(value)' is not one of "
                + DocumentKind.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .encodingUnavailable(let encoding):
            return "The C library cannot convert from \(encoding) on this system."
        case .noSuchColumn(let path, let role, let name, let columns):
            return Self.csv(
                path, "the \(role.rawValue) column '\(name)' is not a column; the columns are " + Self.list(columns))
        case .noTextColumn(let path, let columns):
            return Self.csv(
                path,
                "no column is headed text, response or answer; name the text column (columns: " + Self.list(columns)
                    + ")")
        case .attributeVaries(let path, let line, let column, let value, let earlier, let earlierLine):
            return Self.csv(
                path,
                "line \(line): column '\(column)' is '\(value)' but '\(earlier)' on line \(earlierLine); when rows are "
                    + "segments the file is one document, so attribute columns must hold one value (or be left out)")
        }
    }
}
