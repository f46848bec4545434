import ArgumentParser
import Foundation
import Hummingbird
import QDAKit
import QDAServer
import Synchronization

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the project in a browser: read, code, review, and see the evidence.",
        discussion: """
            In the browser: the documents (filter, full-text search, upload, downloads); a \
            reader where you select a passage and code it from a type-ahead picker, with \
            undo and redo; the auto-coder's review queue by keyboard; the codebook panel \
            (rename, move, merge); the region × factor heatmap with the passages behind each \
            cell, your grid judgement and memos. Changes reach every open page live.

            The first line of standard output is the address to open; it carries a launch \
            token, which the browser exchanges for a session cookie. Scripts send the token \
            as `Authorization: Bearer TOKEN` to the JSON API (docs/server.md). The server \
            answers only on the address it is bound to (127.0.0.1 unless --host says \
            otherwise); Ctrl-C stops it after the writes in flight. The command line keeps \
            working on the same project meanwhile. Codings made in the browser are the \
            coder's (--coder, else $QDA_CODER, else your login name).

            With --team, people sign in with the accounts of qda user (admin, coder, viewer), \
            each coding as themselves; the first line is then the sign-in address, and no \
            token is printed. Only a team server may listen on an address other machines \
            reach (--host 0.0.0.0); better, keep it on 127.0.0.1 behind a TLS reverse proxy \
            and pass --trust-proxy and the proxy's --public-host (docs/team.md).

            Examples:
              qda serve
              qda serve --port 0 --coder ann
              qda serve --team --trust-proxy --public-host qda.example.org
            """
    )

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port (0: any free port).")
    var port = 8765

    @Flag(name: .long, help: "Open the address in the default browser.")
    var open = false

    @Flag(name: .long, help: "A team server: users sign in with the accounts of qda user (docs/team.md).")
    var team = false

    @Flag(
        name: .long,
        help: "Believe X-Forwarded-Proto and X-Forwarded-For from a reverse proxy in front (team servers).")
    var trustProxy = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A host name a reverse proxy forwards to this server (team servers; repeatable).", valueName: "name"))
    var publicHost: [String] = []

    @OptionGroup var coder: CoderOptions
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard team || ServerAccess.isLoopback(host) else {
            throw ValidationError(
                "--host \(host) is reachable from other machines: serve it as a team server (--team), with accounts.")
        }
        guard team || (!trustProxy && publicHost.isEmpty) else {
            throw ValidationError("--trust-proxy and --public-host are for team servers (--team).")
        }
    }

    func run() throws {
        let workbench = try project.open()
        var accounts: TeamAccounts?
        if team {
            let opened = try TeamAccounts.open(projectPath: workbench.path)
            guard try opened.list().contains(where: { $0.role == .admin }) else {
                throw ValidationError(
                    "A team server needs an admin first: qda user add NAME --role admin --password-stdin.")
            }
            accounts = opened
        }
        let access = ServerAccess(host: host, team: accounts, trustProxy: trustProxy, publicHosts: publicHost)
        let router = WorkbenchServer.router(workbench: workbench, access: access, coder: coder.name)
        let host = self.host
        let open = self.open
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "qda"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                let url =
                    access.team == nil
                    ? "http://\(shown):\(port)/?token=\(access.token)" : "http://\(shown):\(port)/login"
                FileHandle.standardOutput.write(Data((url + "\n").utf8))
                if open { Self.openInBrowser(url) }
            })
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await app.runService()
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Hands `url` to the desktop's browser (xdg-open, or open on macOS); a failure is said, not fatal.
    static func openInBrowser(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        #if os(macOS)
            process.arguments = ["open", url]
        #else
            process.arguments = ["xdg-open", url]
        #endif
        do {
            try process.run()
        } catch {
            FileHandle.standardError.write(Data("note: the browser could not be opened (\(error)).\n".utf8))
        }
    }
}
