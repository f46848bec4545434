import Foundation
import QDAAnalysis

/// The formats every report can be written in.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal.
    case table
    /// One JSON document; field names are a stable contract (`docs/formats.md`).
    case json
    /// RFC 4180 CSV with a header row.
    case csv
    /// A GitHub-flavoured Markdown table.
    case markdown
}

/// Encodes report values as JSON: sorted keys and fixed layout, so the same project
/// gives the same bytes.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// How table output meets the terminal: its width and whether to use colour.
public struct TerminalStyle: Sendable, Equatable {
    /// The widest a table may be (nil: no limit).
    public var width: Int?
    /// ANSI colour, only on a terminal and never with `NO_COLOR` set.
    public var colour: Bool

    /// Creates the value from its fields.
    public init(width: Int?, colour: Bool) {
        self.width = width
        self.colour = colour
    }

    /// 80 columns, no colour: what files and pipes get.
    public static let plain = TerminalStyle(width: 80, colour: false)
}

/// "1 segment", "2 segments".
public func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

extension ReportRendering {
    /// Any encodable value as the reports' JSON (sorted keys, fixed layout).
    public static func json<T: Encodable>(_ value: T) throws -> String {
        try JSONOutput.encode(value)
    }
}
