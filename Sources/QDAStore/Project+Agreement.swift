internal import GRDB
package import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

extension Project {
    /// Everyone who coded, people first (by name), the auto-coder last.
    package func coders() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT coder FROM coding ORDER BY coder = 'auto', coder")
        }
    }

    /// The active codes (not groups) under the codes `ids` (all with nil), in codebook order.
    package func codes(under ids: [Int64]?) throws -> [(id: Int64, key: String)] {
        try read { db in
            var sql = "SELECT id, key FROM code WHERE active = 1 AND depth > 0"
            var arguments: StatementArguments = []
            if let ids {
                sql += " AND " + Self.underCodes("id", ids.count)
                arguments = StatementArguments(ids)
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY ordinal", arguments: arguments).map { ($0[0], $0[1]) }
        }
    }

    /// Document names by id.
    package func documentNames() throws -> [Int64: String] {
        try read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM document").map {
                    ($0[0] as Int64, $0[1] as String)
                })
        }
    }

    /// The text of each span (`document` name, offsets) as the document holds it.
    package func texts(of spans: [(document: String, start: Int, end: Int)]) throws -> [String] {
        try read { db in
            try spans.map {
                try String.fetchOne(
                    db, sql: "SELECT substr(text, ? + 1, ? - ?) FROM document WHERE name = ?",
                    arguments: [$0.start, $0.end, $0.start, $0.document]) ?? ""
            }
        }
    }

    /// The units of the documents two coders or more coded, with every coder's value for
    /// every code (a code counts its sub-codes).
    package func agreementUnits(coders: [String], codes: [Int64], unit: AgreementUnit) throws -> (
        [AgreementReport.UnitRecord], Int
    ) {
        try read { db in
            let coderIndex = Dictionary(uniqueKeysWithValues: coders.enumerated().map { ($1, $0) })
            let codeIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
            // Which coder coded which document.
            var codedBy: [Int64: Set<Int>] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT DISTINCT document_id, coder FROM coding WHERE coder IN (\(placeholders(coders.count)))",
                arguments: StatementArguments(coders))
            {
                if let c = coderIndex[row[1]] { codedBy[row[0], default: []].insert(c) }
            }
            let documents = codedBy.filter { $0.value.count >= 2 }.keys.sorted()
            // Codings rolled up to the compared codes: (document, segment, start, end, code, coder).
            var codings: [Int64: [(segment: Int64, start: Int, end: Int, code: Int, coder: Int)]] = [:]
            if !documents.isEmpty, !codes.isEmpty {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.document_id, c.segment_id, c.start_offset, c.end_offset, cc.ancestor_id, c.coder
                        FROM coding c JOIN code_closure cc ON cc.descendant_id = c.code_id
                        WHERE c.coder IN (\(placeholders(coders.count)))
                          AND cc.ancestor_id IN (\(placeholders(codes.count)))
                          AND c.document_id IN (\(placeholders(documents.count)))
                        """,
                    arguments: StatementArguments(coders) + StatementArguments(codes) + StatementArguments(documents))
                {
                    guard let code = codeIndex[row[4]], let coder = coderIndex[row[5]] else { continue }
                    codings[row[0], default: []].append((row[1], row[2], row[3], code, coder))
                }
            }
            var records: [AgreementReport.UnitRecord] = []
            for document in documents {
                let present = codedBy[document] ?? []
                let empty: [Int?] = coders.indices.map { present.contains($0) ? 0 : nil }
                let mine = codings[document] ?? []
                switch unit {
                case .document:
                    var values = Array(repeating: empty, count: codes.count)
                    for c in mine { values[c.code][c.coder] = 1 }
                    let length =
                        try Int.fetchOne(db, sql: "SELECT length FROM document WHERE id = ?", arguments: [document])
                        ?? 0
                    records.append(
                        AgreementReport.UnitRecord(
                            document: document, segment: nil, start: 0, end: length, weight: 1, values: values))
                case .segment, .character:
                    // Countable segments, and any segment a coder coded.
                    let segments = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT id, start_offset, end_offset FROM segment WHERE document_id = ?
                              AND (interviewer = 0 OR id IN (SELECT segment_id FROM coding WHERE document_id = ?))
                            ORDER BY ordinal
                            """, arguments: [document, document])
                    var bySegment: [Int64: [(segment: Int64, start: Int, end: Int, code: Int, coder: Int)]] = [:]
                    for c in mine { bySegment[c.segment, default: []].append(c) }
                    for segment in segments {
                        let id: Int64 = segment[0]
                        let (start, end): (Int, Int) = (segment[1], segment[2])
                        let inside = bySegment[id] ?? []
                        if unit == .segment {
                            var values = Array(repeating: empty, count: codes.count)
                            for c in inside { values[c.code][c.coder] = 1 }
                            records.append(
                                AgreementReport.UnitRecord(
                                    document: document, segment: id, start: start, end: end, weight: 1, values: values))
                        } else {
                            // Runs between every coding boundary inside the segment.
                            var cuts = Set([start, end])
                            for c in inside {
                                cuts.insert(max(start, min(end, c.start)))
                                cuts.insert(max(start, min(end, c.end)))
                            }
                            let sorted = cuts.sorted()
                            for (a, b) in zip(sorted, sorted.dropFirst()) where b > a {
                                var values = Array(repeating: empty, count: codes.count)
                                for c in inside where c.start <= a && c.end >= b { values[c.code][c.coder] = 1 }
                                records.append(
                                    AgreementReport.UnitRecord(
                                        document: document, segment: id, start: a, end: b, weight: Double(b - a),
                                        values: values))
                            }
                        }
                    }
                }
            }
            return (records, documents.count)
        }
    }
}
