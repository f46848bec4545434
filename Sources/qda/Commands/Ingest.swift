public import ArgumentParser
import Foundation
public import QDAKit

struct Ingest: ParsableCommand, ReadsFiles {
    static let configuration = CommandConfiguration(
        abstract: "Read documents into the project and split them into segments.",
        discussion: """
            Reads .txt and .md (UTF-8, UTF-16, GB18030/GBK, Big5, Windows-1252: detected or \
            named with --encoding), Word .docx, OpenDocument .odt, PDF (needs pdftotext from \
            poppler-utils), .html, .rtf, subtitles (.vtt, .srt) and spreadsheets (.csv, .tsv), \
            and folders of them (recursively; hidden files and a folder's README are passed \
            over; other files in a folder that qda does not read are counted in a note, and \
            named with --verbose; a folder with no file to read is an error). docs/formats.md \
            says exactly what is taken from each format.

            Metadata: a text file may open with YAML front matter between two '---' lines \
            (region, kind, date, title, language, any attribute); --manifest gives the same \
            per file for folders of Word files or PDFs; --region, --kind and --attr apply to \
            every file. A file's front matter wins over the manifest, the manifest over the \
            command line.

            Segments: speaker turns in transcripts ("Interviewer:", "R1:", "张伟：", with \
            optional [00:12:31] timestamps, when the labels recur and alternate), sentences \
            of paragraphs in prose, whose headings, captions, tables and reference lists are \
            kept but not coded; --unit paragraph keeps paragraphs whole. Each document's \
            line says how it was read.

            A file whose content is already in the project is skipped; a changed file \
            replaces its old version and its auto-codings. A file that cannot be read is \
            reported at the end with the reason and the others are stored (exit status 3); \
            with --strict the first bad file stops the run and nothing is stored.

            Examples:
              qda ingest corpus/beijing/ corpus/literature/lit-01-structured-comparison.md
              qda ingest --manifest examples/manifest.csv
              qda ingest examples/survey.csv --text-column answer --id-column respondent
              qda ingest examples/zoom/ --kind interview --attr wave=2 --unit sentence
            """)

