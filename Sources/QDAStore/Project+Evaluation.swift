internal import GRDB
package import QDAAnalysis

extension Project {
    /// What an evaluation of `machine`'s codings against `person`'s reads: the countable
    /// segments of the documents `person` coded, with both coders' codings in them (offsets
    /// relative to the segment), and the active codes and groups in codebook order.
    package func evaluationInput(machine: String, person: String) throws -> CoderEvaluation.Input {
        try read { db in
            let documents = try Int64.fetchAll(
                db, sql: "SELECT DISTINCT document_id FROM coding WHERE coder = ? ORDER BY document_id",
                arguments: [person])
            var units: [CoderEvaluation.Input.Unit] = []
            var starts: [Int64: Int] = [:]
            var texts: [Int64: String] = [:]
            if !documents.isEmpty {
                var cutter = TextCutter()
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.id, d.name, s.document_id, s.start_offset, s.end_offset
                        FROM segment s JOIN document d ON d.id = s.document_id
                        WHERE s.interviewer = 0 AND s.document_id IN (\(placeholders(documents.count)))
                        ORDER BY s.document_id, s.ordinal
                        """, arguments: StatementArguments(documents))
                {
                    let text = try cutter.cut(document: row[2], start: row[3], end: row[4], db)
                    units.append(CoderEvaluation.Input.Unit(id: row[0], document: row[1], text: text))
                    starts[row[0]] = row[3]
                    texts[row[0]] = text
                }
            }
            func codings(_ coder: String) throws -> [CoderEvaluation.Input.Coding] {
                guard !documents.isEmpty else { return [] }
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.segment_id, k.key, c.start_offset, c.end_offset, c.valence, c.matched,
                               c.run_id IS NOT NULL
                        FROM coding c JOIN code k ON k.id = c.code_id
                        WHERE c.coder = ? AND c.document_id IN (\(placeholders(documents.count)))
                        ORDER BY c.segment_id, c.start_offset, c.end_offset, k.key
                        """, arguments: [coder] + StatementArguments(documents)
                ).compactMap { row in
                    guard let start = starts[row[0]] else { return nil }
                    // What an auto-coding matched: stored before v9, its span of the segment since.
                    var matched: String? = row[5]
                    if matched == nil, row[6] as Bool, let text = texts[row[0]] {
                        matched = TextCutter.slice(text, from: row[2] - start, to: row[3] - start)
                    }
                    let rule = matched.map { "matched \"\($0)\"" }
                    return CoderEvaluation.Input.Coding(
                        segment: row[0], code: row[1], start: row[2] - start, end: row[3] - start, valence: row[4],
                        rule: rule)
                }
            }
            let codes = try Row.fetchAll(db, sql: "SELECT key, depth FROM code WHERE active = 1 ORDER BY ordinal")
            return CoderEvaluation.Input(
                units: units, codes: codes.filter { ($0[1] as Int) > 0 }.map { $0[0] },
                groups: codes.filter { ($0[1] as Int) == 0 }.map { $0[0] }, machine: try codings(machine),
                person: try codings(person))
        }
    }
}
