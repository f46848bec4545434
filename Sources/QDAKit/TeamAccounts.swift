import Foundation
import HummingbirdBcrypt
public import QDAStore
import Synchronization

/// The accounts of a team server (`qda serve --team`, `qda user`): names, roles and bcrypt
/// password hashes in the file beside the project (`AccountStore`, docs/team.md).
public final class TeamAccounts: Sendable {
    private let store: AccountStore
    /// bcrypt's cost: 2^cost rounds (about a quarter of a second per hash here).
    let cost: UInt8
    /// The shortest password taken.
    public static let minimumPasswordLength = 8
    /// A hash to check a password against when the user does not exist, so that an unknown
    /// name takes as long as a wrong password (no user enumeration by timing).
    private let decoy = Mutex<String?>(nil)

    /// The accounts file of the project at `projectPath` (created when missing).
    public static func open(projectPath: String) throws -> TeamAccounts {
        try TeamAccounts(path: AccountStore.path(forProject: projectPath))
    }

    /// The accounts file at `path`, hashing at `cost`.
    public init(path: String, cost: UInt8 = 12) throws {
        store = try AccountStore(path: path)
        self.cost = cost
    }

    /// Where the accounts are kept.
    public var path: String { store.path }

    /// Adds a user with `role` and `password`.
    public func add(_ name: String, role: TeamRole, password: String) throws {
        guard AccountStore.isValidName(name) else { throw AccountError.invalidName(name) }
        try store.add(name, role: role, hash: try hash(password))
    }

    /// Replaces a user's password.
    public func setPassword(_ password: String, of name: String) throws {
        try store.setHash(try hash(password), of: name)
    }

    /// Gives a user another role (the team keeps at least one admin).
    public func setRole(_ role: TeamRole, of name: String) throws { try store.setRole(role, of: name) }

    /// Removes a user; their codings stay in the project, attributed to them.
    public func remove(_ name: String) throws { try store.remove(name) }

    /// Every user, by name.
    public func list() throws -> [Account] { try store.list() }

    /// The account of `name` if `password` is theirs; nil otherwise — after the same work
    /// whether the name exists or not. Slow on purpose (bcrypt): call it off the event loop.
    public func verify(_ name: String, password: String) throws -> Account? {
        guard let credentials = try store.credentials(of: name) else {
            let cost = self.cost
            let decoy = self.decoy.withLock { decoy in
                if decoy == nil { decoy = Bcrypt.hash("no account has this password", cost: cost) }
                return decoy!
            }
            _ = Bcrypt.verify(password, hash: decoy)
            return nil
        }
        guard Bcrypt.verify(password, hash: credentials.hash) else { return nil }
        return try store.list().first { $0.name == name }
    }

    /// The role of `name` now (nil when the account is gone): sessions check it on each request.
    public func role(of name: String) throws -> TeamRole? { try store.credentials(of: name)?.role }

    private func hash(_ password: String) throws -> String {
        guard password.count >= Self.minimumPasswordLength else {
            throw AccountError.weakPassword(minimum: Self.minimumPasswordLength)
        }
        return Bcrypt.hash(password, cost: cost)
    }

    // MARK: Blind coding

    /// Assigns `coders` to `document`; with `blind`, each of them sees only their own
    /// codings on it (and the auto-coder's with `showAuto`) until an admin reveals it.
    public func assign(document: String, coders: [String], blind: Bool = true, showAuto: Bool = false) throws {
        try store.assign(document: document, coders: coders, blind: blind, showAuto: showAuto)
    }

    /// Reveals `document` (every document when nil); returns how many were blind.
    @discardableResult
    public func reveal(document: String?) throws -> Int { try store.reveal(document: document) }

    /// The blind documents by name, each with whether the auto-coder's codings show.
    public func blindDocuments() throws -> [String: Bool] { try store.blindDocuments() }

    /// Each document's assigned coders, by document name.
    public func assignments() throws -> [String: [String]] { try store.assignments() }

    // MARK: Activity log

    /// Records a change by `user` (codings, codebook, assignments, reveals …).
    public func log(user: String, action: String, detail: String) throws {
        try store.log(user: user, action: action, detail: detail)
    }

    /// The changes recorded, oldest first (the last `limit`).
    public func activity(limit: Int? = nil) throws -> [ActivityEntry] { try store.activity(limit: limit) }
}
