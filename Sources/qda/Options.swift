public import ArgumentParser
import Foundation
public import QDAKit
import Synchronization

/// `--project FILE`, shared by every command that works on a project.
struct ProjectOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The project file (default: $QDA_PROJECT, else ./\(Workbench.defaultFileName)).", valueName: "file"))
    var project: String?

    var path: String {
        if let project { return project }
        if let environment = ProcessInfo.processInfo.environment["QDA_PROJECT"], !environment.isEmpty {
            return environment
        }
        return Workbench.defaultFileName
    }

    func open() throws -> Workbench {
        try Workbench.open(at: path)
    }
}

/// `--format table|json|csv|markdown`, shared by every report.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    /// Writes a report to standard output; a table's long lines are wrapped to the
    /// terminal's width (80 columns for files and pipes).
    func emit(_ text: String) {
        let fitted = format == .table ? ReportRendering.fit(text, width: TerminalStyle.standardOutput().width) : text
        FileHandle.standardOutput.write(Data(fitted.utf8))
    }
}

/// `--level province|grouping` and `--grouping-set NAME`, for reports that count regions.
struct LevelOptions: ParsableArguments {
    enum Level: String, ExpressibleByArgument, CaseIterable {
        case province
        case grouping
    }

    @Option(
        name: .long,
        help: "Count regions as provinces (the gazetteer's regions, or as written) or roll them up to groupings.")
    var level: Level = .province

    @Option(
        name: .customLong("grouping-set"),
        help: ArgumentHelp(
            "With --level grouping: the gazetteer's grouping set (default: its first, e.g. cluster).", valueName: "set")
    )
    var groupingSet: String?

    func resolve(_ project: Workbench) throws -> RegionLevel {
        switch level {
        case .province:
            return .region
        case .grouping:
            let sets = try project.groupingSets()
            guard let first = sets.first else {
                throw ValidationError(
                    "--level grouping needs a gazetteer with groupings; load one with `qda gazetteer load`.")
            }
            let set = groupingSet ?? first
            guard sets.contains(set) else {
                throw ValidationError(
                    "The gazetteer has no grouping set '\(set)'; it has: \(sets.joined(separator: ", ")).")
            }
            return .grouping(set: set)
        }
    }
}

/// `--min-segments N`, for the pattern report.
struct RatingOptions: ParsableArguments {
    @Option(
        name: .customLong("min-segments"),
        help: "Rate only regions with at least this many segments (the others are listed as not rated).")
    var minimumSegments = PatternReport.defaultMinimumSegments

    func validate() throws {
        if minimumSegments < 1 { throw ValidationError("--min-segments must be 1 or more.") }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension MatrixMeasure: ExpressibleByArgument {}
extension MatrixColumns: ExpressibleByArgument {}
extension TeamRole: ExpressibleByArgument {}

/// `--quiet`, and a progress line on standard error when it is a terminal.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "Print no progress or summary lines on standard error.")
    var quiet = false

    /// A handler that redraws one status line at most ten times a second, or nil when
    /// standard error is not a terminal.
    func handler() -> ProgressHandler? {
        guard !quiet, isatty(STDERR_FILENO) != 0 else { return nil }
        let last = Mutex<Double>(0)
        let started = Date().timeIntervalSinceReferenceDate
        return { progress in
            let now = Date().timeIntervalSinceReferenceDate
            let finished = progress.done == progress.total
            let due = last.withLock { previous -> Bool in
                guard finished || now - previous >= 0.1 else { return false }
                previous = now
                return true
            }
            guard due else { return }
            var line = "\r\u{1B}[K\(progress.stage): \(progress.done)/\(progress.total)"
            if progress.bytes > 0 {
                let megabytes = Double(progress.bytes) / 1_048_576
                let rate = megabytes / max(now - started, 0.001)
                line += String(format: " files, %.1f MB, %.1f MB/s", megabytes, rate)
            }
            FileHandle.standardError.write(Data((finished ? line + "\r\u{1B}[K" : line).utf8))
        }
    }

    /// Prints a summary line on standard error unless `--quiet`.
    func say(_ message: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// `--quotes N`: the quotes printed per rating by `report patterns` and `analyze`.
struct QuoteOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Quotes shown per rating in tables and Markdown (0 to 3; JSON always holds 3).", valueName: "N"))
    var quotes = 2

    func validate() throws {
        if !(0...PatternReport.quotesPerRating).contains(quotes) {
            throw ValidationError("--quotes must be between 0 and \(PatternReport.quotesPerRating).")
        }
    }

    /// Whether the report must find quotes for `format`.
    func needed(for format: OutputFormat) -> Bool {
        format == .json || (quotes > 0 && format != .csv)
    }
}
