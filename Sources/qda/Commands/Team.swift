public import ArgumentParser
import Foundation
public import QDAKit
import QDAMatching

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review the auto-coder's codings: accept, reject or recode each.",
        discussion: """
            On a terminal, walks the auto-coder's codings no one has decided on yet (those of \
            --code and --region), showing each passage in its segment, and asks: [a]ccept \
            (the coding becomes yours), [r]eject (it goes), [c]ode KEY (your coding of another \
            code replaces it), [s]kip, [q]uit. Each decision is stored at once. Decisions are \
            remembered: re-running the auto-coder never brings back a rejected coding nor \
            duplicates an accepted one. Without a terminal, lists the pending codings; \
            qda review accept|reject|recode IDS decides without asking.

            Examples:
              qda review --code market. --coder ann
              qda review accept 12 13 14 --coder ann
              qda review recode 15 --to market.income --coder ann
            """,
        subcommands: [Walk.self, List.self, Accept.self, Reject.self, Recode.self],
        defaultSubcommand: Walk.self)

    struct Filters: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("Only codings of this code or prefix (repeatable).", valueName: "key"))
        var code: [String] = []

        @Option(name: .long, help: ArgumentHelp("Only codings in this region.", valueName: "region"))
        var region: String?

        func pending(_ project: Workbench, limit: Int? = nil) throws -> [CodingRecord] {
            let name = try region.map { name in
                try project.currentGazetteer().flatMap { RegionFinder(gazetteer: $0).resolve(name) } ?? name
            }
            return try project.pendingReviews(codes: code, region: name, limit: limit)
        }
    }

    struct Walk: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "walk", abstract: "Decide on each pending coding in turn (the default).")

        @OptionGroup var filters: Filters
        @OptionGroup var coder: CoderOptions
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let project = try project.open()
            let pending = try filters.pending(project)
            guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
                format.emit(try ReportRendering.render(pending, format: format.format))
                return
            }
            guard !pending.isEmpty else {
                print("Nothing to review: every auto coding here has been decided on.")
                return
            }
            var summary = ReviewSummary()
            for (n, coding) in pending.enumerated() {
                var filter = SegmentFilter()
                filter.document = coding.document
                let segment = try project.findSegments(filter).segments.first { $0.id == coding.segment }
                print("\n[\(n + 1)/\(pending.count)] #\(coding.id) \(coding.code) in \(coding.document)")
                if var segment {
                    segment.marks = [SegmentMark(start: coding.start, end: coding.end, kind: .code, code: coding.code)]
                    let style = TerminalStyle.standardOutput()
                    var text = ReportRendering.marked(segment, open: "«", close: "»")
                    if style.colour {
                        text = text.replacingOccurrences(of: "«", with: "\u{1B}[1;33m")
                            .replacingOccurrences(of: "»", with: "\u{1B}[0m")
                    }
                    print(
                        ReportRendering.wrap(text, width: (style.width ?? 80) - 4).map { "    " + $0 }.joined(
                            separator: "\n"))
                }
                decide: while true {
                    print("[a]ccept  [r]eject  [c]ode KEY  [s]kip  [q]uit > ", terminator: "")
                    // End of input: stop, keeping what was decided.
                    guard let answer = readLine()?.trimmingCharacters(in: .whitespaces) else {
                        print(Self.describe(summary))
                        return
                    }
                    let parts = answer.split(separator: " ", maxSplits: 1).map(String.init)
                    do {
                        switch parts.first?.lowercased() ?? "" {
                        case "a":
                            summary.accepted += try project.review([coding.id], decision: .accept, reviewer: coder.name)
                                .accepted
                        case "r":
                            summary.rejected += try project.review([coding.id], decision: .reject, reviewer: coder.name)
                                .rejected
                        case "c" where parts.count == 2:
                            summary.recoded += try project.review(
                                [coding.id], decision: .recode(parts[1]), reviewer: coder.name
                            ).recoded
                        case "s": break
                        case "q":
                            print(Self.describe(summary))
                            return
                        default:
                            print("Type a, r, c KEY, s or q.")
                            continue decide
                        }
                        break decide
                    } catch let error as QDAError {
                        print("  \(error.description)")
                    }
                }
            }
            print(Self.describe(summary))
        }

        static func describe(_ summary: ReviewSummary) -> String {
            "Accepted \(summary.accepted), rejected \(summary.rejected), recoded \(summary.recoded)."
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the auto codings no one has decided on.")

        @OptionGroup var filters: Filters

        @Option(name: .long, help: "List at most this many.")
        var limit: Int?

        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            format.emit(
                try ReportRendering.render(filters.pending(project.open(), limit: limit), format: format.format))
        }
    }

    struct Decision: ParsableArguments {
        @Argument(help: "Coding ids (from qda review list).")
        var ids: [Int64] = []

        @Flag(name: .long, help: "Every pending coding that --code and --region select.")
        var all = false

        @OptionGroup var filters: Filters

        func ids(_ project: Workbench) throws -> [Int64] {
            if all { return try filters.pending(project).map(\.id) }
            guard !ids.isEmpty else { throw ValidationError("Give coding ids, or --all with --code/--region.") }
            return ids
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept auto codings: they become yours.")
        @OptionGroup var decision: Decision
        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let project = try project.open()
            let summary = try project.review(decision.ids(project), decision: .accept, reviewer: coder.name)
            progress.say("Accepted \(plural(summary.accepted, "coding")) as \(coder.name)'s.")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject auto codings: they go, and stay gone.")
        @OptionGroup var decision: Decision
        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let project = try project.open()
            let summary = try project.review(decision.ids(project), decision: .reject, reviewer: coder.name)
            progress.say("Rejected \(plural(summary.rejected, "coding")).")
        }
    }

    struct Recode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace auto codings by your coding of another code on the same passage.")
        @OptionGroup var decision: Decision

        @Option(name: .long, help: ArgumentHelp("The right code.", valueName: "key"))
        var to: String

        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let project = try project.open()
            let summary = try project.review(decision.ids(project), decision: .recode(to), reviewer: coder.name)
            progress.say("Recoded \(plural(summary.recoded, "coding")) as \(to).")
        }
    }
}

