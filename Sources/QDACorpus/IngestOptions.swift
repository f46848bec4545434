import Foundation
import QDACodebook
import QDAText
import Yams

/// The unit a document is cut into for coding.
public enum SegmentUnit: String, Sendable, CaseIterable, Codable {
    /// Speaker turns in transcripts, paragraphs elsewhere (the default).
    case turn
    /// Paragraphs everywhere: a turn of several paragraphs becomes several segments, each
    /// keeping the speaker.
    case paragraph
    /// Sentences, each keeping its turn's speaker and timestamp.
    case sentence
}

/// How `ingest` reads files: encoding, unit, spreadsheet layout, and the metadata given
/// outside the files (manifest, command line).
public struct IngestOptions: Sendable {
    /// The encoding of text files; nil detects it (see `TextDecoder`).
    public var encoding: TextEncoding?
    /// The unit documents are cut into.
    public var unit: SegmentUnit = .turn
    /// Whether the unit was asked for (`--unit`), so that a document it does not fit is named.
    public var unitGiven = false
    /// How spreadsheets are read.
    public var spreadsheet = SpreadsheetOptions()
    /// Per-file metadata; overrides `defaults`, overridden by a file's own front matter.
    public var manifest: Manifest?
    /// Metadata for every file (`--region`, `--kind`, `--attr key=value`).
    public var defaults: [String: String] = [:]
    /// Stop at the first bad file and store nothing; otherwise bad files are skipped and reported.
    public var strict = false

    /// Creates the value from its fields.
    public init(
        encoding: TextEncoding? = nil, unit: SegmentUnit = .turn, spreadsheet: SpreadsheetOptions = .init(),
        manifest: Manifest? = nil, defaults: [String: String] = [:], strict: Bool = false
    ) {
        self.encoding = encoding
        self.unit = unit
        self.spreadsheet = spreadsheet
        self.manifest = manifest
        self.defaults = defaults
        self.strict = strict
    }

    /// What, besides the file's bytes, decides how a file is stored. Kept with each
    /// document: a file ingested again with other options is read again.
    package func signature(for entry: CorpusReader.Entry, format: DocumentFormat?) -> String {
        var parts = ["unit=" + unit.rawValue]
        if let encoding, format?.isEncodedText ?? true { parts.append("encoding=" + encoding.rawValue) }
        if format == .csv || format == .tsv { parts.append("rows=" + spreadsheet.signature) }
        var metadata = defaults
        if let fields = manifest?.fields(for: entry.path) {
            metadata.merge(fields) { _, manifest in manifest }
        }
        if !metadata.isEmpty {
            let text = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
            parts.append("metadata=" + String(SHA256.hex(Data(text.utf8)).prefix(16)))
        }
        return parts.joined(separator: ";")
    }
}

/// Metadata for files, given in a separate file: for folders where front matter is not
/// an option (Word files, PDFs, recordings' subtitles).
///
/// A CSV manifest has a header row with a `path` (or `file`) column and one column per
/// field (`region`, `kind`, `date`, `title`, `language`, `role`, any attribute). A YAML
/// manifest is a list of mappings with a `path` key, or a mapping from path to fields.
/// Paths are relative to the manifest's folder. Empty cells set nothing.
public struct Manifest: Sendable, Equatable {
    /// The manifest file.
    public var path: String
    /// Standardised absolute path → fields.
    public private(set) var entries: [String: [String: String]] = [:]
    /// The manifest line each file was listed on, for messages.
    public private(set) var lines: [String: Int] = [:]
    /// Files in the order the manifest lists them.
    public private(set) var order: [String] = []

