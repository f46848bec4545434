import Foundation
import Hummingbird
import QDAKit

/// The server's HTML, rendered on the server. Every piece of text from the project goes
/// through `e` (HTML-escaped for text and attributes); pages load their scripts as ES
/// modules from `/static/` and run no inline script (the Content-Security-Policy forbids it).
enum Pages {
    static func e(_ text: String) -> String { HTMLReport.escape(text) }

    static func html(_ body: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The frame of every page: navigation, the session's CSRF token for scripts, and the
    /// page's script module.
    static func page(
        title: String, csrf: String?, current: String, script: String? = nil, user: String? = nil, _ body: String
    ) -> String {
        let links = [
            ("/", "Documents"), ("/review", "Review"), ("/codebook", "Codebook"), ("/evidence", "Evidence"),
            ("/agreement", "Agreement"),
        ]
        let nav = links.map { href, label in
            "<a href=\"\(href)\"\(label == current ? " aria-current=\"page\"" : "")>\(label)</a>"
        }.joined(separator: " ")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="csrf-token" content="\(e(csrf ?? ""))">
            <title>\(e(title))</title>
            <link rel="stylesheet" href="/static/workbench.css">
            \(script.map { "<script type=\"module\" src=\"/static/\($0)\"></script>" } ?? "")
            </head><body>
            <header><b>qda</b> <nav>\(nav)</nav><span id="status" role="status" aria-live="polite"></span>\
            \(user.map { "<span class=\"user\">\(e($0))</span> <button type=\"button\" id=\"logout\">sign out</button>" } ?? "")\
            </header>
            <main>
            \(body)
            </main></body></html>
            """
    }

    /// A team server's sign-in form (login.js posts it to `/api/session`).
    static func login() -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in</title>
        <link rel="stylesheet" href="/static/workbench.css">
        <script type="module" src="/static/login.js"></script>
        </head><body>
        <header><b>qda</b></header>
        <main class="narrow">
        <h1>Sign in</h1>
        <form id="login">
        <p><label>user name<br><input name="user" autocomplete="username" required autofocus></label></p>
        <p><label>password<br><input name="password" type="password" autocomplete="current-password" required>\
        </label></p>
        <p><button>sign in</button> <span id="status" role="status" aria-live="polite"></span></p>
        </form>
        </main></body></html>
        """
    }

    /// The documents, with filters, full-text search, upload and downloads.
    static func documents(
        _ documents: [DocumentSummary], csrf: String?, user: String? = nil, admin: Bool = false
    ) -> String {
        var rows = ""
        for document in documents {
            let coded =
                document.segments == 0
                ? "–" : "\(Int((100 * Double(document.codedSegments) / Double(document.segments)).rounded())) %"
            rows += """
                <tr data-region="\(e(document.region ?? ""))" data-kind="\(e(document.kind))" \
                data-coders="\(e(document.coders.joined(separator: " ")))" \
                data-attributes="\(e(document.attributes.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\u{1F}")))">\
                <td><a href="/documents/\(document.id)">\(e(document.name))</a></td>\
                <td>\(e(document.region ?? ""))</td><td>\(e(document.kind))</td>\
                <td class="n">\(document.length)</td><td class="n">\(document.codings)</td>\
                <td class="n" title="\(document.codedSegments) of \(document.segments) segments">\(coded)</td>\
                <td>\(e(document.coders.joined(separator: ", ")))</td></tr>\n
                """
        }
        func options(_ values: [String]) -> String {
            Set(values).sorted().map { "<option>\(e($0))</option>" }.joined()
        }
        let filters = """
            <form id="filters" class="bar" role="search">
            <label>region <select name="region"><option value="">all</option>\
            \(options(documents.compactMap(\.region)))</select></label>
            <label>kind <select name="kind"><option value="">all</option>\
            \(options(documents.map(\.kind)))</select></label>
            <label>coder <select name="coder"><option value="">all</option>\
            \(options(documents.flatMap(\.coders)))</select></label>
            <label>attribute <select name="attribute"><option value="">all</option>\
            \(options(documents.flatMap { $0.attributes.map { "\($0.key)=\($0.value)" } }))</select></label>
            <label>search the text <input name="q" type="search" placeholder="words or 中文"></label>
            </form>
            <section id="hits" hidden></section>
            """
        let table =
            documents.isEmpty
            ? "<p>The project has no documents yet: drop files below, or run <code>qda ingest</code>.</p>"
            : """
            <table id="documents"><thead><tr><th>document</th><th>region</th><th>kind</th><th>length</th>\
            <th>codings</th><th>coded</th><th>coders</th></tr></thead><tbody>
            \(rows)</tbody></table>
            """
        let upload = """
            <section id="upload" class="drop" tabindex="0" aria-label="Add documents">
            <p>Drop interview or literature files here (text, Markdown, DOCX, PDF, CSV …), or
            <label class="button">choose files<input type="file" multiple hidden></label>.
            Each is read as <code>qda ingest</code> reads it and coded with the codebook.</p>
            <ul id="uploads"></ul></section>
            <p class="downloads">Download: <a href="/download/report.html">HTML report</a> ·
            <a href="/download/summary.csv">coded summary (CSV)</a> ·
            <a href="/download/summary.json">coded summary (JSON)</a> ·
            <a href="/download/project.qdpx">REFI-QDA project (.qdpx)</a></p>
            """
        // A team server's admin assigns documents to coders, blind until revealed.
        let blind =
            !admin
            ? ""
            : """
            <form id="blind" class="bar"><b>Blind coding:</b>
            <select name="document" aria-label="document">\(documents.map { "<option>\(e($0.name))</option>" }.joined())\
            </select>
            <input name="coders" placeholder="coders, comma-separated" aria-label="coders">
            <label><input type="checkbox" name="show_auto"> show auto codings</label>
            <button name="assign">assign blind</button>
            <button type="button" name="reveal">reveal</button> <button type="button" name="all">reveal all</button>
            </form>
            <ul id="assignments" class="hint"></ul>
            """
        return page(
            title: "Documents", csrf: csrf, current: "Documents", script: "documents.js", user: user,
            "<h1>Documents</h1>\n" + filters + table + blind + upload)
    }

