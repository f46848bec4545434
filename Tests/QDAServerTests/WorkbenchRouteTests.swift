import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QDAKit
import QDAKitTestSupport
import Testing

@testable import QDAServer

/// The routes the browser pages stand on: undo and redo, changing a coding, the review
/// queue, codebook edits, evidence and search, upload, downloads, static files, and live
/// updates.
extension ServerTests {
    var jsonHeaders: HTTPFields {
        var headers = bearer
        headers[.contentType] = "application/json"
        return headers
    }

    func body(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    /// The text of code points `start..<end` of document `id`.
    func passage(_ id: Int64, _ text: String) throws -> (start: Int, end: Int) {
        let view = try #require(try workbench.documentView(id: id))
        let at = try #require(view.text.range(of: text)).lowerBound
        let start = view.text.unicodeScalars.distance(from: view.text.unicodeScalars.startIndex, to: at)
        return (start, start + text.unicodeScalars.count)
    }

    func annCodings(_ id: Int64) throws -> [CodingRecord] {
        try #require(try workbench.documentView(id: id)).codings.filter { $0.coder == "ann" }
    }

    @Test func undoAndRedoFollowTheCoderAcrossUnmarks() async throws {
        let id = try interviewID()
        let span = try passage(id, "我们的研发很强 🚀")
        let coding = try body([
            "document_id": id, "start": span.start, "end": span.end, "text": "我们的研发很强 🚀", "code": "market.demand",
        ])
        try await app().test(.router) { client in
            let created = try await client.execute(
                uri: "/api/codings", method: .post, headers: jsonHeaders, body: coding
            ) { response in
                #expect(response.status == .created)
                return try #require((try json(response.body) as? [String: [Int64]])?["ids"]?.first)
            }
            try await client.execute(uri: "/api/codings/\(created)", method: .delete, headers: bearer) {
                #expect($0.status == .noContent)
            }
            #expect(try annCodings(id).isEmpty)
            try await client.execute(uri: "/api/undo", method: .post, headers: bearer) { response in
                #expect(response.status == .ok)
                let answer = try #require(try json(response.body) as? [String: Any])
                #expect(answer["step"] as? String == "unmark")
                #expect(answer["undo"] as? Int == 1)
                #expect(answer["redo"] as? Int == 1)
            }
            // Put back with a new id, and still undoable as the first step.
            #expect(try annCodings(id).map(\.text) == ["我们的研发很强 🚀"])
            try await client.execute(uri: "/api/undo", method: .post, headers: bearer) { #expect($0.status == .ok) }
            #expect(try annCodings(id).isEmpty)
            try await client.execute(uri: "/api/undo", method: .post, headers: bearer) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("Nothing to undo"))
            }
            try await client.execute(uri: "/api/redo", method: .post, headers: bearer) { #expect($0.status == .ok) }
            #expect(try annCodings(id).map(\.code) == ["market.demand"])
            // A new step clears what could be redone.
            let other = try passage(id, "university")
            let second = try body([
                "document_id": id, "start": other.start, "end": other.end, "text": "university",
                "code": "technology.base",
            ])
            try await client.execute(uri: "/api/codings", method: .post, headers: jsonHeaders, body: second) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/api/history", method: .get, headers: bearer) { response in
                let counts = try json(response.body) as? [String: Int]
                #expect(counts == ["undo": 2, "redo": 0])
            }
        }
    }

