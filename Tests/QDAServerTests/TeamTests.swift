import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QDAKit
import QDAKitTestSupport
import QDAServer
import Testing

/// A team server (`qda serve --team`): signing in and out, the rate limit, roles on every
/// kind of route, codings attributed to the session's user, and no launch token.
@Suite struct TeamTests {
    let base: ServerTests
    let accounts: TeamAccounts
    let access: ServerAccess

    init() throws {
        base = try ServerTests()
        // bcrypt's lowest cost keeps the tests fast; the server's is 12.
        accounts = try TeamAccounts(path: base.folder.url("p.sqlite.accounts"), cost: 4)
        try accounts.add("ann", role: .admin, password: "ann's long password")
        try accounts.add("bob", role: .coder, password: "bob's long password")
        try accounts.add("vic", role: .viewer, password: "vic's long password")
        access = ServerAccess(host: "127.0.0.1", token: "secret-token", team: accounts)
    }

    func app() -> some ApplicationProtocol {
        Application(router: WorkbenchServer.router(workbench: base.workbench, access: access, coder: "owner"))
    }

    struct Signed {
        var cookie: String
        var csrf: String
        var headers: HTTPFields {
            [.cookie: cookie, .init("X-CSRF-Token")!: csrf, .contentType: "application/json"]
        }
    }

