import Foundation
internal import GRDB

/// What a team member may do on a team server (docs/team.md).
public enum TeamRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// Reads, reports and exports.
    case viewer
    /// Codes, writes memos and reviews, and what a viewer does.
    case coder
    /// Manages users and the codebook, and what a coder does.
    case admin

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Whether `a` may do less than `b`.
    public static func < (a: TeamRole, b: TeamRole) -> Bool { a.rank < b.rank }
}

/// A team member as listed: never their password's hash.
public struct Account: Sendable, Equatable, Codable {
    /// The user name (what their codings, memos and reviews carry).
    public var name: String
    /// What they may do.
    public var role: TeamRole
    /// When the account was made (ISO 8601).
    public var created: String
}

/// One change made on a team server: who, what, when.
public struct ActivityEntry: Sendable, Equatable, Codable {
    /// When (ISO 8601, UTC, milliseconds).
    public var at: String
    /// The signed-in user.
    public var user: String
    /// What kind of change (`code`, `unmark`, `change coding`, `undo`, `review`, `codebook`,
    /// `memo`, `grid`, `upload`, `assign`, `reveal`, `sign in`, `sign out`).
    public var action: String
    /// What it touched: document, code, ids, the edit.
    public var detail: String
}

/// What goes wrong with accounts.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A name that cannot be a user name.
    case invalidName(String)
    /// The name is taken.
    case exists(String)
    /// No such user.
    case noSuchUser(String)
    /// The change would leave the team without an administrator.
    case lastAdmin(String)
    /// A password too short to be one.
    case weakPassword(minimum: Int)
    /// The accounts file cannot be opened.
    case unreadable(path: String, reason: String)

    /// The message, naming the user or file.
    public var description: String {
        switch self {
        case .invalidName(let name):
            return "“\(name)” cannot be a user name: use 1–64 letters, digits, '.', '_' or '-', not 'auto', "
                + "'suggest' or 'consensus'."
        case .exists(let name): return "A user '\(name)' exists already."
        case .noSuchUser(let name): return "No user '\(name)'."
        case .lastAdmin(let name): return "'\(name)' is the last admin; make another user admin first."
        case .weakPassword(let minimum): return "A password needs at least \(minimum) characters."
        case .unreadable(let path, let reason): return "\(path): not an accounts file (\(reason))."
        }
    }
}

/// The team's accounts, in a file beside the project (`PROJECT.accounts`), not in it: the
/// project file is the research record that is backed up, merged, exported and handed to
/// co-authors and to R; password hashes do not travel with it. The file is created
/// readable by its owner only. Hashing is the caller's (`TeamAccounts` in QDAKit).
public final class AccountStore: Sendable {
    /// The accounts file.
    public let path: String
    private let database: DatabaseQueue

    /// Names the auto-coder and the other machine coders carry; no person may take them.
    public static let reservedNames: Set<String> = [Project.autoCoder, Project.suggestCoder, "consensus"]

    /// The accounts file of the project at `projectPath`.
    public static func path(forProject projectPath: String) -> String { projectPath + ".accounts" }

