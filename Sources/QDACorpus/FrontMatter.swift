import Foundation
import QDACodebook
import Yams

/// YAML front matter at the top of a text file, between two `---` lines.
///
/// `region`, `kind`, `date`, `title` and `language` have a meaning of their own; every
/// other field is kept as a document attribute. Values must be scalars (or lists of
/// scalars, joined with "; ").
package struct FrontMatter: Equatable {
    var fields: [String: String] = [:]
    /// The file line each field was written on (1-based, counting the opening `---`).
    var lines: [String: Int] = [:]
    /// The text after the closing delimiter.
    var body: String

    /// Splits `text` into front matter and body. Text without an opening `---` line has
    /// no front matter and is all body.
    /// Fields with a meaning of their own take a single value.
    static let singleValued: Set<String> = ["region", "kind", "date", "title", "language"]

    package static func parse(_ text: String, path: String) throws -> FrontMatter {
        // Only the lines up to the closing delimiter are split; the body is one slice.
        let utf8 = text.utf8
        func line(from start: String.Index) -> (text: Substring, next: String.Index?) {
            guard let newline = utf8[start...].firstIndex(of: 0x0A) else { return (text[start...], nil) }
            return (text[start..<newline], utf8.index(after: newline))
        }
        // A delimiter line is short: a long line is never trimmed (Foundation trims through
        // UTF-16, which made a one-line file of 50 MB take seconds here).
        func isDelimiter(_ line: Substring, _ marks: [String]) -> Bool {
            line.utf8.count <= 64 && marks.contains(line.trimmingCharacters(in: .whitespaces))
        }
        let (first, afterFirst) = line(from: text.startIndex)
        guard isDelimiter(first, ["---"]) else { return FrontMatter(body: text) }
        var yamlLines: [Substring] = []
        var cursor = afterFirst
        var body: String?
        while let start = cursor {
            let (current, next) = line(from: start)
            if isDelimiter(current, ["---", "..."]) {
                body = next.map { String(text[$0...]) } ?? ""
                break
            }
            yamlLines.append(current)
            cursor = next
        }
        guard let body else {
            throw CorpusError.frontMatter(
                path: path, line: 1, message: "the opening '---' has no closing '---' line.")
        }
        let yaml = yamlLines.joined(separator: "\n")
        var result = FrontMatter(body: body)

        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw CorpusError.frontMatter(
                path: path, line: YAMLSupport.line(of: error).map { $0 + 1 } ?? 2,
                message: YAMLSupport.problem(of: error))
        }
        guard let node else { return result }
        guard case .mapping(let mapping) = node else {
            throw CorpusError.frontMatter(
                path: path, line: 2, message: "expected 'key: value' lines, found \(YAMLSupport.kindName(node)).")
        }
        for (keyNode, valueNode) in mapping {
            let line = (keyNode.mark?.line ?? 1) + 1
            guard let key = keyNode.scalar?.string, !key.isEmpty else {
                throw CorpusError.frontMatter(path: path, line: line, message: "a key must be plain text.")
            }
            result.lines[key] = line
            switch valueNode {
            case .scalar(let scalar):
                if scalar.string.isEmpty && scalar.style == .plain { continue }
                result.fields[key] = scalar.string
            case .sequence where Self.singleValued.contains(key):
                throw CorpusError.frontMatter(
                    path: path, line: line,
                    message: "'\(key)' takes one value, not a list"
                        + (key == "region" ? " (give other regions as an attribute, or let the text name them)." : "."))
            case .sequence(let sequence):
                var items: [String] = []
                for item in sequence {
                    guard let text = item.scalar?.string else {
                        throw CorpusError.frontMatter(
                            path: path, line: line, message: "'\(key)' must be a list of plain values.")
                    }
                    items.append(text)
                }
                result.fields[key] = items.joined(separator: "; ")
            default:
                throw CorpusError.frontMatter(
                    path: path, line: line,
                    message: "'\(key)' must be a single value or a list, not \(YAMLSupport.kindName(valueNode)).")
            }
        }
        return result
    }
}
