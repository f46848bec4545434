import Foundation
public import Hummingbird
public import QDAKit

/// The browser workbench: the project's documents to read, the JSON API that codes and
/// reviews them, and the pattern report — the second client of the `Workbench`, which runs
/// no SQL of its own (docs/server.md).
public enum WorkbenchServer {
    /// Request bodies larger than this are refused.
    public static let maximumBody = 1 << 20

    /// The routes of `workbench`, behind `access`; codings are made as `coder`.
    public static func router(workbench: Workbench, access: ServerAccess, coder: String) -> Router<WorkbenchContext> {
        let router = Router(context: WorkbenchContext.self)
        router.add(middleware: AccessMiddleware(access: access))
        addPages(to: router, workbench: workbench)
        addAPI(to: router, workbench: workbench, coder: coder)
        return router
    }

    /// The server's pages: the documents, and one document's text with its codings.
    static func addPages(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/") { _, context -> Response in
            return await answer {
                return Pages.html(Pages.documents(try workbench.documentSummaries(), csrf: context.csrfToken))
            }
        }
        router.get("/documents/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such document.")
            }
            return await answer {
                guard let view = try workbench.documentView(id: id) else {
                    return JSONResponse.error(.notFound, "No document #\(id) in the project.")
                }
                return Pages.html(Pages.reader(view, csrf: context.csrfToken))
            }
        }
        // No icon: an empty answer rather than a 404 in every page's console.
        router.get("/favicon.ico") { _, _ -> Response in Response(status: .noContent) }
        router.get("/static/workbench.css") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Pages.stylesheet)))
        }
    }

    /// The response of `work`, or the library error it threw as JSON (`JSONResponse.failure`).
    static func answer(_ work: () async throws -> Response) async -> Response {
        do {
            return try await work()
        } catch {
            return JSONResponse.failure(error)
        }
    }

    /// The JSON API (docs/server.md).
    static func addAPI(to router: Router<WorkbenchContext>, workbench: Workbench, coder: String) {
        let api = router.group("api")
        api.get("documents") { _, _ -> Response in
            return await answer {
                return try JSONResponse.make(
                    try workbench.documentSummaries().map {
                        DocumentItem(
                            id: $0.id, name: $0.name, region: $0.region, kind: $0.kind, length: $0.length,
                            codings: $0.codings)
                    })
            }
        }
        api.get("documents/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such document.")
            }
            return await answer {
                guard let view = try workbench.documentView(id: id) else {
                    return JSONResponse.error(.notFound, "No document #\(id) in the project.")
                }
                return try JSONResponse.make(DocumentBody(view))
            }
        }
        api.post("codings") { request, context -> Response in
            return await answer {
                let body = try await request.decode(as: NewCoding.self, context: context)
                let records = try workbench.codeSelection(
                    documentID: body.documentID, start: body.start, end: body.end, text: body.text, code: body.code,
                    coder: coder, valence: body.valence ?? 0, memo: body.memo)
                return try JSONResponse.make(["ids": records.map(\.id)], status: .created)
            }
        }
        api.delete("codings/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such coding.")
            }
            return await answer {
                try workbench.removeCoding(id: id)
                return Response(status: .noContent)
            }
        }
        api.post("codings/:id/review") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such coding.")
            }
            return await answer {
                let body = try await request.decode(as: ReviewRequest.self, context: context)
                let decision: ReviewDecision
                switch (body.decision, body.code) {
                case ("accept", _): decision = .accept
                case ("reject", _): decision = .reject
                case ("recode", let code?): decision = .recode(code)
                default:
                    return JSONResponse.error(
                        .unprocessableContent, "decision is accept, reject or recode (with a code).")
                }
                let summary = try workbench.review([id], decision: decision, reviewer: coder)
                return try JSONResponse.make(
                    ["accepted": summary.accepted, "rejected": summary.rejected, "recoded": summary.recoded])
            }
        }
        api.get("codes") { _, _ -> Response in
            await answer {
                try JSONResponse.make(
                    try workbench.codebookEntries().map {
                        CodeItem(
                            key: $0.key, label: $0.label, group: $0.group, depth: $0.depth, definition: $0.definition,
                            codings: $0.autoCodings + $0.manualCodings)
                    })
            }
        }
        api.get("memos") { _, _ -> Response in
            await answer { try JSONResponse.make(try workbench.memos()) }
        }
        api.post("memos") { request, context -> Response in
            await answer {
                let body = try await request.decode(as: NewMemo.self, context: context)
                guard let target = body.target else {
                    return JSONResponse.error(
                        .unprocessableContent, "A memo is on one of: document, segment_id, code, or region with code.")
                }
                return try JSONResponse.make(
                    try workbench.addMemo(target, text: body.text, author: coder), status: .created)
            }
        }
        api.get("report/patterns") { _, _ -> Response in
            return await answer {
                let report = try workbench.patternReport()
                return JSONResponse.raw(Data(try ReportRendering.render(report, format: .json, quotes: 2).utf8))
            }
        }
    }
}
