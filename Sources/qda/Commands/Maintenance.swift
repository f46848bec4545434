import ArgumentParser
import Foundation
import QDAKit

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the project to a new file, consistent even while other commands write.",
        discussion: """
            Uses SQLite's online backup: the copy is a snapshot of one moment, taken while \
            other qda commands may be coding or reporting. It is written to a temporary \
            file, checked for integrity, and renamed into place; an existing file is not \
            overwritten.

            Example:
              qda backup qda-project-2026-12-07.sqlite
            """)

    @Argument(help: "The backup file to write (must not exist).")
    var file: String

    @OptionGroup var project: ProjectOptions
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let summary = try project.open().backup(to: file)
        progress.say(
            "Backed up \(project.path) to \(file): \(plural(summary.documents, "document")), "
                + "\(plural(summary.codings, "coding")), \(summary.bytes) bytes; integrity checked.")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the project file's integrity and the invariants qda relies on.",
        discussion: """
            Runs SQLite's integrity and foreign-key checks and verifies that every segment \
            is a span of its document's text, every coding lies inside its segment and \
            document and names an existing code, every auto-coded document names a \
            codebook the project holds, the current codebook's hash is recorded, and the \
            report cache holds every coding as it is. Exits with status 2 when a check \
            fails (1 when the project cannot be read).

            Every change qda makes keeps the report cache up to date; after editing the \
            project file by hand (codings, regions, segments), --repair rebuilds it from \
            the codings before checking.

            Examples:
              qda check --project study.sqlite
              qda check --repair --project study.sqlite
            """)

    @Flag(help: "Rebuild the report cache from the codings first (after editing the file by hand).")
    var repair = false
    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let workbench = try project.open()
        if repair {
            let rows = try workbench.repairCaches()
            progress.say("Rebuilt the report cache (\(plural(rows, "row"))).")
        }
        let results = try workbench.check(progress: progress.handler())
        switch format.format {
        case .json:
            format.emit(try ReportRendering.json(["checks": results]))
        default:
            var lines: [String] = []
            for result in results {
                lines.append(
                    "\(result.ok ? "ok  " : "FAIL") \(result.name)" + (result.ok ? "" : ": \(result.problems)"))
                for example in result.examples { lines.append("       \(example)") }
            }
            let failed = results.filter { !$0.ok }.count
            lines.append(
                failed == 0
                    ? "\(project.path): all \(results.count) checks passed."
                    : "\(project.path): \(plural(failed, "check")) failed.")
            format.emit(lines.joined(separator: "\n") + "\n")
        }
        if results.contains(where: { !$0.ok }) { throw ExitCode(2) }
    }
}
