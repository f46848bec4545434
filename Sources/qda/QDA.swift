import ArgumentParser
import QDACodebook

@main
struct QDA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qda",
        abstract: "Code interview transcripts and literature with a codebook and compare regions.",
        discussion: """
            qda keeps a project in one SQLite file: the documents you ingest, their segments \
            (speaker turns or paragraphs), a codebook of factor codes, and the codings the \
            auto-coder (or a person) made. Reports aggregate the coded segments per region.

            A first run on the bundled demo corpus and codebook:

              qda analyze

            The same, step by step, on your own material:

              qda init --project study.sqlite
              qda ingest interviews/ notes/ --project study.sqlite
              qda codebook load my-codebook.yaml --project study.sqlite
              qda code --project study.sqlite
              qda report patterns --project study.sqlite

            The project file is chosen with --project, else $QDA_PROJECT, else \
            ./qda-project.sqlite. See docs/user-guide.md for the whole manual.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Ingest.self, CodebookCommand.self, GazetteerCommand.self, CodeCommand.self, Report.self,
            Segments.self, Search.self, Review.self, MemoCommand.self, Merge.self, Agreement.self, Evaluate.self,
            Suggest.self,
            Grid.self,
            Export.self, Import.self, QCACommand.self, Backup.self, Check.self,
            Serve.self, UserCommand.self, Analyze.self,
        ]
    )
}
