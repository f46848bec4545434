import ArgumentParser
import Foundation
import QDAFormats
import QDAKit

struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learned suggestions: a model per code trained on your codings, offline, proposed for review.",
        discussion: """
            `qda suggest train` learns, for each code people applied to at least 3 units, a \
            linear model over word and character n-grams and the keyword rules' verdicts \
            from the people's codings (manual codings and accepted reviews are positives, \
            the other turns and paragraphs of the documents they coded negatives), and \
            stores it in the project with the examples. Nothing leaves the machine; the \
            same project always gives the same model.

            `qda suggest` (or `qda suggest run`; it trains first when there is no model \
            yet or the codebook changed since) scores every segment and proposes the \
            codings the model is confident of as suggestions. Suggestions are kept apart \
            from codings: no report counts one until a person accepts it (`qda suggest \
            accept ID`, it becomes their coding of the segment); a rejected one (`qda \
            suggest reject ID`) is never proposed again. `qda suggest evaluate` measures the \
            suggestions against the keyword rules by cross-validation (docs/methods.md).

            Examples:
              qda suggest train
              qda suggest
              qda suggest list --limit 20
              qda suggest evaluate --folds 3
            """,
        subcommands: [Run.self, Train.self, List.self, Accept.self, Reject.self, Evaluate.self],
        defaultSubcommand: Run.self)

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Learn a model per code from the people's codings.")
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let summary = try project.open().trainSuggestions(progress: progress.handler())
            guard !summary.codes.isEmpty else {
                throw WordedError(
                    message: summary.people.isEmpty
                        ? "Nobody but the auto-coder coded in \(project.path); code some segments first."
                        : "No code has \(3) coded units or more yet; code more segments first.")
            }
            var line =
                "Learned \(summary.codes.count) codes from \(summary.positives) coded units of \(summary.people.joined(separator: ", ")) "
                + "(\(summary.units) units in all)."
            if !summary.tooFewExamples.isEmpty {
                line += " Too few examples (under 3) for: \(summary.tooFewExamples.joined(separator: ", "))."
            }
            print(line)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Propose suggestions with the stored models (the default).")
        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let workbench = try project.open()
            let count: Int
            do {
                count = try workbench.proposeSuggestions(progress: progress.handler())
            } catch let error as QDAError where error.needsTraining {
                // The first run, or the first after a codebook change, learns the models first.
                try Train(project: _project, progress: _progress).run()
                count = try workbench.proposeSuggestions(progress: progress.handler())
            }
            print("\(plural(count, "suggestion")) wait\(count == 1 ? "s" : "") for review (qda suggest list).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the pending suggestions, best first.")
        @Option(
            name: .long, help: ArgumentHelp("Only codes under this key or prefix (repeatable).", valueName: "prefix"))
        var codes: [String] = []
        @Option(name: .long, help: ArgumentHelp("Only segments in this region.", valueName: "region"))
        var region: String?
        @Option(name: .long, help: ArgumentHelp("At most this many.", valueName: "n"))
        var limit: Int?
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let suggestions = try project.open().suggestions(codes: codes, region: region, limit: limit)
            switch format.format {
            case .json:
                format.emit(try ReportRendering.json(["suggestions": suggestions]))
            default:
                guard !suggestions.isEmpty else {
                    format.emit("No suggestions wait for review.\n")
                    return
                }
                var table = TextTable(
                    header: ["id", "score", "code", "document", "segment", "text"],
                    alignments: [.right, .right, .left, .left, .right, .left])
                if format.format == .table {
                    table.maxWidth = 80
                    table.flexibleColumn = 5
                }
                for s in suggestions {
                    table.append([
                        String(s.id), String(format: "%.2f", s.score), s.code, s.document, String(s.segment),
                        s.text.split(whereSeparator: \.isWhitespace).joined(separator: " "),
                    ])
                }
                format.emit(table.render(format.format))
            }
        }
    }

    /// The ids and the person deciding, for accept and reject.
    struct Decision: ParsableArguments {
        @Argument(help: "Suggestion ids (from qda suggest list).") var ids: [Int64]
        @OptionGroup var coder: CoderOptions
        @OptionGroup var project: ProjectOptions

        func decide(accept: Bool) throws -> SuggestDecisionSummary {
            try project.open().decideSuggestions(ids, accept: accept, reviewer: coder.name)
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept suggestions: each becomes your coding.")
        @OptionGroup var decision: Decision

        func run() throws {
            let s = try decision.decide(accept: true)
            print("Accepted \(plural(s.accepted, "suggestion")) (now coded by \(decision.coder.name)).")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject suggestions: they are never proposed again.")
        @OptionGroup var decision: Decision

        func run() throws {
            print("Rejected \(plural(try decision.decide(accept: false).rejected, "suggestion")).")
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cross-validated P/R/F1 per code against the keyword rules, and the learning curve.")
        @Option(name: .long, help: ArgumentHelp("Folds, by document.", valueName: "n"))
        var folds = 5
        @OptionGroup var format: FormatOptions
        @OptionGroup var project: ProjectOptions

        func validate() throws {
            if folds < 2 { throw ValidationError("--folds must be 2 or more.") }
        }

        func run() throws {
            format.emit(
                try ReportRendering.render(project.open().evaluateSuggestions(folds: folds), format: format.format))
        }
    }
}

extension QDAError {
    /// Whether `qda suggest` should train before proposing.
    fileprivate var needsTraining: Bool {
        switch self {
        case .noSuggestModel, .suggestModelStale: return true
        default: return false
        }
    }
}
