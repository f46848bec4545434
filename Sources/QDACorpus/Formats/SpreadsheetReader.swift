package import Foundation
import QDAText

/// How the rows of a `.csv`/`.tsv` file become documents.
public struct SpreadsheetOptions: Sendable, Equatable {
    /// What a spreadsheet's rows are: documents of their own, or segments of one document.
    public enum Rows: String, Sendable, CaseIterable {
        /// Each row is a document (open-ended survey answers).
        case documents
        /// The file is one document, each row one segment (a transcript in a sheet).
        case segments
    }

    /// What the rows are.
    public var rows: Rows = .documents
    /// The column holding the text; by default the one headed text, response, answer,
    /// comment, transcript or content.
    public var textColumn: String?
    /// The column naming each row (a respondent id): part of the document name in
    /// `documents` mode, the speaker in `segments` mode; by default the row number.
    public var idColumn: String?
    /// Columns kept as attributes (region, role, ...); by default every other column.
    public var attributeColumns: [String]?

    /// Creates the value from its fields.
    public init(
        rows: Rows = .documents, textColumn: String? = nil, idColumn: String? = nil, attributeColumns: [String]? = nil
    ) {
        self.rows = rows
        self.textColumn = textColumn
        self.idColumn = idColumn
        self.attributeColumns = attributeColumns
    }

    /// A stable description, stored with each document so that ingesting again with other
    /// options reads the file again.
    var signature: String {
        [
            rows.rawValue, textColumn ?? "", idColumn ?? "", attributeColumns?.joined(separator: ",") ?? "*",
        ].joined(separator: "|")
    }
}

/// Reads `.csv` (comma, or semicolon when the header says so) and `.tsv` files: RFC 4180
/// quoting, with quoted fields that hold delimiters, doubled quotes and line breaks.
package enum SpreadsheetReader {
    static let textColumnNames = ["text", "response", "answer", "comment", "transcript", "content", "body"]

    package static func extract(
        _ data: Data, path: String, format: DocumentFormat, encoding: TextEncoding?, options: SpreadsheetOptions
    ) throws -> [Extraction] {
        let decoded = try TextDecoder.decode(data, path: path, encoding: encoding)
        let text = TextHygiene.clean(decoded.text)
        let delimiter: Unicode.Scalar = format == .tsv ? "\t" : guessDelimiter(text)
        let records = try parse(text, delimiter: delimiter, path: path)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), !header.isEmpty
        else {
            throw CorpusError.malformedDocument(path: path, format: "CSV", reason: "it has no header row")
        }
        func column(_ name: String, _ role: SpreadsheetColumn) throws -> Int {
            if let index = header.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                return index
            }
            throw CorpusError.noSuchColumn(path: path, role: role, name: name, columns: header)
        }
        let textIndex: Int
        if let name = options.textColumn {
            textIndex = try column(name, .text)
        } else if let index = header.firstIndex(where: { textColumnNames.contains($0.lowercased()) }) {
            textIndex = index
        } else {
            throw CorpusError.noTextColumn(path: path, columns: header)
        }
        let idIndex = try options.idColumn.map { try column($0, .id) }
        let attributeIndexes: [Int]
        if let names = options.attributeColumns {
            attributeIndexes = try names.map { try column($0, .attribute) }
        } else {
            attributeIndexes = header.indices.filter { $0 != textIndex && $0 != idIndex && !header[$0].isEmpty }
        }
        let rows = records.dropFirst().filter {
            !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        func field(_ record: Record, _ index: Int) -> String {
            index < record.fields.count ? record.fields[index] : ""
        }
        func attributes(of record: Record) -> [String: String] {
            var result: [String: String] = [:]
            for index in attributeIndexes {
                let value = field(record, index).trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { result[header[index].lowercased()] = value }
            }
            return result
        }
        switch options.rows {
        case .documents:
            var seen: [String: Int] = [:]
            var result: [Extraction] = []
            for record in rows {
                let body = field(record, textIndex).trimmingCharacters(in: .whitespacesAndNewlines)
                let id = idIndex.map { field(record, $0).trimmingCharacters(in: .whitespaces) } ?? ""
                let name = id.isEmpty ? "row \(record.line)" : id
                if let earlier = seen[name] {
                    throw CorpusError.malformedDocument(
                        path: path, format: "CSV",
                        reason: "line \(record.line): the id '\(name)' was used on line \(earlier) too")
                }
                seen[name] = record.line
                var extraction = Extraction(text: body)
                extraction.nameSuffix = name
                extraction.attributes = attributes(of: record)
                extraction.readsFrontMatter = false
                extraction.encoding = decoded.encoding
                extraction.encodingDetected = decoded.detected
                result.append(extraction)
            }
            return result
        case .segments:
            // One document; attributes must hold one value for the whole file.
            var fileAttributes: [String: (value: String, line: Int)] = [:]
            var text = ""
            var length = 0
            var segments: [SegmentDraft] = []
            for record in rows {
                for (key, value) in attributes(of: record) {
                    if let earlier = fileAttributes[key], earlier.value != value {
                        throw CorpusError.attributeVaries(
                            path: path, line: record.line, column: key, value: value, earlier: earlier.value,
                            earlierLine: earlier.line)
                    }
                    fileAttributes[key] = (value, record.line)
                }
                let body = field(record, textIndex).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !body.isEmpty else { continue }
                let speaker = idIndex.map { field(record, $0).trimmingCharacters(in: .whitespaces) }
                    .flatMap { $0.isEmpty ? nil : $0 }
                if !text.isEmpty {
                    text += "\n\n"
                    length += 2
                }
                let label = speaker.map { $0 + ": " } ?? ""
                text += label + body
                let start = length + label.unicodeScalars.count
                length = start + body.unicodeScalars.count
                segments.append(
                    SegmentDraft(ordinal: segments.count, start: start, end: length, speaker: speaker, text: body))
            }
            var extraction = Extraction(text: text)
            extraction.segments = segments
            extraction.attributes = fileAttributes.mapValues(\.value)
            extraction.readsFrontMatter = false
            extraction.encoding = decoded.encoding
            extraction.encodingDetected = decoded.detected
            return [extraction]
        }
    }

    /// Semicolon when the header line has more semicolons than commas (spreadsheets in
    /// locales with a decimal comma write those), else comma.
    static func guessDelimiter(_ text: String) -> Unicode.Scalar {
        let header = text.prefix { $0 != "\n" }
        let commas = header.filter { $0 == "," }.count
        let semicolons = header.filter { $0 == ";" }.count
        return semicolons > commas ? ";" : ","
    }

    package struct Record {
        /// The file line the record starts on (1-based).
        package var line: Int
        package var fields: [String]
    }

    /// The records of a CSV or TSV file (any encoding `TextDecoder` reads; the delimiter
    /// from the extension or guessed).
    package static func records(ofFile path: String) throws -> [Record] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CorpusError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        let text = TextHygiene.clean(try TextDecoder.decode(data, path: path).text)
        let delimiter: Unicode.Scalar = path.lowercased().hasSuffix(".tsv") ? "\t" : guessDelimiter(text)
        return try parse(text, delimiter: delimiter, path: path)
    }

    /// RFC 4180 records; an unterminated quoted field is an error naming its line.
    static func parse(_ text: String, delimiter: Unicode.Scalar, path: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }
        while let c = pending {
            pending = iterator.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            case delimiter:
                endField()
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if inQuotes {
            throw CorpusError.malformedDocument(
                path: path, format: "CSV", reason: "line \(quoteLine): a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
