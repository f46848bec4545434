import Foundation
import QDAKit

/// Documents added by upload: each file is read by the readers `qda ingest` uses, with
/// their limits, strictly (a file that cannot be read stores nothing and its error comes
/// back), and coded with the project's codebook.
enum Uploads {
    /// The folder uploaded documents are named under.
    static let folderName = "uploads"

    /// Reads the uploaded bytes `data` of a file called `name` into the project.
    ///
    /// - Throws: `UploadError` for a name that is no file name; the reader's error for a
    ///   file it cannot read.
    static func ingest(name: String, data: Data, region: String?, workbench: Workbench) throws -> UploadAnswer {
        let base = (name as NSString).lastPathComponent
        guard !base.isEmpty, base == name, base != ".", base != "..", !base.hasPrefix("."),
            !base.contains("\0"), base.utf8.count <= 255
        else { throw UploadError.badName(name) }
        // The document is named `uploads/FILE`, as `qda ingest uploads/` would name it: the
        // same file uploaded again is recognised (unchanged, or replaced).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "qda-upload-\(UUID().uuidString)", isDirectory: true)
        let folder = scratch.appendingPathComponent(folderName, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try data.write(to: folder.appendingPathComponent(base))
        var options = IngestOptions()
        options.strict = true
        if let region, !region.isEmpty { options.defaults["region"] = region }
        let summary = try workbench.ingest(paths: [folder.path], options: options, autoCode: true)
        if let failure = summary.failures.first { throw UploadError.unreadable(name: base, reason: failure.reason) }
        return UploadAnswer(
            added: summary.added, replaced: summary.replaced, skipped: summary.skipped,
            segments: summary.segmentsAdded, coded: summary.coded.codingsAdded)
    }
}

/// An upload the server cannot take.
enum UploadError: Error, CustomStringConvertible {
    case badName(String)
    case unreadable(name: String, reason: String)

    var description: String {
        switch self {
        case .badName(let name):
            return "“\(name)” is not a file name (send ?name=FILE with the file's own name, such as interview.txt)."
        case .unreadable(let name, let reason): return "\(name): \(reason)"
        }
    }
}