    @Argument(
        help: ArgumentHelp("Files or folders to ingest (default: the files the manifest lists).", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var flags: IngestFlags
    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: ProgressOptions

    func validate() throws {
        if paths.isEmpty && flags.manifest == nil {
            throw ValidationError("Name the files or folders to ingest, or pass --manifest.")
        }
    }

    func run() throws {
        let options = try flags.options()
        let project = try Workbench.openOrCreate(at: project.path)
        let summary = try project.ingest(paths: paths, options: options, progress: output.handler())
        try Self.report(summary, output: output, verbose: flags.verbose)
    }

    /// Prints the warnings and the summary line; throws exit status 3 when files were skipped.
    static func report(_ summary: IngestSummary, output: ProgressOptions, verbose: Bool) throws {
        for warning in summary.unknownRegions { output.say("warning: " + warning) }
        for file in summary.unlistedInRun {
            output.say("warning: \(file): listed in the manifest but not among the files ingested.")
        }
        if !summary.detectedEncodings.isEmpty {
            output.say(
                "note: read in a detected encoding (name it with --encoding if this is wrong): "
                    + summary.detectedEncodings.joined(separator: "; "))
        }
        sayReadings(summary.readings, output: output, verbose: verbose)
        sayPassedOver(summary.passedOver, output: output, verbose: verbose)
        output.say(describe(summary))
        if !summary.failures.isEmpty {
            // Always printed, even with --quiet: these files are not in the project.
            let folders = summary.failures.filter(\.isFolder).count
            let files = summary.failures.count - folders
            let what = [folders > 0 ? plural(folders, "folder") : nil, files > 0 ? plural(files, "file") : nil]
                .compactMap { $0 }.joined(separator: " and ")
            var text = "error: \(what) not ingested:\n"
            for failure in summary.failures {
                let reason = failure.cause.flatMap { ErrorWording.message(for: $0) } ?? failure.reason
                text += "  " + reason + (reason.hasPrefix(failure.path) ? "" : " (\(failure.path))") + "\n"
            }
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode(Self.someFilesSkipped)
        }
    }

    /// How each document was read: one line each for up to `readingsListed` documents (all
    /// with --verbose), a count per form past that.
    static func sayReadings(_ readings: [DocumentReading], output: ProgressOptions, verbose: Bool) {
        guard !readings.isEmpty else { return }
        if readings.count <= readingsListed || verbose {
            for reading in readings {
                output.say("  \(reading.document): \(reading.describe(turnUnit: "--unit turn"))")
            }
            return
        }
        var forms: [String: Int] = [:]
        for reading in readings {
            let form = reading.kindInferred ? "transcript (read as interviews)" : reading.form.rawValue
            forms[form, default: 0] += 1
        }
        let counts = forms.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        output.say("Read as: \(counts) (--verbose lists each document).")
    }

    /// The files in the folders that were not read: one line with their count by type, each
    /// file named with --verbose.
    static func sayPassedOver(_ files: [CorpusReader.PassedOver], output: ProgressOptions, verbose: Bool) {
        guard !files.isEmpty else { return }
        output.say(
            "note: passed over \(plural(files.count, "file")) in the folders, not of a type qda reads: "
                + CorpusReader.PassedOver.tally(files) + (verbose ? "" : " (--verbose names them)") + ".")
        if verbose {
            for file in files { output.say("  \(file)") }
        }
    }

    /// Documents listed one by one without --verbose.
    static let readingsListed = 50

    /// The exit status when some files could not be ingested and the others were.
    static let someFilesSkipped: Int32 = 3

    static func describe(_ summary: IngestSummary) -> String {
        "Ingested: \(summary.added) added, \(summary.skipped) skipped (unchanged), \(summary.replaced) replaced"
            + (summary.failures.isEmpty ? "" : ", \(summary.failures.count) failed")
            + (summary.passedOver.isEmpty ? "" : ", \(summary.passedOver.count) passed over")
            + "; \(plural(summary.segmentsAdded, "segment")) added, \(summary.segmentsRemoved) removed."
    }
}

/// How files are read: encoding, unit, spreadsheet layout and metadata; shared by
/// `ingest` and `analyze`.
struct IngestFlags: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The encoding of text files: utf-8, utf-16le, utf-16be, gb18030 (gbk), big5, windows-1252, latin1 "
                + "(default: detected).", valueName: "name"))
    var encoding: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The unit of coding: turn (the default: speaker turns in transcripts, sentences in prose), paragraph, "
                + "sentence.", valueName: "unit"))
    var unit: SegmentUnit?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A CSV or YAML file giving per file: path, region, kind, date, title, language, role, any attribute.",
            valueName: "file"))
    var manifest: String?

    @Option(name: .long, help: ArgumentHelp("The region of every file ingested.", valueName: "name"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("The kind of every file: interview, literature, statistics, other."))
    var kind: String?

    @Option(name: .long, help: ArgumentHelp("An attribute of every file (repeatable).", valueName: "key=value"))
    var attr: [String] = []

    @Option(
        name: .long,
        help:
            "Spreadsheets: a row is one of 'documents' (each row a document) or 'segments' (the file is one document).")
    var rows: SpreadsheetOptions.Rows = .documents

    @Option(name: .long, help: ArgumentHelp("Spreadsheets: the column holding the text.", valueName: "column"))
    var textColumn: String?

    @Option(name: .long, help: ArgumentHelp("Spreadsheets: the column naming each row.", valueName: "column"))
    var idColumn: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Spreadsheets: the columns kept as attributes (default: all others).", valueName: "a,b,..."))
    var attributeColumns: String?

    @Flag(name: .long, help: "List every document read and every file passed over, however many.")
    var verbose = false

    @Flag(name: .long, help: "Stop at the first file that cannot be read, storing nothing.")
    var strict = false

    func options() throws -> IngestOptions {
        var options = IngestOptions(unit: unit ?? .turn, strict: strict)
        options.unitGiven = unit != nil
        if let encoding {
            guard let parsed = TextEncoding(name: encoding) else {
                throw ValidationError("--encoding '\(encoding)' is not one of: " + TextEncoding.acceptedNames + ".")
            }
            options.encoding = parsed
        }
        options.spreadsheet = SpreadsheetOptions(
            rows: rows, textColumn: textColumn, idColumn: idColumn,
            attributeColumns: attributeColumns.map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            })
        if let manifest { options.manifest = try Manifest.load(manifest) }
        if let region { options.defaults["region"] = region }
        if let kind {
            guard DocumentKind(rawValue: kind.lowercased()) != nil else {
                throw ValidationError(
                    "--kind '\(kind)' is not one of: " + DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")
                        + ".")
            }
            options.defaults["kind"] = kind.lowercased()
        }
        for pair in attr {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--attr '\(pair)' must be key=value.")
            }
            let key = pair[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            options.defaults[key] = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return options
    }
}

extension SegmentUnit: ExpressibleByArgument {}
extension SpreadsheetOptions.Rows: ExpressibleByArgument {}
