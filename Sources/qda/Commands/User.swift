import ArgumentParser
import Foundation
import QDAKit

/// `qda user`: the accounts of a team server (`qda serve --team`), kept beside the project.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the accounts of a team server (qda serve --team).",
        discussion: """
            Accounts live in a file beside the project (PROJECT.accounts, readable by its \
            owner only), not in it: the project file is the research record that is backed \
            up, merged, exported and shared, and password hashes do not travel with it. \
            Roles: admin (users, codebook, uploads), coder (codes, memos, reviews), viewer \
            (reads, reports, exports). Passwords are read from the first line of standard \
            input (--password-stdin), never from a flag, and are stored as bcrypt hashes. A \
            removed user's codings stay in the project, attributed to them. See docs/team.md.

            Examples:
              printf '%s\\n' "$PASSWORD" | qda user add ann --role admin --password-stdin
              qda user list --format json
            """,
        subcommands: [Add.self, Passwd.self, Role.self, Remove.self, List.self])

    /// The project's accounts; the project must exist (no accounts file for a mistyped path).
    static func accounts(_ project: ProjectOptions) throws -> TeamAccounts {
        let workbench = try project.open()
        return try TeamAccounts.open(projectPath: workbench.path)
    }

    /// `--password-stdin`: the password is the first line of standard input, never a flag.
    struct PasswordInput: ParsableArguments {
        @Flag(name: .long, help: "Read the password from the first line of standard input.")
        var passwordStdin = false

        func validate() throws {
            guard passwordStdin else {
                throw ValidationError("Pass --password-stdin and give the password on standard input.")
            }
        }

        /// The first line of standard input, without its line ending.
        func read() throws -> String {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Give the password on the first line of standard input (--password-stdin).")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user with a role; the password is the first line of standard input.",
            discussion: """
                Examples:
                  printf '%s\\n' "$PASSWORD" | qda user add ann --role coder --password-stdin
                """)

        @Argument(help: "The user name: letters, digits, '.', '_' or '-'.")
        var name: String

        @Option(name: .long, help: "admin, coder or viewer.")
        var role: TeamRole

        @OptionGroup var password: PasswordInput
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let accounts = try UserCommand.accounts(project)
            try accounts.add(name, role: role, password: try password.read())
            FileHandle.standardError.write(Data("Added \(name) (\(role.rawValue)) to \(accounts.path).\n".utf8))
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password from the first line of standard input.")

        @Argument(help: "The user name.")
        var name: String

        @OptionGroup var password: PasswordInput
        @OptionGroup var project: ProjectOptions

        func run() throws {
            try UserCommand.accounts(project).setPassword(try password.read(), of: name)
            FileHandle.standardError.write(Data("Changed \(name)'s password.\n".utf8))
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user another role.")

        @Argument(help: "The user name.")
        var name: String

        @Argument(help: "admin, coder or viewer.")
        var role: TeamRole

        @OptionGroup var project: ProjectOptions

        func run() throws {
            try UserCommand.accounts(project).setRole(role, of: name)
            FileHandle.standardError.write(Data("\(name) is now \(role.rawValue).\n".utf8))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user (their codings stay, attributed to them).")

        @Argument(help: "The user name.")
        var name: String

        @OptionGroup var project: ProjectOptions

        func run() throws {
            try UserCommand.accounts(project).remove(name)
            FileHandle.standardError.write(Data("Removed \(name); their codings stay in the project.\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users and their roles.")

        @Option(name: .long, help: "table or json.")
        var format: OutputFormat = .table

        @OptionGroup var project: ProjectOptions

        func validate() throws {
            guard [.table, .json].contains(format) else { throw ValidationError("--format is table or json.") }
        }

        func run() throws {
            let users = try UserCommand.accounts(project).list()
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write(try encoder.encode(users) + Data("\n".utf8))
            } else if users.isEmpty {
                FileHandle.standardError.write(
                    Data("No users yet: qda user add NAME --role admin --password-stdin\n".utf8))
            } else {
                var lines = ["user                role    created"]
                for user in users {
                    lines.append(
                        user.name.padding(toLength: max(20, user.name.count + 1), withPad: " ", startingAt: 0)
                            + user.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + user.created)
                }
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
        }
    }
}