    /// Reads a manifest (CSV with a `path` column, or YAML); every problem names its line.
    public static func load(_ path: String) throws -> Manifest {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CorpusError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        var manifest = Manifest(path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let text = TextHygiene.clean(try TextDecoder.decode(data, path: path).text)
        func add(_ file: String, _ fields: [String: String], line: Int) throws {
            let trimmed = file.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw CorpusError.malformedDocument(
                    path: path, format: "manifest", reason: "line \(line): no path given")
            }
            let resolved =
                (trimmed.hasPrefix("/") ? URL(fileURLWithPath: trimmed) : folder.appendingPathComponent(trimmed))
                .standardizedFileURL.path
            if let earlier = manifest.lines[resolved] {
                throw CorpusError.malformedDocument(
                    path: path, format: "manifest",
                    reason: "line \(line): '\(trimmed)' is listed on line \(earlier) too")
            }
            var clean: [String: String] = [:]
            for (key, value) in fields {
                let key = key.trimmingCharacters(in: .whitespaces).lowercased()
                let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if !key.isEmpty, !value.isEmpty { clean[key] = value }
            }
            manifest.entries[resolved] = clean
            manifest.lines[resolved] = line
            manifest.order.append(resolved)
        }
        switch ext {
        case "csv", "tsv":
            let records = try SpreadsheetReader.parse(
                text, delimiter: ext == "tsv" ? "\t" : SpreadsheetReader.guessDelimiter(text), path: path)
            guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
                let pathColumn = header.firstIndex(where: { $0 == "path" || $0 == "file" })
            else {
                throw CorpusError.malformedDocument(
                    path: path, format: "manifest", reason: "line 1: the header needs a 'path' column")
            }
            for record in records.dropFirst() {
                var fields: [String: String] = [:]
                for (index, name) in header.enumerated() where index != pathColumn && index < record.fields.count {
                    fields[name] = record.fields[index]
                }
                try add(pathColumn < record.fields.count ? record.fields[pathColumn] : "", fields, line: record.line)
            }
        case "yaml", "yml":
            let node: Node?
            do {
                node = try Yams.compose(yaml: text)
            } catch let error as YamlError {
                throw CorpusError.malformedDocument(
                    path: path, format: "manifest",
                    reason: "line \(YAMLSupport.line(of: error) ?? 1): \(YAMLSupport.problem(of: error))")
            }
            func fields(_ node: Node, line: Int) throws -> [String: String] {
                guard case .mapping(let mapping) = node else {
                    throw CorpusError.malformedDocument(
                        path: path, format: "manifest", reason: "line \(line): expected 'key: value' fields")
                }
                var result: [String: String] = [:]
                for (keyNode, value) in mapping {
                    guard let key = keyNode.scalar?.string else { continue }
                    switch value {
                    case .scalar(let scalar): result[key] = scalar.string
                    case .sequence(let items):
                        result[key] = items.compactMap { $0.scalar?.string }.joined(separator: "; ")
                    default:
                        throw CorpusError.malformedDocument(
                            path: path, format: "manifest",
                            reason: "line \(keyNode.mark?.line ?? 1): '\(key)' must be a single value or a list")
                    }
                }
                return result
            }
            switch node {
            case .sequence(let items):
                for item in items {
                    let line = item.mark?.line ?? 1
                    var values = try fields(item, line: line)
                    guard let file = values.removeValue(forKey: "path") ?? values.removeValue(forKey: "file") else {
                        throw CorpusError.malformedDocument(
                            path: path, format: "manifest", reason: "line \(line): an entry without 'path'")
                    }
                    try add(file, values, line: line)
                }
            case .mapping(let mapping):
                for (key, value) in mapping {
                    let line = key.mark?.line ?? 1
                    try add(key.scalar?.string ?? "", try fields(value, line: line), line: line)
                }
            case nil:
                break
            default:
                throw CorpusError.malformedDocument(
                    path: path, format: "manifest", reason: "line 1: expected a list of files or a mapping of paths")
            }
        default:
            throw CorpusError.malformedDocument(
                path: path, format: "manifest", reason: "a manifest is a .csv, .tsv, .yaml or .yml file")
        }
        return manifest
    }

    /// The fields for a file (its standardised absolute path), or nil when it is not listed.
    public func fields(for file: String) -> [String: String]? {
        entries[URL(fileURLWithPath: file).standardizedFileURL.path]
    }
}
