import GRDB

@testable import QDAKit
@testable import QDAStore

extension Project {
    /// The integer a counting query returns, for tests that check what was stored.
    func count(_ sql: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// Every row of the report cache `segment_code`, in its key order, as text.
    func segmentCodeRows() throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT code_id || ' ' || region || ' ' || segment_id || ' ' || document_id || ' ' || valence
                           || ' ' || codings
                    FROM segment_code ORDER BY code_id, region, segment_id
                    """)
        }
    }
}
