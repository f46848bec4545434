import ArgumentParser
import Foundation
import QDAKit

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the auto-coder against a person's codings: P/R/F1 per code and group, and every error.",
        discussion: """
            Compares the auto-coder's codings (or, with --machine NAME, another coder's) \
            with a person's on the documents that person coded; learned suggestions are \
            measured with `qda suggest evaluate`. The units are \
            the turns and paragraphs a person could code (not the interviewer's); a code is \
            present in a unit when it or a sub-code was applied there, a group when any of \
            its codes. Reports precision, recall and F1 per group and per code and over all \
            codes, how far the passages overlap, whether the valence agrees, which code the \
            machine applied instead of the person's, and the most frequent kinds of error. \
            `qda evaluate errors` lists each miss and false alarm with its passage and the rule \
            that fired.

            With --gold FOLDER, evaluates on a gold standard instead of the project: the \
            folder's texts are read into a project in memory, auto-coded with --codebook \
            (default: the bundled one), and compared with the codings of FOLDER.csv (the \
            layout of `qda import codings`); the project file is not touched. The bundled \
            gold standard is corpus/gold/ (a development and a test set, corpus/gold/README.md).

            Examples:
              qda evaluate --gold corpus/gold/dev
              qda evaluate --gold corpus/gold/test --format json
              qda evaluate errors --gold corpus/gold/dev --format csv
              qda evaluate --coder ann --html evaluation.html
            """,
        subcommands: [Scores.self, Errors.self],
        defaultSubcommand: Scores.self)

    struct Options: ParsableArguments {
        @Option(
            name: .long,
            help: ArgumentHelp(
                "The person to compare with (default: the only person who coded, or the gold standard's coder).",
                valueName: "name"))
        var coder: String?

        @Option(
            name: .long, help: ArgumentHelp("The coder measured (default: auto, the auto-coder).", valueName: "name"))
        var machine: String = Workbench.autoCoder

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Evaluate on a gold standard: a folder of texts, coded in FOLDER.csv (the project is not used).",
                valueName: "folder"))
        var gold: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --gold: the codings file (default: the folder's name with .csv).", valueName: "file"))
        var codings: String?

        @Option(
            name: .long,
            help: ArgumentHelp("With --gold: the codebook (default: the bundled one).", valueName: "file"))
        var codebook: String?

        @OptionGroup var project: ProjectOptions
        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            if gold == nil, codings != nil || codebook != nil {
                throw ValidationError("--codings and --codebook go with --gold.")
            }
            if gold != nil, machine != Workbench.autoCoder {
                throw ValidationError("With --gold the coder measured is the auto-coder; leave out --machine.")
            }
        }

        func evaluation() throws -> CoderEvaluation {
            guard let gold else {
                let workbench = try project.open()
                return try workbench.evaluate(person: try person(in: workbench), machine: machine)
            }
            let folder = gold.hasSuffix("/") ? String(gold.dropLast()) : gold
            let codingsFile = codings ?? folder + ".csv"
            guard FileManager.default.fileExists(atPath: codingsFile) else {
                throw ValidationError(
                    "\(codingsFile): no such file; a gold standard's codings are FOLDER.csv, or name them with --codings."
                )
            }
            var codebookFile = codebook
            if codebookFile == nil {
                guard let root = Analyze.bundledRoot() else { throw ValidationError("Pass --codebook.") }
                codebookFile = root + "/" + Analyze.defaultCodebook
            }
            let workbench = try Workbench.inMemory()
            _ = try workbench.loadCodebook(path: codebookFile!)
            let ingested = try workbench.ingest(
                paths: [folder], options: IngestOptions(strict: true), autoCode: true, progress: progress.handler())
            progress.say("Read \(ingested.added) documents of \(folder) and auto-coded them.")
            let imported = try workbench.importCodings(path: codingsFile, defaultCoder: coder)
            progress.say(
                "Imported \(imported.added) codings by \(imported.coders.joined(separator: ", ")) from \(codingsFile).")
            return try workbench.evaluate(person: try person(in: workbench), machine: machine)
        }

        /// The person named, or the only one who coded.
        func person(in workbench: Workbench) throws -> String {
            if let coder { return coder }
            let people = try workbench.coders().filter { ![Coder.auto, Coder.suggest, machine].contains($0) }
            guard people.count == 1 else {
                throw ValidationError(
                    people.isEmpty
                        ? "Nobody but the auto-coder coded in \(project.path); code some segments or import codings first."
                        : "Several people coded (\(people.joined(separator: ", "))); name one with --coder.")
            }
            return people[0]
        }
    }

    struct Scores: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scores", abstract: "P/R/F1 per group and code, spans, valence, confusion (the default).")
        @OptionGroup var options: Options
        @OptionGroup var format: FormatOptions

        @Option(name: .long, help: ArgumentHelp("Errors listed under the table.", valueName: "n"))
        var errors = 10

        @Option(name: .long, help: ArgumentHelp("Also write the evaluation as an HTML page.", valueName: "file"))
        var html: String?

        func run() throws {
            let evaluation = try options.evaluation()
            if let html {
                try writeWhole(
                    ReportRendering.html(
                        evaluation, title: "Auto-coder evaluation: \(evaluation.machine) against \(evaluation.person)"),
                    to: html)
            }
            format.emit(try ReportRendering.render(evaluation, format: format.format, errors: errors))
        }
    }

    struct Errors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every miss and false alarm, with its passage, the rule that fired and what was coded instead.")
        @OptionGroup var options: Options
        @OptionGroup var format: FormatOptions

        func run() throws {
            format.emit(try ReportRendering.render(errorsOf: options.evaluation(), format: format.format))
        }
    }
}