    /// One document by segment (speaker turns with timestamps, pages); the script lays the
    /// codings over the text and codes selections.
    static func reader(_ view: DocumentView, csrf: String?, user: String? = nil) -> String {
        let scalars = Array(view.text.unicodeScalars)
        var body = """
            <h1>\(e(view.name))</h1>
            <p class="meta">\(e(view.region ?? "no region")) · \(view.segments.count) segments</p>
            <form id="tools" class="bar">
            <label><input type="checkbox" name="auto" checked> auto codings</label>
            <label>coder <select name="coder"><option value="">all</option></select></label>
            <label>code <select name="code"><option value="">all</option></select></label>
            <button type="button" id="prev" title="previous coding of the code (k)">◀</button>
            <button type="button" id="next" title="next coding of the code (j)">▶</button>
            <button type="button" id="undo" title="undo (Ctrl+Z)">undo</button>
            <button type="button" id="redo" title="redo (Ctrl+Shift+Z)">redo</button>
            <button type="button" id="memo" title="memo on the selection's segment or the document (n)">memo</button>
            </form>
            <p class="hint">Select text and press <kbd>c</kbd> (or Enter) to code it; <kbd>n</kbd> writes a memo; \
            on a coding, <kbd>Delete</kbd> unmarks, <kbd>r</kbd> recodes, <kbd>m</kbd> moves it to the selection; \
            <kbd>j</kbd>/<kbd>k</kbd> next/previous coding; <kbd>Ctrl+Z</kbd> undo.</p>
            <div id="memos"></div>
            <article id="reader" data-document-id="\(view.id)">

            """
        var lastPage: Int?
        for segment in view.segments {
            let a = min(max(segment.start, 0), scalars.count)
            let b = min(max(segment.end, a), scalars.count)
            let text = String(String.UnicodeScalarView(scalars[a..<b]))
            if let page = segment.page, page != lastPage {
                body += "<p class=\"page\" id=\"page\(page)\">page \(page)</p>\n"
                lastPage = page
            }
            let classes = ["segment"] + (segment.interviewer ? ["aside"] : []) + (segment.role.map { [$0] } ?? [])
            body +=
                "<section class=\"\(e(classes.joined(separator: " ")))\" id=\"s\(segment.id)\" data-start=\"\(a)\" data-end=\"\(b)\">"
            body += "<div class=\"stripes\" aria-hidden=\"true\"></div>"
            if let timestamp = segment.timestamp { body += "<span class=\"time\">\(e(timestamp))</span> " }
            if let speaker = segment.speaker { body += "<span class=\"speaker\">\(e(speaker))</span> " }
            // One piece of text per segment until codings cut it (reader.js).
            body +=
                "<span class=\"text\" data-start=\"\(a)\"><span data-start=\"\(a)\">\(e(text))</span></span></section>\n"
        }
        body += "</article>\n<aside id=\"tip\" role=\"tooltip\" hidden></aside>\n"
        return page(title: view.name, csrf: csrf, current: "", script: "reader.js", user: user, body)
    }

    /// The review queue of the auto-coder's codings and the learned suggestions (filled by the script).
    static func review(csrf: String?, user: String? = nil) -> String {
        page(
            title: "Review", csrf: csrf, current: "Review", script: "review.js", user: user,
            """
            <h1>Review the auto-coder</h1>
            <form id="filters" class="bar">
            <label>code <input name="code" placeholder="e.g. market"></label>
            <label>region <input name="region"></label>
            <label>document <input name="document"></label>
            </form>
            <p class="hint"><kbd>a</kbd> accept · <kbd>r</kbd> reject · <kbd>c</kbd> recode · \
            <kbd>s</kbd> skip · <kbd>j</kbd>/<kbd>k</kbd> next/previous. The decisions are those of \
            <code>qda review</code>: the auto-coder keeps them on its next run. Learned suggestions \
            (<code>qda suggest</code>) follow the auto-coder's codings: accepted, one becomes your \
            coding of the segment; rejected, it is never proposed again.</p>
            <ol id="queue"></ol>
            """)
    }

