import Foundation
import QDAKitTestSupport
import Testing

/// `qda user` as scripts use it (the contract of docs/team.md), and the rule that only a
/// team server listens beyond this machine.
@Suite struct UserCommandTests {
    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
        #expect(try qda.run(["init", "--project", "p.sqlite"], in: folder.path).status == 0)
    }

    func run(_ arguments: String..., input: String? = nil) throws -> CommandRunner.Result {
        try qda.run(arguments + ["--project", "p.sqlite"], in: folder.path, input: input)
    }

    @Test func usersAreAddedListedAndChangedAsTheContractSays() throws {
        let secret = "a passphrase nobody types twice"
        let added = try run("user", "add", "ann", "--role", "admin", "--password-stdin", input: secret + "\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!added.stdout.contains(secret) && !added.stderr.contains(secret))
        #expect(
            try run("user", "add", "bob", "--role", "coder", "--password-stdin", input: "bob's password\n").status == 0)
        let listed = try run("user", "list", "--format", "json")
        let users = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: String]])
        #expect(users.map { Set($0.keys) } == [["name", "role", "created"], ["name", "role", "created"]])
        #expect(users.map { $0["name"] } == ["ann", "bob"])
        #expect(users.map { $0["role"] } == ["admin", "coder"])
        #expect(!listed.stdout.contains("$2"))  // no bcrypt hash, ever
        #expect(try run("user", "role", "bob", "viewer").status == 0)
        #expect(try run("user", "passwd", "bob", "--password-stdin", input: "a new password\n").status == 0)
        #expect(try run("user", "remove", "bob").status == 0)
        // The accounts live beside the project, readable by their owner only.
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.url("p.sqlite.accounts"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func badAccountsAreRefusedWithTheReason() throws {
        let noStdin = try run("user", "add", "ann", "--role", "admin")
        #expect(noStdin.status == 64)
        #expect(noStdin.stderr.contains("--password-stdin"))
        let short = try run("user", "add", "ann", "--role", "admin", "--password-stdin", input: "short\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("at least 8 characters"))
        let reserved = try run("user", "add", "auto", "--role", "coder", "--password-stdin", input: "long password\n")
        #expect(reserved.status == 1)
        #expect(reserved.stderr.contains("cannot be a user name"))
        #expect(
            try run("user", "add", "ann", "--role", "admin", "--password-stdin", input: "long password\n").status == 0)
        let twice = try run("user", "add", "ann", "--role", "coder", "--password-stdin", input: "long password\n")
        #expect(twice.stderr.contains("exists already"))
        let last = try run("user", "role", "ann", "coder")
        #expect(last.status == 1)
        #expect(last.stderr.contains("last admin"))
        let badRole = try run("user", "role", "ann", "owner")
        #expect(badRole.status == 64)
        let missing = try qda.run(["user", "list", "--project", "nope.sqlite"], in: folder.path)
        #expect(missing.status != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.url("nope.sqlite.accounts")))
    }

    @Test func onlyATeamServerListensBeyondThisMachine() throws {
        let open = try run("serve", "--host", "0.0.0.0")
        #expect(open.status == 64)
        #expect(open.stderr.contains("--team"))
        let noAdmin = try run("serve", "--team", "--port", "0")
        #expect(noAdmin.status != 0)
        #expect(noAdmin.stderr.contains("needs an admin"))
    }
}