    func body(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    func signIn(_ client: some TestClientProtocol, _ user: String, _ password: String? = nil, cookie: String? = nil)
        async throws -> Signed
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(
            uri: "/api/session", method: .post, headers: headers,
            body: try body(["user": user, "password": password ?? "\(user)'s long password"])
        ) { response in
            #expect(response.status == .ok)
            let answer = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: String])
            #expect(answer["user"] == user)
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            return Signed(cookie: String(setCookie.prefix { $0 != ";" }), csrf: try #require(answer["csrf"]))
        }
    }

    @Test func signingInAndOut() async throws {
        try await app().test(.router) { client in
            // A wrong password and an unknown user answer alike.
            var answers: [String] = []
            for (user, password) in [("ann", "wrong password"), ("nobody", "wrong password")] {
                try await client.execute(
                    uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                    body: try body(["user": user, "password": password])
                ) { response in
                    #expect(response.status == .unauthorized)
                    answers.append(String(buffer: response.body))
                }
            }
            #expect(answers[0] == answers[1])
            let ann = try await signIn(client, "ann")
            try await client.execute(uri: "/api/documents", method: .get, headers: [.cookie: ann.cookie]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/session", method: .delete, headers: ann.headers) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/api/documents", method: .get, headers: [.cookie: ann.cookie]) {
                #expect($0.status == .unauthorized)
            }
            // No launch token on a team server, and pages send strangers to the sign-in page.
            try await client.execute(
                uri: "/api/documents", method: .get, headers: [.authorization: "Bearer secret-token"]
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/?token=secret-token", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
            }
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("/static/login.js"))
            }
        }
    }

    @Test func changesNeedTheSessionsCSRFTokenAndThisServersPages() async throws {
        try await app().test(.router) { client in
            let ann = try await signIn(client, "ann")
            let memo = try body(["text": "<script>alert(1)</script>"])
            var headers = ann.headers
            headers[HTTPField.Name("X-CSRF-Token")!] = nil
            try await client.execute(uri: "/api/memos", method: .post, headers: headers, body: memo) {
                #expect($0.status == .forbidden)
            }
            headers = ann.headers
            headers[HTTPField.Name("X-CSRF-Token")!] = String(ann.csrf.reversed())
            try await client.execute(uri: "/api/memos", method: .post, headers: headers, body: memo) {
                #expect($0.status == .forbidden)
            }
            headers = ann.headers
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            try await client.execute(uri: "/api/memos", method: .post, headers: headers, body: memo) {
                #expect($0.status == .forbidden)
            }
            // A sign-in posted from another site's page is refused too (login CSRF).
            try await client.execute(
                uri: "/api/session", method: .post,
                headers: [.contentType: "application/json", .origin: "https://evil.example"],
                body: try body(["user": "ann", "password": "ann's long password"])
            ) { #expect($0.status == .forbidden) }
            // With the token, the hostile text is stored as text (pages set it as text, never markup).
            try await client.execute(uri: "/api/memos", method: .post, headers: ann.headers, body: memo) {
                #expect($0.status == .created)
            }
            #expect(try base.workbench.memos().map(\.text) == ["<script>alert(1)</script>"])
        }
    }

    @Test func aSignInGetsANewSessionWhateverCookieItBrings() async throws {
        try await app().test(.router) { client in
            let first = try await signIn(client, "bob")
            let second = try await signIn(client, "bob", cookie: first.cookie)
            #expect(first.cookie != second.cookie)
            try await client.execute(uri: "/api/documents", method: .get, headers: [.cookie: first.cookie]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func tooManyFailuresAreRefusedForAWhile() async throws {
        try await app().test(.router) { client in
            for _ in 0..<5 {
                try await client.execute(
                    uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                    body: try body(["user": "bob", "password": "guess"])
                ) { #expect($0.status == .unauthorized) }
            }
            // Even the right password, until the window passes.
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                body: try body(["user": "bob", "password": "bob's long password"])
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
            // Another account is not locked by bob's failures.
            _ = try await signIn(client, "ann")
        }
    }

    @Test func eachRoleDoesWhatItMayAndCodingsAreTheSessionsUser() async throws {
        let id = try base.interviewID()
        let view = try #require(try base.workbench.documentView(id: id))
        let segment = view.segments[1]
        let text = String(
            String.UnicodeScalarView(Array(view.text.unicodeScalars)[segment.start..<(segment.start + 6)]))
        let coding = try body([
            "document_id": id, "start": segment.start, "end": segment.start + 6, "text": text,
            "code": "market.demand", "coder": "ann",
        ])
        try await app().test(.router) { client in
            let (ann, bob, vic) = (
                try await signIn(client, "ann"), try await signIn(client, "bob"), try await signIn(client, "vic")
            )
            // A viewer reads and reports, and writes nothing.
            try await client.execute(uri: "/api/report/patterns", method: .get, headers: [.cookie: vic.cookie]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/download/summary.csv", method: .get, headers: [.cookie: vic.cookie]) {
                #expect($0.status == .ok)
            }
            for (method, uri, payload) in [
                (HTTPRequest.Method.post, "/api/codings", coding),
                (.post, "/api/memos", try body(["text": "x"])),
                (.put, "/api/grid", try body(["region": "Guangdong", "code": "market", "rating": "+"])),
                (.post, "/api/undo", ByteBuffer()),
            ] {
                try await client.execute(uri: uri, method: method, headers: vic.headers, body: payload) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                    #expect(String(buffer: response.body).contains("viewer"))
                }
            }
            // A coder codes, as themselves whatever the body says; administers nothing.
            let bobs = try await client.execute(uri: "/api/codings", method: .post, headers: bob.headers, body: coding)
            { response in
                #expect(response.status == .created)
                return try #require(
                    (try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                        as? [String: [Int64]])?["ids"]?.first)
            }
            #expect(try base.workbench.documentView(id: id)?.codings.first { $0.id == bobs }?.coder == "bob")
            try await client.execute(
                uri: "/api/codebook", method: .post, headers: bob.headers,
                body: try body(["op": "rename", "code": "market.demand", "to": "market.need"])
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/documents?name=x.txt", method: .post, headers: bob.headers,
                body: ByteBuffer(string: "A: x\n")
            ) { #expect($0.status == .forbidden) }
            // Ann's coding of the same passage is hers; bob cannot unmark it, ann can unmark bob's.
            let anns = try await client.execute(uri: "/api/codings", method: .post, headers: ann.headers, body: coding)
            { response in
                try #require(
                    (try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                        as? [String: [Int64]])?["ids"]?.first)
            }
            try await client.execute(uri: "/api/codings/\(anns)", method: .delete, headers: bob.headers) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("ann"))
            }
            try await client.execute(uri: "/api/codings/\(bobs)", method: .delete, headers: ann.headers) {
                #expect($0.status == .noContent)
            }
            // Nor ann's memo: as if it were not there.
            let annsMemo = try base.workbench.addMemo(.project, text: "ann's note", author: "ann")
            try await client.execute(
                uri: "/api/memos/\(annsMemo.id)", method: .patch, headers: bob.headers, body: try body(["text": "x"])
            ) { #expect($0.status == .notFound) }
            #expect(try base.workbench.memos().first { $0.id == annsMemo.id }?.text == "ann's note")
            // A role taken away counts at once; a removed account signs nobody in.
            try accounts.setRole(.viewer, of: "bob")
            try await client.execute(uri: "/api/codings", method: .post, headers: bob.headers, body: coding) {
                #expect($0.status == .forbidden)
            }
            try accounts.remove("bob")
            try await client.execute(uri: "/api/documents", method: .get, headers: [.cookie: bob.cookie]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func hostileNamesAreTextNotMarkup() async throws {
        #expect(throws: AccountError.invalidName("<script>x</script>")) {
            try accounts.add("<script>x</script>", role: .coder, password: "long enough password")
        }
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                body: try body(["user": "</script><img src=x onerror=alert(1)>", "password": "whatever it is"])
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains("<img"))
            }
            let ann = try await signIn(client, "ann")
            try await client.execute(uri: "/", method: .get, headers: [.cookie: ann.cookie]) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("<span class=\"user\">ann</span>"))
                #expect(page.contains("id=\"logout\""))
            }
        }
    }

    @Test func behindATrustedProxyTheCookieIsSecureAndTheOriginIsThePublicName() async throws {
        // The router tests' requests name "localhost": here that is the proxy's public name,
        // for a server bound to another address.
        let proxied = ServerAccess(host: "192.0.2.7", team: accounts, trustProxy: true, publicHosts: ["localhost"])
        #expect(proxied.hosts == ["192.0.2.7", "localhost"])
        let app = Application(
            router: WorkbenchServer.router(workbench: base.workbench, access: proxied, coder: "owner"))
        let signIn = try body(["user": "bob", "password": "bob's long password"])
        let forwarded = HTTPField.Name("X-Forwarded-Proto")!
        try await app.test(.router) { client in
            let headers: HTTPFields = [
                .contentType: "application/json", forwarded: "https", .origin: "https://localhost",
            ]
            let (cookie, csrf) = try await client.execute(
                uri: "/api/session", method: .post, headers: headers, body: signIn
            ) { response in
                #expect(response.status == .ok)
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("Secure"))
                let answer = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                return (String(setCookie.prefix { $0 != ";" }), (answer as? [String: String])?["csrf"] ?? "")
            }
            var change = headers
            change[.cookie] = cookie
            change[HTTPField.Name("X-CSRF-Token")!] = csrf
            try await client.execute(uri: "/api/memos", method: .post, headers: change, body: try body(["text": "ok"]))
            {
                #expect($0.status == .created)
            }
            change[.origin] = "https://evil.example"
            try await client.execute(uri: "/api/memos", method: .post, headers: change, body: try body(["text": "x"])) {
                #expect($0.status == .forbidden)
            }
        }
        // Without trusting a proxy, its headers are nobody's word.
        try await self.app().test(.router) { client in
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json", forwarded: "https"],
                body: signIn
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.setCookie]?.contains("Secure") == false)
            }
        }
    }

    @Test func aBlindDocumentHidesEachCodersCodingsFromTheOthersOnEveryRoute() async throws {
        try accounts.add("cid", role: .coder, password: "cid's long password")
        let id = try base.interviewID()
        let view = try #require(try base.workbench.documentView(id: id))
        let segment = view.segments[1]
        let text = String(
            String.UnicodeScalarView(Array(view.text.unicodeScalars)[segment.start..<(segment.start + 6)]))
        let autoID = try #require(view.codings.first { $0.coder == "auto" }).id
        try await app().test(.router) { client in
            let (ann, bob, cid) = (
                try await signIn(client, "ann"), try await signIn(client, "bob"), try await signIn(client, "cid")
            )
            // Only an admin assigns; then the interview is blind for bob and cid.
            let assignment = try body(["document": "corpus/gd-1.txt", "coders": ["bob", "cid"], "blind": true])
            try await client.execute(uri: "/api/assignments", method: .post, headers: bob.headers, body: assignment) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/assignments", method: .post, headers: ann.headers, body: assignment) {
                #expect($0.status == .noContent)
            }
            let bobs = try await client.execute(
                uri: "/api/codings", method: .post, headers: bob.headers,
                body: try body([
                    "document_id": id, "start": segment.start, "end": segment.start + 6, "text": text,
                    "code": "market.demand", "memo": "BOBSECRET",
                ])
            ) { response in
                try #require(
                    (try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                        as? [String: [Int64]])?["ids"]?.first)
            }
            try await client.execute(
                uri: "/api/memos", method: .post, headers: bob.headers,
                body: try body(["text": "BOBMEMO", "segment_id": segment.id])
            ) { #expect($0.status == .created) }
            // Every route cid can read, and none shows bob's coding, its memo or bob's name.
            for uri in [
                "/", "/api/documents", "/api/documents/\(id)", "/documents/\(id)", "/api/reviews",
                "/api/reviews?document=corpus/gd-1.txt", "/api/evidence?code=market",
                "/api/evidence?code=market.demand&region=Guangdong", "/api/search?q=Demand", "/api/memos",
                "/api/history", "/review", "/codebook", "/evidence", "/api/codes",
            ] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: cid.cookie]) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let page = String(buffer: response.body)
                    for secret in ["BOBSECRET", "BOBMEMO", "bob", "\"id\":\(bobs)"] {
                        #expect(!page.contains(secret), "\(uri) shows \(secret)")
                    }
                }
            }
            // Without the admin's leave, not the auto-coder's either.
            try await client.execute(uri: "/api/documents/\(id)", method: .get, headers: [.cookie: cid.cookie]) {
                #expect(!String(buffer: $0.body).contains("\"auto\""))
            }
            // Aggregates wait for the reveal.
            for uri in [
                "/api/report/patterns", "/api/codes?counts=1", "/download/summary.csv", "/download/summary.json",
                "/download/report.html", "/download/project.qdpx",
            ] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: cid.cookie]) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                    #expect(String(buffer: response.body).contains("blind"), "\(uri)")
                }
            }
            // Acting on what one cannot see: as if it were not there.
            try await client.execute(uri: "/api/codings/\(bobs)", method: .delete, headers: cid.headers) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("bob"))
            }
            try await client.execute(
                uri: "/api/codings/\(autoID)/review", method: .post, headers: cid.headers,
                body: try body(["decision": "accept"])
            ) { #expect($0.status == .notFound) }
            // Bob sees his own; the admin sees everything.
            try await client.execute(uri: "/api/documents/\(id)", method: .get, headers: [.cookie: bob.cookie]) {
                #expect(String(buffer: $0.body).contains("BOBSECRET"))
            }
            try await client.execute(uri: "/api/documents/\(id)", method: .get, headers: [.cookie: ann.cookie]) {
                #expect(String(buffer: $0.body).contains("BOBSECRET"))
            }
            try await client.execute(uri: "/api/assignments", method: .get, headers: [.cookie: ann.cookie]) {
                response in
                let list = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                let first = (list as? [[String: Any]])?.first
                #expect(first?["coders"] as? [String] == ["bob", "cid"])
                #expect(first?["blind"] as? Bool == true)
            }
            // The reveal: cid sees bob's coding, and the reports open.
            try await client.execute(
                uri: "/api/reveal", method: .post, headers: ann.headers, body: try body(["all": true])
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/documents/\(id)", method: .get, headers: [.cookie: cid.cookie]) {
                #expect(String(buffer: $0.body).contains("BOBSECRET"))
            }
            try await client.execute(uri: "/api/report/patterns", method: .get, headers: [.cookie: cid.cookie]) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func theActivityLogSaysWhoChangedWhatForAdminsOnly() async throws {
        let id = try base.interviewID()
        let view = try #require(try base.workbench.documentView(id: id))
        let segment = view.segments[1]
        let text = String(
            String.UnicodeScalarView(Array(view.text.unicodeScalars)[segment.start..<(segment.start + 6)]))
        try await app().test(.router) { client in
            let (ann, bob) = (try await signIn(client, "ann"), try await signIn(client, "bob"))
            let coded = try await client.execute(
                uri: "/api/codings", method: .post, headers: bob.headers,
                body: try body([
                    "document_id": id, "start": segment.start, "end": segment.start + 6, "text": text,
                    "code": "market.demand",
                ])
            ) { response in
                try #require(
                    (try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                        as? [String: [Int64]])?["ids"]?.first)
            }
            try await client.execute(uri: "/api/codings/\(coded)", method: .delete, headers: bob.headers) {
                #expect($0.status == .noContent)
            }
            try await client.execute(
                uri: "/api/codebook", method: .post, headers: ann.headers,
                body: try body(["op": "rename", "code": "market.demand", "to": "market.need"])
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/activity", method: .get, headers: [.cookie: bob.cookie]) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/activity", method: .get, headers: [.cookie: ann.cookie]) { response in
                let entries = try #require(
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                        as? [[String: String]])
                let actions = entries.map { "\($0["user"] ?? "") \($0["action"] ?? "")" }
                #expect(
                    actions == ["ann sign in", "bob sign in", "bob code", "bob unmark", "ann codebook"], "\(actions)")
                #expect(entries[2]["detail"]?.contains("market.demand") == true)
                #expect(entries[4]["detail"]?.contains("market.need") == true)
            }
            try await client.execute(uri: "/download/activity.csv", method: .get, headers: [.cookie: ann.cookie]) {
                response in
                let csv = String(buffer: response.body)
                #expect(csv.hasPrefix("at,user,action,detail"))
                #expect(csv.contains("bob,unmark"))
            }
        }
    }

    @Test func theAgreementIsTheCommandLinesAndConsensusIsACoder() async throws {
        let id = try base.interviewID()
        let view = try #require(try base.workbench.documentView(id: id))
        let (first, second) = (view.segments[1].id, view.segments[3].id)
        try base.workbench.addCoding(.segment(first), code: "market.demand", coder: "ann")
        try base.workbench.addCoding(.segment(first), code: "market.demand", coder: "bob")
        try base.workbench.addCoding(.segment(second), code: "market.demand", coder: "bob")
        // The command line's JSON on the same project file.
        let cli = try CommandRunner().run(
            ["agreement", "--coders", "ann,bob", "--format", "json", "--project", base.workbench.path],
            in: base.folder.path)
        #expect(cli.status == 0, "\(cli.stderr)")
        try await app().test(.router) { client in
            let (ann, bob) = (try await signIn(client, "ann"), try await signIn(client, "bob"))
            try await client.execute(uri: "/api/agreement?coders=ann,bob", method: .get, headers: [.cookie: bob.cookie])
            { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == cli.stdout)
            }
            try await client.execute(uri: "/api/agreement?unit=sentence", method: .get, headers: [.cookie: bob.cookie])
            {
                #expect($0.status == .unprocessableContent)
            }
            let disagreements = try await client.execute(
                uri: "/api/agreement/disagreements?coders=ann,bob", method: .get, headers: [.cookie: ann.cookie]
            ) { response in
                let answer = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                return try #require((answer as? [String: Any])?["disagreements"] as? [[String: Any]])
            }
            #expect(disagreements.count == 1)
            #expect(disagreements.first?["segment"] as? Int64 == second)
            let decision = try body(["segment": second, "code": "market.demand", "decision": "code"])
            try await client.execute(uri: "/api/consensus", method: .post, headers: bob.headers, body: decision) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/consensus", method: .post, headers: ann.headers, body: decision) {
                #expect($0.status == .ok)
            }
            #expect(
                try base.workbench.codingRecords(coders: ["consensus"]).map(\.segment) == [second])
            // A decision on an unknown code changes nothing.
            try await client.execute(
                uri: "/api/consensus", method: .post, headers: ann.headers,
                body: try body(["segment": second, "code": "market.nothing", "decision": "none"])
            ) { #expect($0.status == .unprocessableContent) }
            #expect(try base.workbench.codingRecords(coders: ["consensus"]).count == 1)
            try await client.execute(
                uri: "/api/consensus", method: .post, headers: ann.headers,
                body: try body(["segment": second, "code": "market.demand", "decision": "none"])
            ) { response in
                #expect(response.status == .ok)
                let answer = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                #expect((answer as? [String: Any])?["removed"] as? Int == 1)
            }
            #expect(try base.workbench.codingRecords(coders: ["consensus"]).isEmpty)
            // The originals are kept.
            #expect(try base.workbench.codingRecords(coders: ["ann", "bob"]).count == 3)
            // "Edit": an admin codes the consensus span in the reader; nobody else, and as nobody else.
            let span = try body([
                "document_id": id, "start": view.segments[1].start, "end": view.segments[1].start + 4,
                "text": String(
                    String.UnicodeScalarView(
                        Array(view.text.unicodeScalars)[view.segments[1].start..<(view.segments[1].start + 4)])),
                "code": "market.demand", "as": "consensus",
            ])
            try await client.execute(uri: "/api/codings", method: .post, headers: bob.headers, body: span) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/codings", method: .post, headers: ann.headers, body: span) {
                #expect($0.status == .created)
            }
            #expect(try base.workbench.codingRecords(coders: ["consensus"]).map(\.end) == [view.segments[1].start + 4])
            var impostor = try JSONSerialization.jsonObject(with: Data(String(buffer: span).utf8)) as! [String: Any]
            impostor["as"] = "bob"
            try await client.execute(uri: "/api/codings", method: .post, headers: ann.headers, body: try body(impostor))
            { #expect($0.status == .unprocessableContent) }
        }
    }

    @Test func hostileTextInEveryFieldStaysText() async throws {
        let hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
        let id = try base.interviewID()
        let view = try #require(try base.workbench.documentView(id: id))
        let segment = view.segments[1]
        let text = String(
            String.UnicodeScalarView(Array(view.text.unicodeScalars)[segment.start..<(segment.start + 6)]))
        try await app().test(.router) { client in
            let ann = try await signIn(client, "ann")
            for (method, uri, payload) in [
                (HTTPRequest.Method.post, "/api/memos", try body(["text": hostile])),
                (.post, "/api/memos", try body(["text": hostile, "segment_id": segment.id])),
                (.post, "/api/memos", try body(["text": hostile, "region": "Guangdong", "code": "market"])),
                (
                    .post, "/api/codings",
                    try body([
                        "document_id": id, "start": segment.start, "end": segment.start + 6, "text": text,
                        "code": "market.demand", "memo": hostile,
                    ])
                ),
                (
                    .put, "/api/grid",
                    try body(["region": "Guangdong", "code": "market", "descriptor": hostile, "note": hostile])
                ),
            ] {
                try await client.execute(uri: uri, method: method, headers: ann.headers, body: payload) {
                    #expect([.ok, .created].contains($0.status), "\(uri)")
                }
            }
            // Fields that name things are refused rather than stored.
            for (uri, payload) in [
                ("/api/codebook", try body(["op": "rename", "code": "market.demand", "to": hostile])),
                ("/api/assignments", try body(["document": hostile, "coders": ["bob"]])),
                ("/api/session", try body(["user": hostile, "password": hostile])),
            ] {
                try await client.execute(uri: uri, method: .post, headers: ann.headers, body: payload) { response in
                    #expect([.unprocessableContent, .notFound, .unauthorized].contains(response.status), "\(uri)")
                    // An error may quote the input, as JSON that no browser runs as a page.
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                }
            }
            // Every page: the stored text never comes back as markup (scripts set it as text).
            for uri in ["/", "/documents/\(id)", "/review", "/codebook", "/evidence", "/agreement"] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: ann.cookie]) { response in
                    let page = String(buffer: response.body)
                    #expect(!page.contains("<script>alert") && !page.contains("<img src=x"), "\(uri)")
                }
            }
            // In JSON it is a string, escaped as JSON.
            try await client.execute(uri: "/api/memos", method: .get, headers: [.cookie: ann.cookie]) { response in
                let memos = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                #expect((memos as? [[String: Any]])?.allSatisfy { $0["text"] as? String == hostile } == true)
            }
        }
    }
}
