import ArgumentParser
import QDAKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an empty project file.",
        discussion: """
            Creates a new SQLite project file with the qda schema. It refuses to touch an \
            existing file.

            Example:
              qda init --project pilot.sqlite
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: ProgressOptions

    func run() throws {
        _ = try Workbench.create(at: project.path)
        output.say("Created the project \(project.path).")
    }
}
