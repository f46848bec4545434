import Foundation
import Hummingbird

/// The pages' scripts and stylesheet, from the target's `Static` resources: plain ES
/// modules and CSS, no build step. Only the files named here are served (a request cannot
/// reach anything else), each read once.
enum StaticFiles {
    /// File name → media type.
    static let types: [String: String] = [
        "workbench.css": "text/css; charset=utf-8",
        "api.js": "text/javascript; charset=utf-8",
        "documents.js": "text/javascript; charset=utf-8",
        "reader.js": "text/javascript; charset=utf-8",
        "picker.js": "text/javascript; charset=utf-8",
        "login.js": "text/javascript; charset=utf-8",
        "agreement.js": "text/javascript; charset=utf-8",
        "review.js": "text/javascript; charset=utf-8",
        "codebook.js": "text/javascript; charset=utf-8",
        "evidence.js": "text/javascript; charset=utf-8",
    ]

    /// The files' contents, read from the bundle at first use.
    static let contents: [String: ByteBuffer] = {
        var files: [String: ByteBuffer] = [:]
        for name in types.keys {
            let dot = name.lastIndex(of: ".")!
            if let url = Bundle.module.url(
                forResource: String(name[..<dot]), withExtension: String(name[name.index(after: dot)...]),
                subdirectory: "Static"),
                let data = try? Data(contentsOf: url)
            {
                files[name] = ByteBuffer(bytes: data)
            }
        }
        return files
    }()

    /// The response for `/static/name`: the file, or 404 for any other name.
    static func response(_ name: String) -> Response {
        guard let type = types[name], let body = contents[name] else {
            return JSONResponse.error(.notFound, "No such file.")
        }
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: body))
    }
}