    @Test func changingACodingIsOneStep() async throws {
        let id = try interviewID()
        let span = try passage(id, "我们的研发很强")
        let coded = try workbench.codeSelection(
            CodingSelection(documentID: id, start: span.start, end: span.end, text: "我们的研发很强", code: "market.demand"),
            coder: "ann")
        let codingID = try #require(coded.first).id
        let recode = try body(["code": "technology.base", "valence": 1, "memo": "R&D as strength"])
        let wider = try passage(id, "我们的研发很强 🚀")
        let drifted = try body(["start": wider.start, "end": wider.end, "text": "我们的研发很强 🚗"])
        let auto = try #require(try workbench.documentView(id: id)?.codings.first { $0.coder == "auto" })
        try await app().test(.router) { client in
            let newID = try await client.execute(
                uri: "/api/codings/\(codingID)", method: .patch, headers: jsonHeaders, body: recode
            ) { response in
                #expect(response.status == .ok)
                return try #require((try json(response.body) as? [String: [Int64]])?["ids"]?.first)
            }
            let after = try annCodings(id)
            #expect(after.map(\.code) == ["technology.base"])
            #expect(after.first?.valence == 1)
            #expect(after.first?.memo == "R&D as strength")
            #expect(after.first?.text == "我们的研发很强")
            // A drifted text changes nothing: the coding is still there as it was.
            try await client.execute(uri: "/api/codings/\(newID)", method: .patch, headers: jsonHeaders, body: drifted)
            {
                #expect($0.status == .conflict)
            }
            #expect(try annCodings(id).map(\.id) == [newID])
            try await client.execute(uri: "/api/codings/\(auto.id)", method: .patch, headers: jsonHeaders, body: recode)
            {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/undo", method: .post, headers: bearer) { #expect($0.status == .ok) }
            #expect(try annCodings(id).map(\.code) == ["market.demand"])
        }
    }

    @Test func theReviewQueueShowsEachPassageInItsSegment() async throws {
        try await app().test(.router) { client in
            let items = try await client.execute(uri: "/api/reviews?code=market", method: .get, headers: bearer) {
                response in
                #expect(response.status == .ok)
                return try #require(try json(response.body) as? [[String: Any]])
            }
            #expect(!items.isEmpty)
            for item in items {
                #expect((item["code"] as? String)?.hasPrefix("market") == true)
                let text = try #require(item["text"] as? String)
                #expect((item["segment_text"] as? String)?.contains(text) == true)
            }
            let first = try #require(items.first?["id"] as? Int64)
            try await client.execute(
                uri: "/api/codings/\(first)/review", method: .post, headers: jsonHeaders,
                body: try body(["decision": "accept"])
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/reviews?code=market", method: .get, headers: bearer) { response in
                let after = try #require(try json(response.body) as? [[String: Any]])
                #expect(after.count == items.count - 1)
            }
        }
    }

    @Test func codebookEditsAsQdaCodebookMakesThem() async throws {
        let before = try workbench.codebookEntries().first { $0.key == "technology.base" }
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/codebook", method: .post, headers: jsonHeaders,
                body: try body(["op": "rename", "code": "technology.base", "to": "technology.core"])
            ) { response in
                #expect(response.status == .ok)
                let answer = try #require(try json(response.body) as? [String: Any])
                #expect((answer["renamed"] as? [String: String])?["technology.base"] == "technology.core")
            }
            try await client.execute(
                uri: "/api/codebook", method: .post, headers: jsonHeaders,
                body: try body(["op": "rename", "code": "technology.nothing", "to": "technology.x"])
            ) { #expect($0.status == .unprocessableContent) }
            try await client.execute(
                uri: "/api/codebook", method: .post, headers: jsonHeaders,
                body: try body(["op": "explode", "code": "technology.core"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("rename"))
            }
        }
        let after = try workbench.codebookEntries().first { $0.key == "technology.core" }
        #expect(after?.autoCodings == before?.autoCodings)
        #expect(try workbench.codebookEntries().contains { $0.key == "technology.base" } == false)
    }

    @Test func evidenceAndSearchFindThePassages() async throws {
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/evidence?code=technology&region=Guangdong", method: .get, headers: bearer
            ) { response in
                #expect(response.status == .ok)
                let answer = try #require(try json(response.body) as? [String: Any])
                let segments = try #require(answer["segments"] as? [[String: Any]])
                #expect(segments.count == answer["total"] as? Int)
                #expect(segments.contains { ($0["text"] as? String)?.contains("研发") == true })
                #expect(segments.allSatisfy { $0["document_id"] as? Int64 != nil })
            }
            try await client.execute(uri: "/api/evidence?region=Guangdong", method: .get, headers: bearer) {
                #expect($0.status == .unprocessableContent)
            }
            let query = "研发".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await client.execute(uri: "/api/search?q=\(query)", method: .get, headers: bearer) { response in
                let answer = try #require(try json(response.body) as? [String: Any])
                let segments = try #require(answer["segments"] as? [[String: Any]])
                #expect(segments.first?["document"] as? String == "corpus/gd-1.txt")
            }
        }
    }

    @Test func anUploadIsReadAsIngestReadsItOrNotAtAll() async throws {
        let count = try workbench.documentCount()
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/documents?name=zj-2.txt&region=Zhejiang", method: .post, headers: bearer,
                body: ByteBuffer(string: "Q: And?\n\nA: The university and strong demand.\n")
            ) { response in
                #expect(response.status == .created)
                let answer = try #require(try json(response.body) as? [String: Int])
                #expect(answer["added"] == 1)
                #expect(answer["coded"] ?? 0 >= 2)
            }
            #expect(try workbench.documentSummaries().first { $0.name == "uploads/zj-2.txt" }?.region == "Zhejiang")
            // The same file again is the same document, unchanged.
            try await client.execute(
                uri: "/api/documents?name=zj-2.txt&region=Zhejiang", method: .post, headers: bearer,
                body: ByteBuffer(string: "Q: And?\n\nA: The university and strong demand.\n")
            ) { response in
                let answer = try #require(try json(response.body) as? [String: Int])
                #expect(answer["added"] == 0)
                #expect(answer["skipped"] == 1)
            }
            for name in ["../escape.txt", "", ".hidden.txt", "a%2Fb.txt"] {
                try await client.execute(
                    uri: "/api/documents?name=\(name)", method: .post, headers: bearer,
                    body: ByteBuffer(string: "A: x\n")
                ) { response in
                    #expect(response.status == .unprocessableContent, "\(name)")
                    #expect(String(buffer: response.body).contains("not a file name"))
                }
            }
            try await client.execute(
                uri: "/api/documents?name=broken.docx", method: .post, headers: bearer,
                body: ByteBuffer(string: "not a zip at all")
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("broken.docx"))
            }
        }
        #expect(try workbench.documentCount() == count + 1)
    }

    @Test func downloadsAndStaticFiles() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/download/summary.csv", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition]?.contains("summary.csv") == true)
                #expect(String(buffer: response.body).hasPrefix("region"))
            }
            try await client.execute(
                uri: "/api/grid", method: .put, headers: jsonHeaders,
                body: try body(["region": "Guangdong", "code": "market", "rating": "-", "descriptor": "weak at home"])
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/grid", method: .get, headers: bearer) { response in
                let cells = try #require(try json(response.body) as? [[String: Any]])
                #expect(cells.first?["rating"] as? String == "-")
                #expect(cells.first?["coder"] as? String == "ann")
            }
            try await client.execute(uri: "/download/summary.json", method: .get, headers: bearer) { response in
                let summary = try json(response.body)
                #expect(summary is [String: Any])
            }
            try await client.execute(uri: "/download/project.qdpx", method: .get, headers: bearer) { response in
                #expect(String(buffer: response.body).hasPrefix("PK"))
            }
            try await client.execute(uri: "/download/report.html", method: .get, headers: bearer) { response in
                #expect(String(buffer: response.body).contains("<svg"))
            }
            try await client.execute(uri: "/static/reader.js", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
                #expect(String(buffer: response.body).contains("import { api"))
            }
            for uri in ["/static/nope.js", "/static/..%2F..%2FPackage.swift", "/static/../Static/api.js"] {
                try await client.execute(uri: uri, method: .get, headers: bearer) {
                    #expect($0.status == .notFound, "\(uri)")
                }
            }
        }
    }

    @Test func everyPageEscapesTheProjectAndRunsNoInlineScript() async throws {
        // A code label and a region with markup, as a hostile codebook or file could carry.
        _ = try workbench.editCodebook(.rename("market.demand", to: "market.demand_x"))
        try folder.write("corpus2/r.txt", "---\nregion: \"</script><b>R\"\n---\nA: Demand from the university.\n")
        _ = try workbench.ingest(paths: [folder.url("corpus2")], autoCode: true)
        let id = try interviewID()
        try await app().test(.router) { client in
            for uri in ["/", "/documents/\(id)", "/review", "/codebook", "/evidence", "/evidence?region=x&code=y"] {
                try await client.execute(uri: uri, method: .get, headers: bearer) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let page = String(buffer: response.body)
                    #expect(!page.contains("</script><b>"), "\(uri)")
                    #expect(!page.contains("<script>"), "\(uri): no inline script")
                    #expect(page.contains("<script type=\"module\" src=\"/static/"), "\(uri)")
                }
            }
        }
    }

    @Test func aMemoIsEditedInPlace() async throws {
        let memo = try workbench.addMemo(.code("market.demand"), text: "first thoughts", author: "ann")
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/memos/\(memo.id)", method: .patch, headers: jsonHeaders,
                body: try body(["text": "demand at home is weak"])
            ) { response in
                #expect(response.status == .ok)
                let memo = try json(response.body) as? [String: Any]
                #expect(memo?["text"] as? String == "demand at home is weak")
            }
            try await client.execute(
                uri: "/api/memos/\(memo.id)", method: .patch, headers: jsonHeaders, body: try body(["text": "  "])
            ) { #expect($0.status == .unprocessableContent) }
            try await client.execute(
                uri: "/api/memos/999", method: .patch, headers: jsonHeaders, body: try body(["text": "x"])
            ) { #expect($0.status == .notFound) }
        }
        #expect(try workbench.memos().map(\.text) == ["demand at home is weak"])
    }

    @Test func theGridIsEditedInPlace() async throws {
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/grid", method: .put, headers: jsonHeaders,
                body: try body(["region": "Guangdong", "code": "technology", "rating": "+", "note": "R&D strong"])
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/api/grid", method: .put, headers: jsonHeaders,
                body: try body(["region": "Guangdong", "code": "market", "rating": "+++"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("+++"))
            }
            try await client.execute(
                uri: "/api/grid?region=Guangdong&code=technology", method: .delete, headers: bearer
            ) { #expect($0.status == .noContent) }
            try await client.execute(
                uri: "/api/grid?region=Guangdong&code=technology", method: .delete, headers: bearer
            ) { #expect($0.status == .notFound) }
        }
        #expect(try workbench.gridCells().isEmpty)
    }

    @Test func liveUpdatesReachEveryListener() async throws {
        let live = LiveUpdates()
        let first = live.subscribe()
        let second = live.subscribe()
        #expect(live.listenerCount == 2)
        live.publish(["type": "codings", "document_id": "7"])
        live.finishAll()
        for stream in [first, second] {
            var messages: [String] = []
            for await message in stream { messages.append(message) }
            #expect(messages == ["event: change\ndata: {\"document_id\":\"7\",\"type\":\"codings\"}\n\n"])
        }
        #expect(live.listenerCount == 0)
    }
}

