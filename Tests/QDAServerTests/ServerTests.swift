import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QDAKit
import QDAKitTestSupport
import QDAServer
import Testing

/// The server's routes and access rules, through HummingbirdTesting: the JSON API
/// contract of docs/server.md, and the security checks.
@Suite struct ServerTests {
    let folder: TemporaryDirectory
    let workbench: Workbench
    let access: ServerAccess
    /// An interview whose second answer mixes Chinese and emoji (a surrogate pair in UTF-16).
    static let interview = """
        ---
        region: Guangdong
        ---
        Q: What helps?

        A: Demand from abroad is strong. 我们的研发很强 🚀 and the university helps.

        Q: And the market?

        A: Demand is weak at home.
        """

    init() throws {
        folder = try TemporaryDirectory()
        workbench = try Workbench.create(at: folder.url("p.sqlite"))
        _ = try workbench.loadCodebook(path: try folder.write("tiny.yaml", Fixtures.tinyCodebook))
        try folder.write("corpus/gd-1.txt", Self.interview)
        try folder.write("corpus/<script>alert(1)</script>.txt", "A: Demand from the mines.\n")
        _ = try workbench.ingest(paths: [folder.url("corpus")], autoCode: true)
        access = ServerAccess(host: "127.0.0.1", token: "secret-token")
    }

    func app() -> some ApplicationProtocol {
        Application(router: WorkbenchServer.router(workbench: workbench, access: access, coder: "ann"))
    }

    var bearer: HTTPFields { [.authorization: "Bearer secret-token"] }

