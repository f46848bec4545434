import Foundation
import QDAText

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the documents under the paths a user names and reads them.
///
/// Folders are walked recursively in name order; hidden files, a folder's own `README`
/// (it describes the folder, it is not data) and subfolders holding a `.qda-skip` file are
/// passed over. A file or folder named explicitly is always read.
public struct CorpusReader: Sendable {
    /// Whether `qda` reads files with this extension.
    public static func isSupported(_ pathExtension: String) -> Bool {
        DocumentFormat(pathExtension: pathExtension) != nil
    }

    /// Creates the value from its fields.
    public init() {}

    /// A file to read and the name the project will know it by.
    public struct Entry: Sendable, Equatable {
        /// The file's path.
        public var path: String
        /// The name the project will know the document by.
        public var name: String
        /// Size and modification time, so that an unchanged file need not be read again.
        public var size: Int = -1
        /// The file's modification time, in seconds since 1970.
        public var modified: Double = 0

        /// Creates the value from its fields.
        public init(path: String, name: String) {
            self.path = path
            self.name = name
            var info = stat()
            if stat(path, &info) == 0 {
                size = Int(info.st_size)
                modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            }
        }
    }

    /// A file inside a folder that is not read, and why (a file named explicitly is read
    /// or refused, never passed over).
    public struct PassedOver: Sendable, Equatable, CustomStringConvertible {
        /// Why a file was not read.
        public enum Reason: Sendable, Equatable {
            /// A type qda does not read (the extension, lower case, without the dot).
            case unsupportedType(String)
            /// A file without an extension.
            case noExtension
            /// A symbolic link, device or other entry that is not a regular file.
            case notARegularFile
            /// A subfolder that cannot be listed (its files are not known).
            case unlistableFolder
        }

        /// The file passed over.
        public var path: String
        /// Why it was passed over.
        public var reason: Reason

        /// "interview.doc: files of type '.doc' are not read".
        public var description: String { "\(path): \(because)" }

        /// Why, in a few words.
        public var because: String {
            switch reason {
            case .unsupportedType(let ext): return "files of type '.\(ext)' are not read"
            case .noExtension: return "no extension, so its type is unknown"
            case .notARegularFile: return "not a regular file (symbolic links are not followed)"
            case .unlistableFolder: return "the folder cannot be listed"
            }
        }

        /// "2 .doc, 1 no extension": the passed-over files counted by category, most first.
        public static func tally(_ files: [PassedOver]) -> String {
            var counts: [String: Int] = [:]
            for file in files { counts[file.category, default: 0] += 1 }
            return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }
                .joined(separator: ", ")
        }