    /// The codebook as a tree with counts and definitions, and the edits of `qda codebook`.
    static func codebook(_ entries: [CodebookEntry], csrf: String?, user: String? = nil) -> String {
        var rows = ""
        for entry in entries {
            rows += """
                <tr data-key="\(e(entry.key))" class="depth\(entry.depth)"><td class="key">\(e(entry.key))</td>\
                <td>\(e(entry.label))</td><td class="n">\(entry.manualCodings)</td><td class="n">\(entry.autoCodings)</td>\
                <td class="definition">\(e(entry.definition ?? ""))</td></tr>\n
                """
        }
        return page(
            title: "Codebook", csrf: csrf, current: "Codebook", script: "codebook.js", user: user,
            """
            <h1>Codebook</h1>
            <form id="edit" class="bar">
            <select name="op"><option value="rename">rename</option><option value="move">move to group</option>\
            <option value="merge">merge into</option></select>
            <input name="code" placeholder="code" required list="keys">
            <input name="target" placeholder="new key, group or code" required list="keys">
            <button>apply</button></form>
            <datalist id="keys">\(entries.map { "<option value=\"\(e($0.key))\">" }.joined())</datalist>
            <p class="hint">Codings follow a renamed, moved or merged code, and the auto-coder's rules \
            stay valid, as with <code>qda codebook</code>.</p>
            <table id="codes"><thead><tr><th>key</th><th>label</th><th>by people</th><th>auto</th>\
            <th>definition</th></tr></thead><tbody>
            \(rows)</tbody></table>
            """)
    }

    /// Agreement between coders (the coefficients of `qda agreement`) and the disagreements
    /// side by side, with consensus actions for whoever may take them (agreement.js).
    static func agreement(csrf: String?, user: String?, admin: Bool) -> String {
        page(
            title: "Agreement", csrf: csrf, current: "Agreement", script: "agreement.js", user: user,
            """
            <h1>Agreement between coders</h1>
            <form id="choose" class="bar" data-consensus="\(admin)">
            <label>coders <input name="coders" placeholder="ann,bob (empty: everyone who coded)"></label>
            <label>codes <input name="codes" placeholder="e.g. market."></label>
            <label>unit <select name="unit"><option>segment</option><option>document</option>\
            <option>character</option></select></label>
            <button>compare</button></form>
            <p class="hint">The numbers of <code>qda agreement</code>: percent agreement, Cohen's κ, Fleiss' κ, \
            Krippendorff's α, Gwet's AC1 (docs/agreement.md). A consensus decision is recorded as the \
            coder <code>consensus</code>, the coders' own codings kept; compare <code>consensus</code> with each \
            coder afterwards.</p>
            <section id="result" aria-live="polite"></section>
            """)
    }

    /// The region × factor heatmap (the HTML report's SVG), each cell linking to the quotes
    /// behind it (the script shows them).
    static func evidence(
        _ report: PatternReport, codes: [CodeInfo], typology: [TypologyRule], csrf: String?, user: String? = nil
    )
        -> String
    {
        func link(_: Int, _ region: String, _ key: String) -> String {
            var components = URLComponents()
            components.path = "/evidence"
            components.queryItems = [
                URLQueryItem(name: "region", value: region), URLQueryItem(name: "code", value: key),
            ]
            return (components.string ?? "/evidence") + "#quotes"
        }
        let groups = HTMLReport.heatmap(report: report, keys: report.groups, label: "Factor groups", link: link)
        let factorCodes = codes.filter { $0.depth > 0 }.map(\.key)
        let perCode = HTMLReport.heatmap(report: report, keys: factorCodes, label: "Codes", link: link)
        return page(
            title: "Evidence", csrf: csrf, current: "Evidence", script: "evidence.js", user: user,
            """
            <h1>Evidence: region × factor</h1>
            <p class="hint">The numbers of <code>qda report patterns</code>. Click a cell for the \
            passages behind it; a hatched cell has no coded segment.</p>
            <div id="heatmaps">\(groups)\(perCode)</div>
            <section id="quotes" aria-live="polite"></section>
            \(types(report, typology: typology))
            """)
    }

    /// The types of innovation by region (Tab. 2 style): the pattern and the types whose
    /// every condition holds, with the rules.
    static func types(_ report: PatternReport, typology: [TypologyRule]) -> String {
        guard !typology.isEmpty else { return "" }
        var html = "<h2>Types of innovation by region</h2>\n<table id=\"types\"><thead><tr><th>region</th>"
        html += "<th>pattern</th><th>types</th></tr></thead><tbody>\n"
        for region in report.regions {
            let types = region.types.isEmpty ? "none" : region.types.map(\.label).joined(separator: ", ")
            html += "<tr><td>\(e(region.region))</td><td>\(e(region.pattern))</td><td>\(e(types))</td></tr>\n"
        }
        html += "</tbody></table>\n<ul class=\"hint\">"
        for rule in typology {
            html +=
                "<li>\(e(rule.label)) (\(e(rule.key))): \(e(rule.conditions.map(\.description).joined(separator: " and ")))</li>"
        }
        return html + "</ul>\n"
    }
}
