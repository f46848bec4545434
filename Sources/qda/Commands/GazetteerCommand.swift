import ArgumentParser
import QDAKit

struct GazetteerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazetteer",
        abstract: "Load the gazetteer that names the regions.",
        subcommands: [Load.self])

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a YAML gazetteer and make it the project's.",
            discussion: """
                A gazetteer lists the regions a study compares with every name they go by \
                (English, pinyin, Chinese, cities and districts within them) and groupings of \
                regions. Once loaded, document regions are resolved to canonical names \
                ("Shenzhen" and "广东" are Guangdong), segments are attributed to the regions \
                they name, and reports can roll regions up with --level grouping. Loading \
                re-attributes every segment already in the project. Format: \
                docs/gazetteer-format.md.

                Example:
                  qda gazetteer load codebooks/gazetteer/china.yaml
                """)

        @Argument(help: ArgumentHelp("The gazetteer file (YAML).", valueName: "file"))
        var file: String

        @OptionGroup var project: ProjectOptions
        @OptionGroup var output: ProgressOptions

        func run() throws {
            let summary = try Workbench.openOrCreate(at: project.path).loadGazetteer(path: file)
            output.say(
                summary.changed
                    ? GazetteerCommand.describe(summary) : "The gazetteer \(summary.name) is already loaded.")
        }
    }

    static func describe(_ summary: GazetteerLoadSummary) -> String {
        "Loaded the gazetteer \(summary.name): \(plural(summary.regions, "region")), "
            + "\(plural(summary.places, "place")), \(plural(summary.groupings, "grouping"))."
    }
}
