import GRDB
import Testing

@testable import QDAKit
@testable import QDAStore

/// Rows bound through SQLite's C interface come out as GRDB would have stored them, and
/// a failing row is an error with SQLite's message, not a silent loss.
@Suite struct RowInserterTests {
    @Test func storesValuesAndReportsConstraintErrors() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, s TEXT, flag INTEGER, o INTEGER)")
            var insert = try RowInserter(db, sql: "INSERT INTO t (id, n, s, flag, o) VALUES (?, ?, ?, ?, ?)")
            let rows: [(Int64, Int, String?, Bool, Int?)] = [
                (1, -5, "", true, nil), (2, 7, nil, false, 3), (3, Int.max, "技术创新 AI芯片 ✓", true, -1),
            ]
            for (id, n, s, flag, o) in rows {
                insert.bind(id)
                insert.bind(n)
                insert.bind(s)
                insert.bind(flag)
                insert.bind(o)
                try insert.run(db)
            }
            let stored = try Row.fetchAll(db, sql: "SELECT id, n, s, typeof(s) AS type, flag, o FROM t ORDER BY id")
            #expect(stored.map { $0["n"] as Int } == [-5, 7, Int.max])
            #expect(stored.map { $0["s"] as String? } == ["", nil, "技术创新 AI芯片 ✓"])
            #expect(stored.map { $0["type"] as String } == ["text", "null", "text"])
            #expect(stored.map { $0["flag"] as Bool } == [true, false, true])
            #expect(stored.map { $0["o"] as Int? } == [nil, 3, -1])

            // The same id again: the primary key refuses it, with SQLite's own message.
            insert.bind(Int64(1))
            insert.bind(0)
            insert.bind("again")
            insert.bind(false)
            insert.bind(nil as Int?)
            do {
                try insert.run(db)
                Issue.record("a duplicate key was accepted")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.message?.contains("UNIQUE constraint failed: t.id") == true)
            }
            // The statement is usable after the failure.
            insert.bind(Int64(4))
            insert.bind(1)
            insert.bind("after")
            insert.bind(false)
            insert.bind(nil as Int?)
            try insert.run(db)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") == 4)
        }
    }
}
