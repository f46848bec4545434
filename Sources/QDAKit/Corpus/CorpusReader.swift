import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the documents under the paths a user names and reads them.
///
/// Folders are walked recursively in name order; hidden files and a folder's own
/// `README` are passed over (a README describes the folder, it is not data). A file
/// named explicitly is always read.
public struct CorpusReader: Sendable {
    /// File extensions `qda` reads, lower-cased.
    public static let supportedExtensions: Set<String> = ["txt", "md", "markdown", "text"]

    public init() {}

    /// A file to read and the name the project will know it by.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var name: String
        /// Size and modification time, so that an unchanged file need not be read again.
        public var size: Int = -1
        public var modified: Double = 0

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

    /// Lists the files to ingest under `paths`, in a stable order.
    ///
    /// - Throws: `QDAError.unreadable` for a path that does not exist,
    ///   `QDAError.unsupportedFileType` for a named file of another type.
    public func entries(for paths: [String]) throws -> [Entry] {
        let fileManager = FileManager.default
        var entries: [Entry] = []
        var seen: Set<String> = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw QDAError.unreadable(path: path, reason: "no such file or folder")
            }
            let url = URL(fileURLWithPath: path).standardizedFileURL
            if isDirectory.boolValue {
                let base = url.deletingLastPathComponent().path
                for file in try files(under: url) where !seen.contains(file) {
                    seen.insert(file)
                    entries.append(Entry(path: file, name: Self.relativeName(file, base: base)))
                }
            } else {
                guard Self.supportedExtensions.contains(url.pathExtension.lowercased()) else {
                    throw QDAError.unsupportedFileType(path: path)
                }
                if seen.insert(url.path).inserted {
                    entries.append(Entry(path: url.path, name: url.lastPathComponent))
                }
            }
        }
        return entries
    }

    private func files(under folder: URL) throws -> [String] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles, .skipsPackageDescendants])
        else {
            throw QDAError.unreadable(path: folder.path, reason: "the folder cannot be listed")
        }
        var result: [String] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            guard Self.supportedExtensions.contains(url.pathExtension.lowercased()) else { continue }
            if url.deletingPathExtension().lastPathComponent.uppercased() == "README" { continue }
            result.append(url.standardizedFileURL.path)
        }
        return result.sorted()
    }

    private static func relativeName(_ path: String, base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Reads one file: decodes it, parses its front matter, and hashes its bytes.
    public func read(_ entry: Entry) throws -> SourceDocument {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: entry.path))
        } catch {
            throw QDAError.unreadable(path: entry.path, reason: "permission denied or not a regular file")
        }
        let text = try TextDecoding.decode(data, path: entry.path)
        let frontMatter = try FrontMatter.parse(text, path: entry.path)
        var fields = frontMatter.fields
        var kind = DocumentKind.other
        if let value = fields.removeValue(forKey: "kind") {
            guard let parsed = DocumentKind(rawValue: value.lowercased()) else {
                throw QDAError.frontMatter(
                    path: entry.path, line: frontMatter.lines["kind"] ?? 1,
                    message: "kind '\(value)' is not one of "
                        + DocumentKind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            kind = parsed
        }
        func take(_ key: String) -> String? {
            guard let value = fields.removeValue(forKey: key)?.trimmingCharacters(in: .whitespaces),
                !value.isEmpty
            else { return nil }
            return value
        }
        return SourceDocument(
            name: entry.name, path: entry.path, text: frontMatter.body, kind: kind, region: take("region"),
            title: take("title"), date: take("date"), language: take("language"), attributes: fields,
            sha256: SHA256.hex(data))
    }
}
