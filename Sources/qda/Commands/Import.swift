public import ArgumentParser
import Foundation
import QDAKit
public import QDAText

extension REFIOffsetUnit: ExpressibleByArgument {}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette.",
        discussion: """
            Reads the project's text sources into documents, its code tree into the \
            codebook (names, descriptions, colours), every text coding as a coding by the \
            person who made it, cases and variables as document attributes (a variable \
            named region, or a case named after a region of the gazetteer, gives the \
            region), sets, and notes as memos. Pictures, PDF areas, audio and video are \
            listed and skipped. The project must have no documents yet (a missing file is \
            created); the import is one transaction, so a failed import leaves it as it was.

            Positions are read in the unit the exporting tool writes, found from the \
            file's origin: NVivo, ATLAS.ti and MAXQDA count UTF-16 code units, QualCoder \
            and Taguette code points. --offsets overrides it (docs/refi-qda.md).

            Example:
              qda import study.qdpx --project theirs.sqlite
            """)

    @Argument(help: "The .qdpx file to import.")
    var file: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How positions are counted: utf16, codepoints or crlf1 (default: from the exporting tool).",
            valueName: "unit"))
    var offsets: REFIOffsetUnit?

    @Option(name: .long, help: "The unit of coding: turn (turns in transcripts, else paragraphs), paragraph, sentence.")
    var unit: SegmentUnit = .turn

    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let existed = FileManager.default.fileExists(atPath: project.path)
        let target = try Workbench.openOrCreate(at: project.path)
        let summary: REFIImportSummary
        do {
            summary = try target.importREFI(
                path: file, offsets: offsets, unit: unit, progress: progress.handler())
        } catch {
            if !existed {
                for suffix in ["", "-wal", "-shm"] {
                    try? FileManager.default.removeItem(atPath: project.path + suffix)
                }
            }
            throw error
        }
        switch format.format {
        case .json:
            format.emit(try ReportRendering.json(summary))
        default:
            if summary.documents == 0, summary.skipped == [REFIImportSummary.alreadyImported] {
                format.emit("Nothing imported: \(REFIImportSummary.alreadyImported).\n")
                return
            }
            var lines = [
                "Imported \(summary.path) (\(summary.origin ?? "exporting tool not named")) into \(project.path):",
                "  \(plural(summary.documents, "document")) (\(plural(summary.segments, "segment"))), "
                    + "\(plural(summary.codes, "code")), \(plural(summary.codings, "coding"))"
                    + (summary.coders.isEmpty ? "" : " by \(summary.coders.joined(separator: ", "))") + ", "
                    + "\(plural(summary.attributes, "attribute")), \(plural(summary.sets, "set")), "
                    + "\(plural(summary.memos, "memo")).",
                "  Positions read as \(summary.offsets.rawValue): "
                    + (summary.offsetsReason == REFIImportSummary.offsetsAsAsked
                        ? "given with --offsets" : summary.offsetsReason) + ".",
            ]
            if summary.selectionsChecked > 0 {
                lines.append(
                    "  \(summary.selectionsOnBoundaries) of \(plural(summary.selectionsChecked, "selection")) start "
                        + "and end on word boundaries.")
            }
            if !summary.skipped.isEmpty {
                lines.append("Not imported:")
                for line in summary.skipped { lines.append("  - \(line)") }
            }
            format.emit(lines.joined(separator: "\n") + "\n")
        }
    }
}
