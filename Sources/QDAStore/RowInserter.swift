internal import GRDB
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// An insert statement run many times through SQLite's C interface: values are bound
/// one by one, without building `StatementArguments` and boxing every value, which is
/// most of the cost of storing tens of thousands of small rows through GRDB.
///
/// Use it for the bulk rows of ingest and coding only, inside a write transaction; the
/// statement is GRDB's cached one, so GRDB still owns, finalizes and resets it.
struct RowInserter {
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 0
    /// The first failed bind since the last run, reported by `run`.
    private var bindFailure: Int32 = SQLITE_OK

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ value: Int64) {
        index += 1
        check(sqlite3_bind_int64(handle, index, value))
    }

    private mutating func check(_ code: Int32) {
        if code != SQLITE_OK && bindFailure == SQLITE_OK { bindFailure = code }
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    mutating func bind(_ value: Int?) {
        if let value { bind(Int64(value)) } else { bindNull() }
    }

    mutating func bind(_ value: String?) {
        guard var value else { return bindNull() }
        index += 1
        let index = index
        let handle = handle
        let code = value.withUTF8 { bytes -> Int32 in
            // SQLite takes at most 2 GiB in one value.
            guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
            // An empty buffer may have no address, which SQLite would store as NULL.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
            }
        }
        check(code)
    }

    mutating func bindNull() {
        index += 1
        check(sqlite3_bind_null(handle, index))
    }

    /// Runs the statement with the values bound since the last run.
    mutating func run(_ db: Database) throws {
        index = 0
        if bindFailure != SQLITE_OK {
            let code = bindFailure
            bindFailure = SQLITE_OK
            sqlite3_clear_bindings(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), sql: statement.sql)
        }
        let code = sqlite3_step(handle)
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}

/// A query read row by row through SQLite's C interface, for scans of millions of rows
/// where GRDB's `Row` (a dynamic lookup and conversion per value) dominates the time.
/// Only integer and text columns; the statement is GRDB's cached one, reset when done.
struct RowReader {
    private let statement: Statement
    private let handle: OpaquePointer
    private var finished = false

    init(_ db: Database, sql: String, arguments: StatementArguments = []) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        // Resets the statement, clears its bindings and binds `arguments` (checked
        // against the statement's parameters).
        try statement.setArguments(arguments)
    }

    /// Moves to the next row; false at the end, after which the statement is reset.
    mutating func next(_ db: Database) throws -> Bool {
        guard !finished else { return false }
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            finished = true
            sqlite3_reset(handle)
            return false
        case let code:
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            finished = true
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Stops reading before the end (the statement no longer holds the table).
    mutating func finish() {
        finished = true
        sqlite3_reset(handle)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's bytes as UTF-8 text, valid only inside `body` (no String is made).
    func withText<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let bytes = sqlite3_column_text(handle, column) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