struct MemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memo",
        abstract: "Write memos on the project, documents, codes, segments and region cells.",
        subcommands: [Add.self, List.self, Export.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a memo.",
            discussion: """
                Examples:
                  qda memo add "Officials repeat the plan's wording." \\
                      --code mindset.narrative
                  qda memo add "Contradicts the first interview." \\
                      --document corpus/beijing/bj-02-official.txt
                  qda memo add "Rated + not ++: two voices only." \\
                      --region Beijing --code technology
                  qda memo add "Sarcasm." --segment 41
                """)

        @Argument(help: "The memo's text.")
        var text: String

        @Option(name: .long, help: ArgumentHelp("About a document.", valueName: "name"))
        var document: String?

        @Option(name: .long, help: ArgumentHelp("About a segment.", valueName: "id"))
        var segment: Int64?

        @Option(name: .long, help: ArgumentHelp("About a code (with --region: a region's cell).", valueName: "key"))
        var code: String?

        @Option(name: .long, help: ArgumentHelp("With --code: about that region's cell.", valueName: "region"))
        var region: String?

        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let target: MemoTarget
            switch (document, segment, code, region) {
            case (nil, nil, nil, nil): target = .project
            case (let d?, nil, nil, nil): target = .document(d)
            case (nil, let s?, nil, nil): target = .segment(s)
            case (nil, nil, let c?, nil): target = .code(c)
            case (nil, nil, let c?, let r?): target = .cell(region: r, code: c)
            default:
                throw ValidationError("Give one of --document, --segment, --code, or --region with --code.")
            }
            let memo = try project.open().addMemo(target, text: text, author: coder.name)
            progress.say("Added memo #\(memo.id).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the memos.")
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            format.emit(try ReportRendering.render(project.open().memos(), format: format.format))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the memos to a file (Markdown, CSV or JSON by its extension).",
            discussion: """
                Example:
                  qda memo export --out memos.md
                """)
        @OptionGroup var output: OutputFileOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let format: OutputFormat
            switch URL(fileURLWithPath: output.out).pathExtension.lowercased() {
            case "csv": format = .csv
            case "json": format = .json
            default: format = .markdown
            }
            let memos = try project.open().memos()
            try output.write(try ReportRendering.render(memos, format: format))
            progress.say("Wrote \(plural(memos.count, "memo")) to \(output.out).")
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge people's codings from projects coded in parallel on the same documents.",
        discussion: """
            Brings in every person's codings, memos and review decisions from each OTHER \
            project: documents are matched by content (the file's SHA-256 and the same \
            text), codes by key, and each coder's codings stay theirs. What cannot be placed \
            — a document with the same name but other text, one this project lacks, a code \
            it does not know — is listed as a conflict, not guessed. Merging the same file \
            again adds nothing. The other files are only read.

            Example:
              qda merge ann.sqlite bo.sqlite
            """)

    @Argument(help: "The other project files.")
    var others: [String]

    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if others.isEmpty { throw ValidationError("Name the project files to merge.") }
    }

    func run() throws {
        let project = try project.open()
        var summaries: [MergeSummary] = []
        for other in others {
            summaries.append(try project.merge(path: other))
        }
        switch format.format {
        case .json:
            format.emit(try ReportRendering.json(["merged": summaries]))
        default:
            var lines: [String] = []
            for s in summaries {
                lines.append(
                    "\(s.path): \(plural(s.matchedDocuments, "document")) matched; \(plural(s.codingsAdded, "coding")) "
                        + "added (\(s.codingsPresent) already here), \(plural(s.memosAdded, "memo")), "
                        + "\(plural(s.reviewsAdded, "review decision"))"
                        + (s.coders.isEmpty ? "." : "; coders: \(s.coders.joined(separator: ", ")).")
                )
                for conflict in s.conflicts { lines.append("  conflict: \(conflict)") }
            }
            format.emit(lines.joined(separator: "\n") + "\n")
        }
    }
}

