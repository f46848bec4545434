import Foundation
import Hummingbird
import QDAKit

/// The server's HTML, rendered on the server. Every piece of text from the project goes
/// through `e` (HTML-escaped for text and attributes); pages load no inline script.
enum Pages {
    static func e(_ text: String) -> String { HTMLReport.escape(text) }

    static func html(_ body: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The frame of every page, with the session's CSRF token for scripts.
    static func page(title: String, csrf: String?, _ body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\(e(csrf ?? ""))">
        <title>\(e(title))</title>
        <link rel="stylesheet" href="/static/workbench.css">
        </head><body>
        <header><a href="/">qda workbench</a></header>
        <main>
        \(body)
        </main></body></html>
        """
    }

    /// The documents, with region, kind, length and codings.
    static func documents(_ documents: [DocumentSummary], csrf: String?) -> String {
        var rows = ""
        for document in documents {
            rows += """
                <tr><td><a href="/documents/\(document.id)">\(e(document.name))</a></td>\
                <td>\(e(document.region ?? ""))</td><td>\(e(document.kind))</td>\
                <td class="n">\(document.length)</td><td class="n">\(document.codings)</td></tr>\n
                """
        }
        let table =
            documents.isEmpty
            ? "<p>The project has no documents yet.</p>"
            : """
            <table><thead><tr><th>document</th><th>region</th><th>kind</th><th>length</th><th>codings</th>\
            </tr></thead><tbody>
            \(rows)</tbody></table>
            """
        return page(title: "Documents", csrf: csrf, "<h1>Documents</h1>\n" + table)
    }

    /// One document by segment: speaker, text, and the codings in it.
    static func reader(_ view: DocumentView, csrf: String?) -> String {
        let scalars = Array(view.text.unicodeScalars)
        func slice(_ start: Int, _ end: Int) -> String {
            let a = min(max(start, 0), scalars.count)
            let b = min(max(end, a), scalars.count)
            return String(String.UnicodeScalarView(scalars[a..<b]))
        }
        // Each coding under the segment it lies in, grouped once.
        let codingsBySegment = Dictionary(grouping: view.codings, by: \.segment)
        var body = "<h1>\(e(view.name))</h1>\n"
        if let region = view.region { body += "<p class=\"meta\">\(e(region))</p>\n" }
        for segment in view.segments {
            body += "<section class=\"segment\" id=\"s\(segment.id)\" data-start=\"\(segment.start)\">"
            if let speaker = segment.speaker { body += "<span class=\"speaker\">\(e(speaker))</span> " }
            body += "<span class=\"text\">\(e(slice(segment.start, segment.end)))</span>"
            let codings = codingsBySegment[segment.id] ?? []
            if !codings.isEmpty {
                body += "<ul class=\"codings\">"
                for coding in codings {
                    body +=
                        "<li><b>\(e(coding.code))</b> \(e(coding.coder)) \(coding.start)–\(coding.end): "
                        + "\(e(coding.text))</li>"
                }
                body += "</ul>"
            }
            body += "</section>\n"
        }
        return page(title: view.name, csrf: csrf, body)
    }

    static let stylesheet = """
        body { font: 16px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; margin: 0; color: #222; }
        header { padding: .5rem 1rem; background: #f3f3f3; border-bottom: 1px solid #ddd; }
        main { max-width: 50rem; margin: 1rem auto; padding: 0 1rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .segment { margin: .75rem 0; }
        .speaker { font-weight: 600; }
        .codings { font-size: .85rem; color: #555; margin: .25rem 0 0 1rem; }
        .meta { color: #666; }
        """
}
