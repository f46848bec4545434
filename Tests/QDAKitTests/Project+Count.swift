import GRDB

@testable import QDAKit
@testable import QDAStore

extension Project {
    /// The integer a counting query returns, for tests that check what was stored.
    func count(_ sql: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}
