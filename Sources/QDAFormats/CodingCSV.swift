import Foundation
public import QDAAnalysis

/// Codings as a tidy CSV (docs/formats.md#codings-csv): one row per coding, with
/// `document, segment, start, end, code, coder, valence, memo, text`. Offsets are code
/// points into the document text, so a file exported from one project imports into
/// another holding the same documents.
public enum CodingCSV {
    /// The columns, in order.
    public static let header = ["document", "segment", "start", "end", "code", "coder", "valence", "memo", "text"]

    /// The codings as CSV, with cells that a spreadsheet would run as formulas neutralised.
    public static func render(_ records: [CodingRecord]) -> String {
        var table = TextTable(header: header)
        for r in records {
            table.append([
                r.document, String(r.segment), String(r.start), String(r.end), r.code, r.coder, String(r.valence),
                r.memo ?? "", r.text,
            ])
        }
        return table.render(.csv)
    }
}