struct Agreement: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Intercoder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha, Gwet's AC1.",
        discussion: """
            Compares coders (default: every person who coded; name auto to include the \
            auto-coder) on the documents two of them or more coded, per code and over all \
            codes, by segment (did the coder apply the code in it?), document, or character. \
            Lists the coder pairs that disagree most, and, when auto is among the coders, the \
            auto-coder's precision, recall and F1 against each person with example segments \
            where it over-fires or misses. An undefined coefficient (one category only) is \
            null with a reason. Formulas and references: docs/agreement.md.

            Examples:
              qda agreement --coders ann,bo
              qda agreement --coders auto,ann --codes market.
              qda agreement disagreements --coders ann,bo --format csv
            """,
        subcommands: [Report.self, Disagreements.self],
        defaultSubcommand: Report.self)

    struct Options: ParsableArguments {
        @OptionGroup var coders: CoderListOptions

        @Option(
            name: .long, help: ArgumentHelp("Only codes under this key or prefix (repeatable).", valueName: "prefix"))
        var codes: [String] = []

        @Option(name: .long, help: "The unit: segment, document or character.")
        var unit: AgreementUnit = .segment

        func report(_ project: Workbench, disagreements: Bool) throws -> AgreementReport {
            try project.agreement(coders: coders.names, codes: codes, unit: unit, disagreements: disagreements)
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "The coefficients (the default).")
        @OptionGroup var options: Options
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            format.emit(
                try ReportRendering.render(options.report(project.open(), disagreements: false), format: format.format))
        }
    }

    struct Disagreements: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the units where coders differ, with their text, for the consensus meeting.")
        @OptionGroup var options: Options
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            var report = try options.report(project.open(), disagreements: true)
            if format.format == .json {
                format.emit(try ReportRendering.json(["disagreements": report.disagreements]))
                return
            }
            if report.disagreements.isEmpty {
                format.emit("The coders agree on every unit.\n")
                return
            }
            // The table and Markdown show the list only.
            report.codes = []
            format.emit(try ReportRendering.render(report, format: format.format))
        }
    }
}

extension AgreementUnit: ExpressibleByArgument {}
