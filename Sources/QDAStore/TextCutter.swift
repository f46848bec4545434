internal import GRDB

/// Cuts segment and coding texts out of their documents' text. Since schema v9 a segment
/// is an offset range into `document.text` and stores no text of its own (the view
/// `segment_text` gives scripts the text column back).
///
/// Reading many segments, a cutter reads each document's text once and walks it forward:
/// segments read in document order cost one pass over the text, where SQL's `substr` per
/// segment would count code points from the document's start every time. Offsets are
/// Unicode scalars, as everywhere in the project file.
struct TextCutter {
    private var document: Int64?
    private var text = ""
    /// The last cut's start, as an offset and as an index into `text`.
    private var offset = 0
    private var index = "".unicodeScalars.startIndex

    /// The text of `document` from `start` to `end` (clamped to the text).
    mutating func cut(document: Int64, start: Int, end: Int, _ db: Database) throws -> String {
        if document != self.document {
            text = try String.fetchOne(db, sql: "SELECT text FROM document WHERE id = ?", arguments: [document]) ?? ""
            self.document = document
            offset = 0
            index = text.unicodeScalars.startIndex
        }
        return cut(start: start, end: end)
    }

    /// The current document's text from `start` to `end` (clamped to the text).
    private mutating func cut(start: Int, end: Int) -> String {
        let scalars = text.unicodeScalars
        if start < offset {
            offset = 0
            index = scalars.startIndex
        }
        index = scalars.index(index, offsetBy: max(0, start - offset), limitedBy: scalars.endIndex) ?? scalars.endIndex
        offset = max(offset, start)
        let last = scalars.index(index, offsetBy: max(0, end - start), limitedBy: scalars.endIndex) ?? scalars.endIndex
        return String(scalars[index..<last])
    }

    /// The part of `text` from scalar offset `start` to `end`, clamped to the text.
    static func slice(_ text: String, from start: Int, to end: Int) -> String {
        let scalars = text.unicodeScalars
        let from = scalars.index(scalars.startIndex, offsetBy: max(0, start), limitedBy: scalars.endIndex)
        guard let from else { return "" }
        let to = scalars.index(from, offsetBy: max(0, end - max(0, start)), limitedBy: scalars.endIndex)
        return String(scalars[from..<(to ?? scalars.endIndex)])
    }

    /// A segment's text as SQL: the span of its document's text (`s` the segment's alias,
    /// `d` its document's). For a few rows; many rows are cut with a `TextCutter`.
    static func segmentTextSQL(segment s: String = "s", document d: String = "d") -> String {
        "substr(\(d).text, \(s).start_offset + 1, \(s).end_offset - \(s).start_offset)"
    }
}
