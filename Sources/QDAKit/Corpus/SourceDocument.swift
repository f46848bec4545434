import Foundation

/// What a document is, as the researcher declares it in front matter.
public enum DocumentKind: String, Codable, Sendable, CaseIterable {
    case interview
    case literature
    case statistics
    case other
}

/// A document read from disk, before it is segmented and stored.
public struct SourceDocument: Sendable, Equatable {
    /// The name the project knows the document by: its path relative to the folder
    /// that was ingested (or its file name when a single file was given).
    public var name: String
    /// The path the document was read from.
    public var path: String
    /// The text after the front matter, with line endings normalised to LF.
    public var text: String
    public var kind: DocumentKind
    public var region: String?
    public var title: String?
    public var date: String?
    public var language: String?
    /// Further front-matter fields, kept as document attributes.
    public var attributes: [String: String]
    /// SHA-256 of the file's bytes as read.
    public var sha256: String

    public init(
        name: String, path: String, text: String, kind: DocumentKind = .other, region: String? = nil,
        title: String? = nil, date: String? = nil, language: String? = nil,
        attributes: [String: String] = [:], sha256: String
    ) {
        self.name = name
        self.path = path
        self.text = text
        self.kind = kind
        self.region = region
        self.title = title
        self.date = date
        self.language = language
        self.attributes = attributes
        self.sha256 = sha256
    }
}
