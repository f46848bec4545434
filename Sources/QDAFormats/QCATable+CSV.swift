import Foundation
public import QDAAnalysis
import QDACorpus

extension QCATable {
    /// Reads a CSV whose first column (or `caseColumn`) names the cases and whose other
    /// columns are numbers. A cell that is not a number is an error naming line and column.
    public static func load(_ path: String, caseColumn: String? = nil) throws -> QCATable {
        let records = try SpreadsheetReader.records(ofFile: path)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), header.count >= 2
        else {
            throw CorpusError.malformedDocument(
                path: path, format: "CSV", reason: "it needs a header row with a case column and at least one more")
        }
        let caseIndex: Int
        if let caseColumn {
            guard let index = header.firstIndex(where: { $0.caseInsensitiveCompare(caseColumn) == .orderedSame }) else {
                throw CorpusError.malformedDocument(
                    path: path, format: "CSV",
                    reason: "no column '\(caseColumn)'; the columns are \(header.joined(separator: ", "))")
            }
            caseIndex = index
        } else {
            caseIndex = 0
        }
        let valueColumns = header.indices.filter { $0 != caseIndex }
        var table = QCATable(cases: [], columns: valueColumns.map { header[$0] }, values: [])
        for record in records.dropFirst() {
            let name =
                caseIndex < record.fields.count ? record.fields[caseIndex].trimmingCharacters(in: .whitespaces) : ""
            guard !name.isEmpty else {
                throw CorpusError.malformedDocument(
                    path: path, format: "CSV", reason: "line \(record.line): no case name")
            }
            if table.cases.contains(name) {
                throw CorpusError.malformedDocument(
                    path: path, format: "CSV", reason: "line \(record.line): the case '\(name)' appears twice")
            }
            var row: [Double] = []
            for column in valueColumns {
                let cell =
                    column < record.fields.count ? record.fields[column].trimmingCharacters(in: .whitespaces) : ""
                guard let value = Double(cell.replacingOccurrences(of: ",", with: ".")), value.isFinite else {
                    throw CorpusError.malformedDocument(
                        path: path, format: "CSV",
                        reason: "line \(record.line), column '\(header[column])': '\(cell)' is not a number")
                }
                row.append(value)
            }
            table.cases.append(name)
            table.values.append(row)
        }
        guard !table.cases.isEmpty else {
            throw CorpusError.malformedDocument(path: path, format: "CSV", reason: "it holds no cases")
        }
        return table
    }
}