/// Learned suggestions in the review queue.
@Suite struct SuggestionRouteTests {
    let folder: TemporaryDirectory
    let workbench: Workbench
    let access = ServerAccess(host: "127.0.0.1", token: "secret-token")

    /// Four documents where ann coded the lab turns, two where nobody did.
    init() throws {
        folder = try TemporaryDirectory()
        workbench = try Workbench.create(at: folder.url("s.sqlite"))
        _ = try workbench.loadCodebook(path: try folder.write("tiny.yaml", Fixtures.tinyCodebook))
        for i in 1...6 {
            try folder.write(
                "corpus/d\(i).txt",
                "---\nregion: Beijing\n---\nQ: And?\n\nA: Our lab works with the professor on sensors (\(i)).\n\n"
                    + "Q: And?\n\nA: Traffic is bad in the morning (\(i)).\n")
        }
        _ = try workbench.ingest(paths: [folder.url("corpus")], autoCode: true)
        let csv = (1...4).map { "corpus/d\($0).txt,technology.base,Our lab works with the professor,ann" }
        _ = try workbench.importCodings(
            path: try folder.write("c.csv", "document,code,text,coder\n" + csv.joined(separator: "\n")),
            defaultCoder: nil)
        _ = try workbench.trainSuggestions()
        _ = try workbench.proposeSuggestions()
    }

