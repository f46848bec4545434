import Foundation
public import Hummingbird
public import QDAKit

/// The browser workbench: the project's documents to read and code, the review queue, the
/// codebook, the evidence behind the pattern report, and the JSON API under them — the
/// second client of the `Workbench`, which runs no SQL of its own (docs/server.md).
public enum WorkbenchServer {
    /// Request bodies larger than this are refused (JSON requests).
    public static let maximumBody = 1 << 20
    /// The coder a consensus decision is recorded as.
    public static let consensusCoder = "consensus"
    /// Uploaded files larger than this are refused.
    public static let maximumUpload = 64 << 20

    /// The routes of `workbench`, behind `access`; codings are made as `coder`, and every
    /// change is told to the pages listening on `live`.
    public static func router(
        workbench: Workbench, access: ServerAccess, coder: String, live: LiveUpdates = LiveUpdates()
    ) -> Router<WorkbenchContext> {
        let router = Router(context: WorkbenchContext.self)
        router.add(middleware: AccessMiddleware(access: access))
        if access.team != nil { Sessions.add(to: router, access: access) }
        addPages(to: router, workbench: workbench, access: access)
        addDownloads(to: router, workbench: workbench, access: access)
        WorkbenchAPI(workbench: workbench, coder: coder, live: live, history: CodingHistory(), access: access).add(
            to: router)
        return router
    }

    /// The server's pages: documents, a document's reader, the review queue, the codebook,
    /// the evidence; and their scripts and stylesheet.
    static func addPages(to router: Router<WorkbenchContext>, workbench: Workbench, access: ServerAccess) {
        router.get("/") { _, context -> Response in
            await answer {
                let visibility = try Visibility.of(context, access)
                let summaries = try workbench.documentSummaries().map { summary in
                    try visibility.filter(summary) { try workbench.documentView(id: summary.id) }
                }
                return Pages.html(
                    Pages.documents(
                        summaries, csrf: context.csrfToken, user: context.user, admin: context.role == .admin))
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
                return Pages.html(Pages.reader(view, csrf: context.csrfToken, user: context.user))
            }
        }
        router.get("/review") { _, context -> Response in
            Pages.html(Pages.review(csrf: context.csrfToken, user: context.user))
        }
        router.get("/codebook") { _, context -> Response in
            await answer {
                // Counts of codings are an aggregate: none while documents are coded blind.
                let counts = try Visibility.of(context, access).showsEverything
                return Pages.html(
                    Pages.codebook(
                        try workbench.codebookEntries(counts: counts), csrf: context.csrfToken, user: context.user))
            }
        }
        router.get("/agreement") { _, context -> Response in
            Pages.html(
                Pages.agreement(
                    csrf: context.csrfToken, user: context.user,
                    admin: context.role != .coder && context.role != .viewer))
        }
        router.get("/evidence") { _, context -> Response in
            await answer {
                do {
                    try Visibility.of(context, access).requireNothingBlind()
                } catch let problem as RequestProblem {
                    return Pages.html(
                        Pages.page(
                            title: "Evidence", csrf: context.csrfToken, current: "Evidence", user: context.user,
                            "<h1>Evidence</h1>\n<p>\(Pages.e(problem.message))</p>"))
                }
                return Pages.html(
                    Pages.evidence(
                        // The heatmap needs the ratings, not the quotes (a cell's are fetched when clicked).
                        try workbench.patternReport(ratingQuotes: false), codes: try workbench.codes(),
                        typology: try workbench.currentCodebook()?.typology ?? [], csrf: context.csrfToken,
                        user: context.user))
            }
        }
        // No icon: an empty answer rather than a 404 in every page's console.
        router.get("/favicon.ico") { _, _ -> Response in Response(status: .noContent) }
        router.get("/static/:name") { _, context -> Response in
            StaticFiles.response(context.parameters.get("name") ?? "")
        }
    }

    /// The report and the project to take away: the HTML report, the coded summary as CSV
    /// or JSON, and a REFI-QDA archive.
    static func addDownloads(to router: Router<WorkbenchContext>, workbench: Workbench, access: ServerAccess) {
        @Sendable func file(_ data: Data, type: String, name: String) -> Response {
            Response(
                status: .ok,
                headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/download/report.html") { _, context -> Response in
            await answer {
                try Visibility.of(context, access).requireNothingBlind()
                return file(
                    Data(try workbench.htmlReport().render().utf8), type: "text/html; charset=utf-8",
                    name: "report.html")
            }
        }
        for format in [OutputFormat.csv, .json] {
            router.get(RouterPath("/download/summary.\(format.rawValue)")) { _, context -> Response in
                await answer {
                    try Visibility.of(context, access).requireNothingBlind()
                    let summary = try workbench.codedSummary(minimumSegments: PatternReport.defaultMinimumSegments)
                    return file(
                        Data(try ReportRendering.render(summary, format: format).utf8),
                        type: format == .csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
                        name: "summary.\(format.rawValue)")
                }
            }
        }
        // A team server's activity log, for admins.
        router.get("/download/activity.csv") { _, context -> Response in
            await answer {
                guard let team = access.team else { throw RequestProblem("The activity log is a team server's.") }
                guard context.role == .admin else { throw NotAllowed(needed: .admin, role: context.role ?? .viewer) }
                var table = TextTable(header: ["at", "user", "action", "detail"])
                for entry in try team.activity() { table.append([entry.at, entry.user, entry.action, entry.detail]) }
                return file(Data(table.render(.csv).utf8), type: "text/csv; charset=utf-8", name: "activity.csv")
            }
        }
        router.get("/download/project.qdpx") { _, context -> Response in
            await answer {
                try Visibility.of(context, access).requireNothingBlind()
                return file(
                    try workbench.exportQDPX(origin: "qda serve").archive, type: "application/zip", name: "project.qdpx"
                )
            }
        }
    }
}
