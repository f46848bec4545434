import Foundation
internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// What `importCodings` did.
public struct CodingImportSummary: Sendable, Equatable {
    /// Codings added.
    public var added = 0
    /// Rows whose coding was already there.
    public var unchanged = 0
    /// The coders of the rows.
    public var coders: [String] = []
}

extension Project {
    /// Imports codings from a CSV file, all or nothing: every row is checked first
    /// (document, code, span, coder), and one bad row stops the import with its line and
    /// problem. A row locates its passage by `start`/`end`, else by `segment` (an id of this
    /// project), else by `text` (a passage that must occur once in the document). `coder`
    /// falls back to `defaultCoder`. Rows already present are counted as unchanged, so an
    /// import can be repeated.
    public func importCodings(path: String, defaultCoder: String?) throws -> CodingImportSummary {
        let records = try SpreadsheetReader.records(ofFile: path)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw QDAError.malformedDocument(path: path, format: "CSV", reason: "it is empty")
        }
        guard header.contains("document"), header.contains("code") else {
            throw QDAError.malformedDocument(
                path: path, format: "CSV",
                reason: "it needs the columns document and code (and start/end, segment or text); "
                    + "the layout is \(CodingCSV.header.joined(separator: ","))")
        }
        return try write { db in
            var summary = CodingImportSummary()
            var coders: Set<String> = []
            var documents: [Int64] = []
            for record in records.dropFirst() {
                let row = try CodingRow(record, header: header, defaultCoder: defaultCoder, path: path)
                let (codeID, place) = try placeCoding(row, db)
                let added = try Self.insertCodingIfNew(
                    segment: place.segment, document: place.document, code: codeID, coder: row.coder,
                    start: place.start, end: place.end, valence: row.valence, memo: row.memo, createdAt: Self.now(), db)
                guard added else {
                    summary.unchanged += 1
                    continue
                }
                summary.added += 1
                coders.insert(row.coder)
                documents.append(place.document)
            }
            summary.coders = coders.sorted()
            if summary.added > 0 { try Self.codingsChanged(documents: documents, db) }
            return summary
        }
    }

    /// Where a row's coding goes, checked against the project: its code, and a passage
    /// that lies in the named document (and, given with offsets and text, still reads so).
    private func placeCoding(_ row: CodingRow, _ db: Database) throws -> (
        code: Int64, place: (document: Int64, segment: Int64, start: Int, end: Int)
    ) {
        let codeID: Int64
        let place: (document: Int64, segment: Int64, start: Int, end: Int)
        do {
            codeID = try Self.codeID(row.code, db)
            place = try resolve(row.target, db)
        } catch let error as QDAError {
            throw row.fail(error.description)
        }
        // A segment given by id must belong to the named document.
        let name = try String.fetchOne(db, sql: "SELECT name FROM document WHERE id = ?", arguments: [place.document])
        let source = try String.fetchOne(
            db, sql: "SELECT source FROM document WHERE id = ?", arguments: [place.document])
        guard name == row.document || source == row.document else {
            throw row.fail("segment \(row.segmentField ?? "") belongs to \(name ?? "?"), not \(row.document)")
        }
        // The exported passage, when given with offsets, must still be the text there.
        if case .span = row.target, let text = row.text {
            let actual = try String.fetchOne(
                db, sql: "SELECT substr(text, ? + 1, ? - ?) FROM document WHERE id = ?",
                arguments: [place.start, place.end, place.start, place.document])
            guard actual?.trimmingCharacters(in: .whitespaces) == text else {
                throw row.fail("the text at \(place.start)–\(place.end) is \"\(actual ?? "")\", not \"\(text)\"")
            }
        }
        return (codeID, place)
    }

}

/// One row of a coding CSV, read and checked on its own: every problem names the file
/// and the row's line.
private struct CodingRow {
    let path: String
    let line: Int
    let document: String
    let code: String
    let coder: String
    let valence: Int
    let memo: String?
    let text: String?
    let segmentField: String?
    let target: CodingTarget

    init(_ record: SpreadsheetReader.Record, header: [String], defaultCoder: String?, path: String) throws {
        self.path = path
        line = record.line
        func field(_ name: String) -> String? {
            guard let index = header.firstIndex(of: name), index < record.fields.count else { return nil }
            let value = TextTable.unneutralized(record.fields[index]).trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        func fail(_ reason: String) -> QDAError { Self.problem(path, record.line, reason) }
        guard let document = field("document") else { throw fail("no document") }
        guard let code = field("code") else { throw fail("no code") }
        guard let coder = field("coder") ?? defaultCoder else {
            throw QDAError.codingRowWithoutCoder(path: path, line: record.line)
        }
        guard coder != Project.autoCoder else { throw fail("the coder 'auto' is the auto-coder; name the person") }
        let valenceText = field("valence") ?? "0"
        guard let valence = Int(valenceText.replacingOccurrences(of: "+", with: "")), (-1...1).contains(valence)
        else { throw fail("valence '\(valenceText)' is not -1, 0 or 1") }
        self.document = document
        self.code = code
        self.coder = coder
        self.valence = valence
        memo = field("memo")
        text = field("text")
        segmentField = field("segment")
        if let start = field("start"), let end = field("end") {
            guard let s = Int(start), let e = Int(end) else {
                throw fail("start/end '\(start)'/'\(end)' are not numbers")
            }
            target = .span(document: document, start: s, end: e)
        } else if let segment = segmentField {
            guard let id = Int64(segment) else { throw fail("segment '\(segment)' is not a number") }
            target = .segment(id)
        } else if let text {
            target = .quote(document: document, text: text)
        } else {
            throw fail("no start/end, segment or text to place the coding")
        }
    }

    /// The row's problem, naming the file and the line.
    func fail(_ reason: String) -> QDAError { Self.problem(path, line, reason) }

    private static func problem(_ path: String, _ line: Int, _ reason: String) -> QDAError {
        .malformedDocument(path: path, format: "CSV", reason: "line \(line): \(reason)")
    }
}