    var headers: HTTPFields {
        [.authorization: "Bearer secret-token", .contentType: "application/json"]
    }

    @Test func aSuggestionIsListedThenAcceptedAsTheReviewersCoding() async throws {
        let app = Application(router: WorkbenchServer.router(workbench: workbench, access: access, coder: "bo"))
        try await app.test(.router) { client in
            let items = try await client.execute(uri: "/api/suggestions", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                return try #require(
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [[String: Any]]
                )
            }
            #expect(items.count == 2)
            for (region, count) in [("Beijing", 2), ("Guizhou", 0)] {
                try await client.execute(uri: "/api/suggestions?region=\(region)", method: .get, headers: headers) {
                    let listed = try JSONSerialization.jsonObject(with: Data(String(buffer: $0.body).utf8)) as? [Any]
                    #expect(listed?.count == count, "\(region)")
                }
            }
            #expect(
                items.allSatisfy { $0["kind"] as? String == "suggestion" && $0["code"] as? String == "technology.base" }
            )
            #expect(items.allSatisfy { ($0["segment_text"] as? String)?.contains("professor") == true })
            let first = try #require(items.first?["id"] as? Int64)
            let second = try #require(items.last?["id"] as? Int64)
            let accept = ByteBuffer(string: #"{"decision":"accept"}"#)
            try await client.execute(uri: "/api/suggestions/\(first)", method: .post, headers: headers, body: accept) {
                #expect($0.status == .ok)
            }
            #expect(try workbench.codingRecords(coders: ["bo"]).count == 1)
            try await client.execute(
                uri: "/api/suggestions/\(second)", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"decision":"recode"}"#)
            ) { #expect($0.status == .unprocessableContent) }
            try await client.execute(
                uri: "/api/suggestions/\(second)", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"decision":"reject"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/suggestions/\(second)", method: .post, headers: headers, body: accept) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/suggestions", method: .get, headers: headers) { response in
                let left = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [Any]
                #expect(left?.isEmpty == true)
            }
        }
        #expect(try workbench.proposeSuggestions() == 0)
    }
}
