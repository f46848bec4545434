import Foundation
import QDACodebook
import QDAText

/// The entry points the libFuzzer harnesses drive (`Fuzz/`, docs/testing.md), and the
/// regression tests replay: each reads one input as its format would arrive from a file.
/// A thrown `QDAError` is the expected answer to a bad input; anything else that stops
/// the process — a trap, a crash, a hang — is a bug.
enum FuzzTargets {
    static let names = [
        "frontmatter", "codebook", "gazetteer", "segmenter", "subtitle", "csv", "docx", "odt", "rtf", "html", "qdpx",
        "textdecoding",
    ]

    /// Runs `target` on `data`; returns false when the target is not known.
    @discardableResult
    static func run(_ target: String, _ data: Data) -> Bool {
        let path = "fuzz-input"
        func text() -> String { String(decoding: data, as: UTF8.self) }
        do {
            switch target {
            case "frontmatter":
                _ = try FrontMatter.parse(text(), path: path)
            case "codebook":
                _ = try CodebookLoader().parse(yaml: text(), path: path)
            case "gazetteer":
                _ = try GazetteerLoader().parse(yaml: text(), path: path)
            case "segmenter":
                let input = text()
                let segmenter = Segmenter()
                for kind in [DocumentKind.interview, .literature] {
                    let segments = segmenter.segments(of: input, kind: kind)
                    for unit in [SegmentUnit.paragraph, .sentence] { _ = unit.refine(segments) }
                }
            case "subtitle":
                _ = try SubtitleReader.extract(data, path: path, format: .vtt, encoding: nil)
                _ = try SubtitleReader.extract(data, path: path, format: .srt, encoding: nil)
            case "csv":
                _ = try SpreadsheetReader.extract(
                    data, path: path, format: .csv, encoding: nil, options: SpreadsheetOptions())
            case "docx":
                _ = try DocxReader.extract(ZipPackage(data: data, path: path, format: DocxReader.format))
            case "odt":
                _ = try OdtReader.extract(ZipPackage(data: data, path: path, format: OdtReader.format))
            case "rtf":
                _ = try RTFReader.extract(data, path: path)
            case "html":
                _ = try HTMLReader.extract(data, path: path, encoding: nil)
            case "qdpx":
                // The project XML, and the archive around it.
                _ = try? REFIProjectFile.parse(data, part: "project.qde", path: path)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "qda-fuzz-\(getpid()).qdpx")
                try data.write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                _ = try Project.inMemory().importREFI(path: file.path)
            case "textdecoding":
                _ = try TextDecoder.decode(data, path: path)
                _ = try? REFIText(data: data, path: path)
            default:
                return false
            }
        } catch {
            // A clear error is the right answer to a bad input.
        }
        return true
    }
}
