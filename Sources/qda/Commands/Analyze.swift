import ArgumentParser
import Foundation
import QDAKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest, load the codebook, code and report patterns in one go.",
        discussion: """
            Runs ingest, codebook load, code and report patterns, incrementally: unchanged \
            files are skipped and only new or changed segments are matched, so a second run \
            is quick. With no paths it analyses the bundled demo corpus (corpus/) with the \
            default codebook (codebooks/china-regional-innovation.yaml).

            Examples:
              qda analyze
              qda analyze interviews/ --codebook my-codebook.yaml --project study.sqlite --format json
            """)

    @Argument(help: ArgumentHelp("Files or folders to ingest (default: the demo corpus).", valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("The codebook (default: the bundled one).", valueName: "file"))
    var codebook: String?

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

    func run() throws {
        var paths = paths
        var codebook = codebook
        if paths.isEmpty || codebook == nil {
            guard let root = Self.bundledRoot() else {
                throw ValidationError(
                    "No bundled corpus and codebook found; name the files to analyse and pass --codebook.")
            }
            if paths.isEmpty { paths = [root + "/" + Self.defaultCorpus] }
            if codebook == nil { codebook = root + "/" + Self.defaultCodebook }
        }
        guard let codebook else { throw ValidationError("Pass --codebook.") }
        // Validate the codebook before anything is written.
        _ = try CodebookLoader().load(path: codebook)
        let project = try Project.openOrCreate(at: self.project.path)
        let ingested = try project.ingest(paths: paths, progress: output.handler())
        output.say(Ingest.describe(ingested))
        let loaded = try project.loadCodebook(path: codebook)
        CodebookCommand.report(loaded, file: codebook, output: output)
        let coded = try project.autoCode(progress: output.handler())
        output.say(CodeCommand.describe(coded))
        emit(try ReportRendering.render(PatternReport(project: project), format: format.format))
    }
}