    /// Opens (creating it, owner-only, if it is not there) the accounts file at `path`.
    ///
    /// - Throws: `AccountError.unreadable` for a file that is not one.
    public init(path: String) throws {
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabaseQueue(path: path, configuration: configuration)
            if !existed { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
            try database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS account (
                            name TEXT PRIMARY KEY,
                            role TEXT NOT NULL CHECK (role IN ('admin', 'coder', 'viewer')),
                            password_hash TEXT NOT NULL,
                            created TEXT NOT NULL
                        )
                        """)
                // Blind coding: documents by name (stable across re-ingest), who is assigned
                // to them, and whether the auto-coder's codings show while they are blind.
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS blind_document (
                            document TEXT PRIMARY KEY,
                            show_auto INTEGER NOT NULL DEFAULT 0
                        );
                        CREATE TABLE IF NOT EXISTS activity (
                            id INTEGER PRIMARY KEY,
                            at TEXT NOT NULL,
                            user TEXT NOT NULL,
                            action TEXT NOT NULL,
                            detail TEXT NOT NULL DEFAULT ''
                        );
                        CREATE TABLE IF NOT EXISTS assignment (
                            document TEXT NOT NULL,
                            coder TEXT NOT NULL,
                            PRIMARY KEY (document, coder)
                        ) WITHOUT ROWID;
                        """)
            }
        } catch {
            throw AccountError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// Whether `name` can be a user name.
    public static func isValidName(_ name: String) -> Bool {
        guard (1...64).contains(name.count), !reservedNames.contains(name.lowercased()) else { return false }
        return name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "._-".unicodeScalars.contains($0)
        }
    }

    /// Adds `name` with `role` and the password hash `hash`.
    public func add(_ name: String, role: TeamRole, hash: String) throws {
        guard Self.isValidName(name) else { throw AccountError.invalidName(name) }
        try database.write { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM account WHERE name = ?)", arguments: [name])
                    == false
            else { throw AccountError.exists(name) }
            let created = ISO8601DateFormatter().string(from: Date())
            try db.execute(
                sql: "INSERT INTO account (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                arguments: [name, role.rawValue, hash, created])
        }
    }

    /// Every account, by name.
    public func list() throws -> [Account] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, created FROM account ORDER BY name").map {
                Account(name: $0["name"], role: TeamRole(rawValue: $0["role"]) ?? .viewer, created: $0["created"])
            }
        }
    }

    /// The role and password hash of `name`; nil for no such user.
    public func credentials(of name: String) throws -> (role: TeamRole, hash: String)? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT role, password_hash FROM account WHERE name = ?", arguments: [name]).map {
                (TeamRole(rawValue: $0["role"]) ?? .viewer, $0["password_hash"])
            }
        }
    }

    /// Replaces `name`'s password hash.
    public func setHash(_ hash: String, of name: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE name = ?", arguments: [hash, name])
            guard db.changesCount == 1 else { throw AccountError.noSuchUser(name) }
        }
    }

    /// Gives `name` the role `role` (not taking the last admin's away).
    public func setRole(_ role: TeamRole, of name: String) throws {
        try database.write { db in
            try Self.keepAnAdmin(changing: name, to: role, db)
            try db.execute(sql: "UPDATE account SET role = ? WHERE name = ?", arguments: [role.rawValue, name])
            guard db.changesCount == 1 else { throw AccountError.noSuchUser(name) }
        }
    }

    /// Removes `name`'s account (their codings stay in the project, attributed to them).
    public func remove(_ name: String) throws {
        try database.write { db in
            try Self.keepAnAdmin(changing: name, to: nil, db)
            try db.execute(sql: "DELETE FROM account WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { throw AccountError.noSuchUser(name) }
        }
    }

    private static func keepAnAdmin(changing name: String, to role: TeamRole?, _ db: Database) throws {
        guard role != .admin,
            try String.fetchOne(db, sql: "SELECT role FROM account WHERE name = ?", arguments: [name]) == "admin",
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account WHERE role = 'admin'") == 1
        else { return }
        throw AccountError.lastAdmin(name)
    }

    // MARK: Blind coding

    /// Assigns `coders` to `document` and, with `blind`, makes it blind (showing the
    /// auto-coder's codings to coders only with `showAuto`).
    public func assign(document: String, coders: [String], blind: Bool, showAuto: Bool) throws {
        try database.write { db in
            for coder in coders {
                guard
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM account WHERE name = ?)", arguments: [coder])
                        == true
                else { throw AccountError.noSuchUser(coder) }
                try db.execute(
                    sql: "INSERT OR IGNORE INTO assignment (document, coder) VALUES (?, ?)",
                    arguments: [document, coder])
            }
            if blind {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO blind_document (document, show_auto) VALUES (?, ?)",
                    arguments: [document, showAuto])
            }
        }
    }

    /// Ends blindness on `document`, or on every document when it is nil; returns how many.
    @discardableResult
    public func reveal(document: String?) throws -> Int {
        try database.write { db in
            if let document {
                try db.execute(sql: "DELETE FROM blind_document WHERE document = ?", arguments: [document])
            } else {
                try db.execute(sql: "DELETE FROM blind_document")
            }
            return db.changesCount
        }
    }

    /// The blind documents, each with whether the auto-coder's codings show.
    public func blindDocuments() throws -> [String: Bool] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT document, show_auto FROM blind_document").reduce(into: [:]) {
                $0[$1["document"]] = $1["show_auto"]
            }
        }
    }

    /// Each document's assigned coders.
    public func assignments() throws -> [String: [String]] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT document, coder FROM assignment ORDER BY document, coder")
                .reduce(into: [:]) { $0[$1["document"], default: []].append($1["coder"]) }
        }
    }

    // MARK: Activity

    /// Records that `user` did `action` on `detail`, now.
    public func log(user: String, action: String, detail: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO activity (at, user, action, detail) VALUES (?, ?, ?, ?)",
                arguments: [formatter.string(from: Date()), user, action, detail])
        }
    }

    /// The changes recorded, oldest first (the last `limit` when given).
    public func activity(limit: Int? = nil) throws -> [ActivityEntry] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT at, user, action, detail FROM
                      (SELECT * FROM activity ORDER BY id DESC LIMIT ?) ORDER BY id
                    """, arguments: [limit ?? -1]
            ).map { ActivityEntry(at: $0["at"], user: $0["user"], action: $0["action"], detail: $0["detail"]) }
        }
    }
}