    func json(_ buffer: ByteBuffer) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8))
    }

    func interviewID() throws -> Int64 {
        try #require(workbench.documentSummaries().first { $0.name == "corpus/gd-1.txt" }).id
    }

    @Test func withoutTheTokenNothingIsServed() async throws {
        try await app().test(.router) { client in
            for uri in ["/", "/api/documents", "/api/report/patterns", "/documents/1"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/documents", method: .get, headers: [.authorization: "Bearer nope"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func theDocumentsAndOneDocumentAsTheContractSays() async throws {
        let id = try interviewID()
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/documents", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                let list = try #require(try json(response.body) as? [[String: Any]])
                #expect(list.count == 2)
                let first = try #require(list.first { ($0["name"] as? String) == "corpus/gd-1.txt" })
                // The contract's names, and more beside them.
                #expect(Set(first.keys).isSuperset(of: ["id", "name", "region", "kind", "length", "codings"]))
                #expect(first["segments"] as? Int == 2)
                #expect(first["coded_segments"] as? Int == 2)
                #expect(first["coders"] as? [String] == ["auto"])
                #expect(first["region"] as? String == "Guangdong")
                #expect(first["kind"] as? String == "interview")
            }
            try await client.execute(uri: "/api/documents/\(id)", method: .get, headers: bearer) { response in
                let document = try #require(try json(response.body) as? [String: Any])
                #expect(Set(document.keys) == ["id", "name", "region", "text", "segments", "codings"])
                let segments = try #require(document["segments"] as? [[String: Any]])
                #expect(segments.count == 4)
                #expect(Set(segments[1].keys).isSuperset(of: ["id", "start", "end"]))
                #expect(segments[1]["speaker"] as? String == "A")
                let codings = try #require(document["codings"] as? [[String: Any]])
                #expect(
                    codings.contains { $0["coder"] as? String == "auto" && $0["code"] as? String == "market.demand" })
            }
            try await client.execute(uri: "/api/documents/999", method: .get, headers: bearer) {
                #expect($0.status == .notFound)
            }
        }
    }

    /// A selection with Chinese and an emoji, sent as code points with its text: stored
    /// exactly, seen by the library as the CLI sees it; a drifted selection is refused.
    @Test func codingASelectionStoresExactlyThatText() async throws {
        let id = try interviewID()
        let view = try #require(try workbench.documentView(id: id))
        let scalars = Array(view.text.unicodeScalars)
        let passage = "我们的研发很强 🚀"
        let start = try #require(view.text.range(of: passage)).lowerBound
        let startOffset = view.text.unicodeScalars.distance(from: view.text.unicodeScalars.startIndex, to: start)
        let endOffset = startOffset + passage.unicodeScalars.count
        #expect(String(String.UnicodeScalarView(scalars[startOffset..<endOffset])) == passage)
        func body(_ text: String, code: String = "technology.base", start: Int? = nil, end: Int? = nil) throws
            -> ByteBuffer
        {
            let object: [String: Any] = [
                "document_id": id, "start": start ?? startOffset, "end": end ?? endOffset, "text": text,
                "code": code, "valence": 1,
            ]
            return ByteBuffer(
                string: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        // Across two segments (the end of a question and the start of the answer after it).
        let acrossStart = view.segments[2].end - 3
        let acrossEnd = view.segments[3].start + 3
        let acrossText = String(String.UnicodeScalarView(scalars[acrossStart..<acrossEnd]))
        let good = try body(passage)
        let drifted = try body("我们的研发很强 🚗")
        let unknown = try body(passage, code: "market.nothing")
        let across = try body(acrossText, code: "market.demand", start: acrossStart, end: acrossEnd)
        var json = bearer
        json[.contentType] = "application/json"
        let headers = json
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/codings", method: .post, headers: headers, body: good) {
                #expect($0.status == .created)
                let ids = try #require(try self.json($0.body) as? [String: [Int]])["ids"]
                #expect(ids?.count == 1)
            }
            try await client.execute(uri: "/api/codings", method: .post, headers: headers, body: drifted) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/api/codings", method: .post, headers: headers, body: unknown) {
                #expect($0.status == .unprocessableContent)
                #expect(String(buffer: $0.body).contains("market.nothing"))
            }
            try await client.execute(uri: "/api/codings", method: .post, headers: headers, body: across) {
                #expect($0.status == .created)
                let ids = try #require(try self.json($0.body) as? [String: [Int]])["ids"]
                #expect(ids?.count == 2)
            }
        }
        let ann = try workbench.codingRecords(coders: ["ann"])
        #expect(ann.contains { $0.text == passage && $0.code == "technology.base" && $0.valence == 1 })
    }

    @Test func unmarkingAndReviewing() async throws {
        let id = try interviewID()
        let view = try #require(try workbench.documentView(id: id))
        let auto = try #require(view.codings.first { $0.coder == "auto" })
        let mine = try workbench.codeSelection(
            documentID: id, start: auto.start, end: auto.end, text: auto.text, code: "market.demand", coder: "ann")
        let mineID = try #require(mine.first).id
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/codings/\(auto.id)", method: .delete, headers: bearer) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/codings/\(mineID)", method: .delete, headers: bearer) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/api/codings/\(mineID)", method: .delete, headers: bearer) {
                #expect($0.status == .notFound)
            }
            var headers = bearer
            headers[.contentType] = "application/json"
            let reviewHeaders = headers
            try await client.execute(
                uri: "/api/codings/\(auto.id)/review", method: .post, headers: reviewHeaders,
                body: ByteBuffer(string: #"{"decision":"reject"}"#)
            ) {
                #expect($0.status == .ok)
            }
        }
        #expect(try !workbench.codingRecords().contains { $0.id == auto.id || $0.id == mineID })
    }

    @Test func thePatternReportIsTheCommandLines() async throws {
        let expected = try ReportRendering.render(try workbench.patternReport(), format: .json, quotes: 2)
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/report/patterns", method: .get, headers: bearer) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == expected)
            }
        }
    }

    /// The launch token becomes an HttpOnly, SameSite=Strict cookie and leaves the address;
    /// a state change with the cookie needs the CSRF token of the page and the same origin.
    @Test func theTokenBecomesASessionAndChangesNeedItsCSRFToken() async throws {
        let id = try interviewID()
        let view = try #require(try workbench.documentView(id: id))
        let segment = view.segments[1]
        let text = String(
            String.UnicodeScalarView(Array(view.text.unicodeScalars)[segment.start..<(segment.start + 6)]))
        let payload =
            #"{"document_id":\#(id),"start":\#(segment.start),"end":\#(segment.start + 6),"text":"\#(text)","code":"market.demand"}"#
        try await app().test(.router) { client in
            let cookie = try await client.execute(uri: "/?token=secret-token", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/")
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Strict"))
                return String(setCookie.prefix { $0 != ";" })
            }
            let csrf = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                // A file name with markup is text on the page.
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;.txt"))
                #expect(!page.contains("<script>alert"))
                let marker = #"<meta name="csrf-token" content=""#
                let after = try #require(page.range(of: marker)).upperBound
                return String(page[after...].prefix { $0 != "\"" })
            }
            #expect(csrf.count == 64)
            let plain: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
            var crossSite = plain
            crossSite[HTTPField.Name("X-CSRF-Token")!] = csrf
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            var sameOrigin = crossSite
            sameOrigin[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            for (headers, status) in [
                (plain, HTTPResponse.Status.forbidden), (crossSite, .forbidden), (sameOrigin, .created),
            ] {
                try await client.execute(
                    uri: "/api/codings", method: .post, headers: headers, body: ByteBuffer(string: payload)
                ) {
                    #expect($0.status == status)
                }
            }
        }
    }

    /// The codebook for a picker, and memos written and listed as `qda memo` does.
    @Test func theCodebookAndMemos() async throws {
        var headers = bearer
        headers[.contentType] = "application/json"
        let json = headers
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/codes", method: .get, headers: bearer) { response in
                let codes = try #require(try self.json(response.body) as? [[String: Any]])
                #expect(
                    codes.map { $0["key"] as? String } == ["technology", "technology.base", "market", "market.demand"])
                let demand = try #require(codes.last)
                #expect(demand["label"] as? String == "Demand")
                #expect(demand["group"] as? String == "market")
                #expect(demand["codings"] == nil)
            }
            try await client.execute(uri: "/api/codes?counts=1", method: .get, headers: bearer) { response in
                let codes = try #require(try self.json(response.body) as? [[String: Any]])
                #expect((codes.last?["codings"] as? Int ?? 0) >= 2)
            }
            try await client.execute(
                uri: "/api/memos", method: .post, headers: json,
                body: ByteBuffer(string: #"{"text":"Export demand is the story here.","document":"corpus/gd-1.txt"}"#)
            ) {
                #expect($0.status == .created)
            }
            try await client.execute(
                uri: "/api/memos", method: .post, headers: json,
                body: ByteBuffer(string: #"{"text":"Rated + on thin ground.","code":"market","region":"Guangdong"}"#)
            ) {
                #expect($0.status == .created)
            }
            try await client.execute(
                uri: "/api/memos", method: .post, headers: json,
                body: ByteBuffer(string: #"{"text":"Where?","document":"corpus/gd-1.txt","code":"market"}"#)
            ) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(
                uri: "/api/memos", method: .post, headers: json,
                body: ByteBuffer(string: #"{"text":"  ","document":"corpus/gd-1.txt"}"#)
            ) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/memos", method: .get, headers: bearer) { response in
                let memos = try #require(try self.json(response.body) as? [[String: Any]])
                #expect(memos.count == 2)
                #expect(memos.allSatisfy { $0["author"] as? String == "ann" })
            }
        }
        #expect(try workbench.memos().map(\.target) == ["document", "cell"])
    }

    /// DNS rebinding: a request whose `Host` is not the name the server was bound to is
    /// refused before any route (the router test client sends `localhost`).
    @Test func anotherHostNameIsRefused() async throws {
        let elsewhere = ServerAccess(host: "192.0.2.1", token: "secret-token")
        let app = Application(router: WorkbenchServer.router(workbench: workbench, access: elsewhere, coder: "ann"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/documents", method: .get, headers: bearer) {
                #expect($0.status == .misdirectedRequest)
            }
        }
        #expect(elsewhere.hosts == ["192.0.2.1"])
        #expect(access.hosts.isSuperset(of: ["127.0.0.1", "localhost"]))
    }
}