        /// The kind of reason, for a summary that counts them ("3 .doc").
        public var category: String {
            switch reason {
            case .unsupportedType(let ext): return ".\(ext)"
            case .noExtension: return "no extension"
            case .notARegularFile: return "not a regular file"
            case .unlistableFolder: return "unlistable folder"
            }
        }
    }

    /// A file that keeps its folder out of a walk from a folder above: `qda ingest corpus/`
    /// passes over `corpus/gold/` when it holds `.qda-skip`; `qda ingest corpus/gold/dev`
    /// reads it.
    public static let skipMarker = ".qda-skip"

    /// Lists the files to ingest under `paths`, in a stable order.
    ///
    /// - Throws: `CorpusError.unreadable` for a path that does not exist,
    ///   `CorpusError.unsupportedFileType` for a named file of another type.
    public func entries(for paths: [String]) throws -> [Entry] {
        try scan(paths).entries
    }

    /// Lists the files to ingest under `paths`, in a stable order, and the files inside
    /// the folders among them that are not read (hidden files and a folder's README are
    /// passed over by design and not listed).
    ///
    /// - Throws: as `entries(for:)`.
    public func scan(_ paths: [String]) throws -> Scan {
        let fileManager = FileManager.default
        var passedOver: [PassedOver] = []
        var emptyFolders: [(folder: String, passedOver: [PassedOver])] = []
        var entries: [Entry] = []
        var seen: Set<String> = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CorpusError.unreadable(path: path, reason: "no such file or folder")
            }
            let url = URL(fileURLWithPath: path).standardizedFileURL
            if isDirectory.boolValue {
                let base = url.deletingLastPathComponent().path
                var inside: [PassedOver] = []
                let found = try files(under: url, passedOver: &inside)
                for index in inside.indices { inside[index].path = Self.relativeName(inside[index].path, base: base) }
                passedOver += inside
                if found.isEmpty { emptyFolders.append((path, inside)) }
                for file in found where !seen.contains(file) {
                    seen.insert(file)
                    entries.append(Entry(path: file, name: Self.relativeName(file, base: base)))
                }
            } else {
                guard Self.isSupported(url.pathExtension) else {
                    throw CorpusError.unsupportedFileType(path: path)
                }
                if seen.insert(url.path).inserted {
                    entries.append(Entry(path: url.path, name: url.lastPathComponent))
                }
            }
        }
        return Scan(entries: entries, passedOver: passedOver, emptyFolders: emptyFolders)
    }

    /// What `scan` found: the files to read, the files inside folders not read, and the
    /// folders named that hold no file to read (with what they hold).
    public struct Scan: Sendable {
        /// The files to read, in order.
        public var entries: [Entry]
        /// Files inside the folders that are not read, and why.
        public var passedOver: [PassedOver]
        /// Folders that held no file to read, with what was passed over in each.
        public var emptyFolders: [(folder: String, passedOver: [PassedOver])]
    }

    /// The supported regular files under `folder`, recursively, sorted by path. Hidden
    /// files and folders are passed over and symbolic links are not followed. `readdir`
    /// gives each entry's type without a `stat` per file (Foundation's enumerator costs
    /// about 0.1 ms per file, a third of a second for a corpus of 3,600 files).
    private func files(under folder: URL, passedOver: inout [PassedOver]) throws -> [String] {
        var result: [String] = []
        var pending = [folder.path]
        var first = true
        while let directory = pending.popLast() {
            guard let handle = opendir(directory) else {
                // A subfolder that cannot be listed is passed over as before; the named one is an error.
                if first { throw CorpusError.unreadable(path: folder.path, reason: "the folder cannot be listed") }
                passedOver.append(PassedOver(path: directory, reason: .unlistableFolder))
                continue
            }
            first = false
            defer { closedir(handle) }
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard !name.hasPrefix(".") else { continue }
                let path = prefix + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(path, &info) == 0 else { continue }
                    type =
                        (info.st_mode & S_IFMT) == S_IFDIR
                        ? UInt8(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0
                }
                if type == UInt8(DT_DIR) {
                    // A subfolder marked `.qda-skip` (a gold standard, drafts) is read only when named.
                    if access(path + "/" + Self.skipMarker, F_OK) == 0 { continue }
                    pending.append(path)
                } else if type == UInt8(DT_REG) {
                    let url = URL(fileURLWithPath: path, isDirectory: false)
                    if url.deletingPathExtension().lastPathComponent.uppercased() == "README" { continue }
                    guard Self.isSupported(url.pathExtension) else {
                        let ext = url.pathExtension.lowercased()
                        passedOver.append(
                            PassedOver(path: path, reason: ext.isEmpty ? .noExtension : .unsupportedType(ext)))
                        continue
                    }
                    result.append(path)
                } else {
                    passedOver.append(PassedOver(path: path, reason: .notARegularFile))
                }
            }
        }
        passedOver.sort { $0.path < $1.path }
        return result.sorted()
    }

    private static func relativeName(_ path: String, base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Reads one file: decodes or unpacks it by its format, parses its front matter and
    /// merges the metadata given outside it. A spreadsheet read one document per row
    /// gives several documents; every other file one.
    ///
    /// Metadata precedence, strongest first: the file's front matter, a spreadsheet row's
    /// attribute columns, the manifest, the command line (`options.defaults`), the file's
    /// own properties (a Word or HTML title).
    public func read(_ entry: Entry, options: IngestOptions = IngestOptions()) throws -> [SourceDocument] {
        guard let format = DocumentFormat(pathExtension: URL(fileURLWithPath: entry.path).pathExtension) else {
            throw CorpusError.unsupportedFileType(path: entry.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: entry.path))
        } catch {
            throw CorpusError.unreadable(path: entry.path, reason: "permission denied or not a regular file")
        }
        let manifestFields = options.manifest?.fields(for: entry.path) ?? [:]
        let encoding = manifestFields["encoding"].map { name -> TextEncoding? in TextEncoding(name: name) } ?? nil
        if let name = manifestFields["encoding"], encoding == nil {
            throw CorpusError.unknownEncoding(
                manifest: options.manifest?.path ?? "manifest", file: entry.path, name: name)
        }
        let chosenEncoding = encoding ?? options.encoding
        let extractions: [Extraction]
        switch format {
        case .text, .markdown:
            let decoded = try TextDecoder.decode(data, path: entry.path, encoding: chosenEncoding)
            var extraction = Self.pagedText(decoded.text)
            extraction.encoding = decoded.encoding
            extraction.encodingDetected = decoded.detected
            extractions = [extraction]
        case .docx: extractions = [try DocxReader.extract(ZipPackage(path: entry.path, format: DocxReader.format))]
        case .odt: extractions = [try OdtReader.extract(ZipPackage(path: entry.path, format: OdtReader.format))]
        case .pdf: extractions = [try PDFReader.extract(path: entry.path)]
        case .rtf: extractions = [try RTFReader.extract(data, path: entry.path)]
        case .qdpx: throw CorpusError.unsupportedFileType(path: entry.path)
        case .html: extractions = [try HTMLReader.extract(data, path: entry.path, encoding: chosenEncoding)]
        case .vtt, .srt:
            extractions = [try SubtitleReader.extract(data, path: entry.path, format: format, encoding: chosenEncoding)]
        case .csv, .tsv:
            extractions = try SpreadsheetReader.extract(
                data, path: entry.path, format: format, encoding: chosenEncoding, options: options.spreadsheet)
        }
        let fileHash = SHA256.hex(data)
        let signature = options.signature(for: entry, format: format)
        return try extractions.map { extraction in
            try document(
                from: extraction, entry: entry, format: format, fileHash: fileHash, manifestFields: manifestFields,
                options: options, signature: signature, single: extractions.count == 1 && extraction.nameSuffix == nil)
        }
    }

    /// A text file's pages: `pdftotext` ends every page with a form feed, which is kept as
    /// a page break (the hygiene would make it a blank line).
    static func pagedText(_ text: String) -> Extraction {
        // A byte scan: String.contains(Character) walks grapheme clusters, 10 MB of them.
        guard text.utf8.contains(0x0C) else { return Extraction(text: text) }
        var pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map {
            TextHygiene.clean(String($0))
        }
        while let last = pages.last, pages.count > 1, last.allSatisfy(\.isWhitespace) { pages.removeLast() }
        var extraction = Extraction(text: "")
        var length = 0
        for (index, page) in pages.enumerated() {
            if index > 0 {
                extraction.text += "\n\n"
                length += 2
                extraction.pageBreaks.append(length)
            }
            extraction.text += page
            length += TextHygiene.scalarCount(page)
        }
        return extraction
    }

    private func document(
        from extraction: Extraction, entry: Entry, format: DocumentFormat, fileHash: String,
        manifestFields: [String: String], options: IngestOptions, signature: String, single: Bool
    ) throws -> SourceDocument {
        var text = extraction.segments == nil ? TextHygiene.clean(extraction.text) : extraction.text
        var pageBreaks = extraction.pageBreaks
        var fieldLines: [String: Int] = [:]
        var fields = extraction.metadata
        fields.merge(options.defaults) { _, given in given }
        fields.merge(manifestFields.filter { $0.key != "encoding" && $0.key != "path" }) { _, listed in listed }
        fields.merge(extraction.attributes) { _, row in row }
        if extraction.readsFrontMatter && extraction.segments == nil {
            let frontMatter = try FrontMatter.parse(text, path: entry.path)
            if frontMatter.body.utf8.count != text.utf8.count {
                if !pageBreaks.isEmpty {
                    let removed = TextHygiene.scalarCount(text) - TextHygiene.scalarCount(frontMatter.body)
                    pageBreaks = pageBreaks.map { max(0, $0 - removed) }
                }
                text = frontMatter.body
            }
            fields.merge(frontMatter.fields) { _, own in own }
            fieldLines = frontMatter.lines
        }
        let name = extraction.nameSuffix.map { entry.name + "#" + $0 } ?? entry.name
        if extraction.segments == nil, text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw CorpusError.unreadable(
                path: entry.path,
                reason: format == .pdf ? "it holds no text; a scanned PDF needs OCR first" : "it holds no text")
        }
        var kind = extraction.defaultKind ?? .other
        let kindDeclared = extraction.defaultKind != nil || fields["kind"] != nil
        if let value = fields.removeValue(forKey: "kind") {
            guard let parsed = DocumentKind(rawValue: value.lowercased()) else {
                let message =
                    "kind '\(value)' is not one of " + DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")
                    + "."
                if let line = fieldLines["kind"] {
                    throw CorpusError.frontMatter(path: entry.path, line: line, message: message)
                }
                throw CorpusError.unknownKind(document: name, value: value)
            }
            kind = parsed
        }
        func take(_ key: String) -> String? {
            guard let value = fields.removeValue(forKey: key)?.trimmingCharacters(in: .whitespaces), !value.isEmpty
            else { return nil }
            return value
        }
        let sha256: String
        if single {
            sha256 = fileHash
        } else {
            // Rows of one file: hashed by name, text and attributes, so that two respondents
            // giving the same answer are two documents.
            let identity = ([name, text] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
                .joined(separator: "\u{0}")
            sha256 = SHA256.hex(Data(identity.utf8))
        }
        var document = SourceDocument(
            name: name, path: entry.path, text: text, kind: kind, region: take("region"), title: take("title"),
            date: take("date"), language: take("language"), attributes: fields, sha256: sha256, source: entry.name)
        document.format = format
        document.encoding = extraction.encoding
        document.encodingDetected = extraction.encodingDetected
        document.pageBreaks = format == .pdf || !pageBreaks.isEmpty ? pageBreaks : nil
        document.kindDeclared = kindDeclared
        document.premadeSegments = extraction.segments
        document.options = signature
        return document
    }
}
