import ArgumentParser
import Foundation
import QDACodebook
import QDAKit

struct Analyze: ParsableCommand, ReadsFiles {
    static let configuration = CommandConfiguration(
        abstract: "Ingest, load the codebook, code and report patterns in one go.",
        discussion: """
            Runs gazetteer load, codebook load, ingest, code and report patterns, \
            incrementally: unchanged files are skipped and only new or changed segments are \
            matched, so a second run is quick. New documents are coded as they are read. \
            With no paths it analyses the bundled demo corpus (corpus/) with the default codebook \
            (codebooks/china-regional-innovation.yaml) and the gazetteer of China \
            (codebooks/gazetteer/china.yaml).

            Examples:
              qda analyze
              qda analyze corpus/ --codebook codebooks/china-regional-innovation.yaml \\
                  --project study.sqlite --format json
            """)

    @Argument(help: ArgumentHelp("Files or folders to ingest (default: the demo corpus).", valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("The codebook (default: the bundled one).", valueName: "file"))
    var codebook: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The gazetteer that names the regions (default: the bundled one of China, with the bundled codebook).",
            valueName: "file"))
    var gazetteer: String?

    @Flag(name: .customLong("no-gazetteer"), help: "Take regions as written and do not look for place names.")
    var noGazetteer = false

    @OptionGroup var ingest: IngestFlags
    @OptionGroup var rating: RatingOptions
    @OptionGroup var quotes: QuoteOptions
    @OptionGroup var format: FormatOptions
    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: ProgressOptions

    /// The repository's root, for the bundled corpus and codebook: the working directory
    /// when it has them, else the checkout this binary was built from.
    static func bundledRoot() -> String? {
        let fileManager = FileManager.default
        let candidates = [
            fileManager.currentDirectoryPath,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().path,
        ]
        return candidates.first { fileManager.fileExists(atPath: $0 + "/" + Analyze.defaultCodebook) }
    }

    static let defaultCorpus = "corpus"
    static let defaultCodebook = "codebooks/china-regional-innovation.yaml"
    static let defaultGazetteer = "codebooks/gazetteer/china.yaml"

    func validate() throws {
        if noGazetteer && gazetteer != nil { throw ValidationError("Pass either --gazetteer or --no-gazetteer.") }
    }

    func run() throws {
        var paths = paths
        var codebook = codebook
        var gazetteer = gazetteer
        let options = try ingest.options()
        let useDemoCorpus = paths.isEmpty && options.manifest == nil
        if useDemoCorpus || codebook == nil {
            guard let root = Self.bundledRoot() else {
                throw ValidationError(
                    "No bundled corpus and codebook found; name the files to analyse and pass --codebook.")
            }
            if useDemoCorpus { paths = [root + "/" + Self.defaultCorpus] }
            if codebook == nil {
                codebook = root + "/" + Self.defaultCodebook
                if gazetteer == nil && !noGazetteer { gazetteer = root + "/" + Self.defaultGazetteer }
            }
        }
        guard let codebook else { throw ValidationError("Pass --codebook.") }
        // Validate the codebook and gazetteer before anything is written.
        _ = try CodebookLoader().load(path: codebook)
        if let gazetteer { _ = try GazetteerLoader().load(path: gazetteer) }
        let project = try Workbench.openOrCreate(at: self.project.path)
        if let gazetteer {
            let loaded = try project.loadGazetteer(path: gazetteer)
            if loaded.changed { output.say(GazetteerCommand.describe(loaded)) }
        }
        // The codebook first, so that new documents are coded as they are read; documents
        // stored before with another codebook are coded after.
        let loaded = try project.loadCodebook(path: codebook)
        let ingested = try project.ingest(paths: paths, options: options, autoCode: true, progress: output.handler())
        var skippedFiles: Error?
        do {
            try Ingest.report(ingested, output: output, verbose: ingest.verbose)
        } catch {
            // The files that could be read are analysed; the exit status still says some were not.
            skippedFiles = error
        }
        CodebookCommand.report(loaded, file: codebook, output: output)
        var coded = try project.autoCode(progress: output.handler())
        coded.add(ingested.coded)
        output.say(CodeCommand.describe(coded))
        // The pattern report as `qda report patterns` prints it, quotes included.
        let report = try project.patternReport(
            minimumSegments: rating.minimumSegments, ratingQuotes: quotes.needed(for: format.format))
        format.emit(try ReportRendering.render(report, format: format.format, quotes: quotes.quotes))
        if let skippedFiles { throw skippedFiles }
    }
}
