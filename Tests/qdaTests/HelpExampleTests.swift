import Foundation
import QDAKitTestSupport
import Testing

/// Every example in `qda --help` (every subcommand's) and in the README runs, as a new
/// user would run it from the checkout after `qda analyze`: the bundled corpus, codebook
/// and gazetteer, the input files of `examples/`, and the files a researcher's own work
/// gives (a second coder's project, a codings CSV, an exported .qdpx), made first.
@Suite(.serialized) struct HelpExampleTests {
    static let root = Fixtures.repositoryRoot

    /// One example: where it was found and its words.
    struct Example: Sendable, CustomStringConvertible {
        var source: String
        var line: String
        var description: String { "\(source): \(line)" }
    }

    // MARK: - Finding the examples

    /// Splits a shell command line into words: double and single quotes, backslashes.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// The `qda …` lines of a text after an "Example:" or "Examples:" line, continuation
    /// lines (ending in a backslash) joined, and a trailing comment — two spaces and a
    /// parenthesis, or a `#` — left out.
    static func examples(in text: String, source: String) -> [Example] {
        var result: [Example] = []
        var inExamples = false
        var afterExample = false
        var pending: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var open = pending {
                open.removeLast()
                pending = open.trimmingCharacters(in: .whitespaces) + " " + line
                if !line.hasSuffix("\\") {
                    result.append(Example(source: source, line: pending!))
                    pending = nil
                }
                continue
            }
            if line.hasSuffix("Example:") || line.hasSuffix("Examples:") {
                inExamples = true
                continue
            }
            guard inExamples else { continue }
            defer { afterExample = line.hasPrefix("qda ") }
            if line.hasPrefix("qda ") {
                var command = line
                if let comment = command.range(of: "  (") ?? command.range(of: " #") {
                    command = String(command[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces)
                }
                if command.hasSuffix("\\") {
                    pending = command
                } else {
                    result.append(Example(source: source, line: command))
                }
            } else if line.hasSuffix(":") && !line.isEmpty && line.uppercased() == line {
                inExamples = false  // OPTIONS:, ARGUMENTS:, …
            } else if !line.isEmpty, afterExample {
                // Words under an example that is not continued: the help wrapped it.
                result.append(Example(source: source, line: "(wrapped) " + line))
            }
        }
        return result
    }

    /// The examples of every command's `--help`, walking SUBCOMMANDS.
    static func helpExamples(_ qda: CommandRunner, in folder: String) throws -> [Example] {
        var result: [Example] = []
        var pending: [[String]] = [[]]
        var seen: Set<[String]> = []
        while let path = pending.popLast() {
            guard seen.insert(path).inserted else { continue }
            let help = try qda.run(path + ["--help"], in: folder).stdout
            let name = (["qda"] + path).joined(separator: " ")
            result += examples(in: help, source: name + " --help")
            guard let subcommands = help.range(of: "SUBCOMMANDS:") else { continue }
            for line in help[subcommands.upperBound...].split(separator: "\n") {
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first,
                    word != "See"
                else { continue }
                pending.append(path + [String(word)])
            }
        }
        return result
    }

    /// The `qda` lines of the README's shell blocks.
    static func readmeExamples() throws -> [Example] {
        let text = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        var result: [Example] = []
        var inShell = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inShell = line == "```sh"
                continue
            }
            guard inShell, line.hasPrefix("qda ") else { continue }
            var command = String(line)
            if let comment = command.range(of: " #") { command = String(command[..<comment.lowerBound]) }
            result.append(Example(source: "README.md", line: command.trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    // MARK: - The workspace

    /// A folder laid out as a researcher's after `qda analyze` in the checkout, with two
    /// coders' codings and the files the examples take as input.
    final class Workspace: Sendable {
        let folder: TemporaryDirectory
        let qda: CommandRunner

        init() throws {
            folder = try TemporaryDirectory()
            qda = try CommandRunner()
            for name in ["corpus", "codebooks", "examples"] {
                try FileManager.default.createSymbolicLink(
                    atPath: folder.url(name), withDestinationPath: HelpExampleTests.root + "/" + name)
            }
            try must(["analyze", "--quiet"])
            // A second coder on a few segments, as after a day of coding by hand.
            for (code, segment, coder) in [
                ("technology.base", "42", "ann"), ("market.income", "42", "ann"), ("technology.base", "42", "bo"),
                ("mindset.agency", "41", "bo"), ("technology.base", "34", "ann"), ("technology.base", "36", "ann"),
                ("technology.base", "44", "ann"),
            ] {
                try must(["code", "add", code, "--segment", segment, "--coder", coder])
            }
            for copy in ["study.sqlite", "ann.sqlite", "bo.sqlite"] {
                try FileManager.default.copyItem(atPath: folder.url("qda-project.sqlite"), toPath: folder.url(copy))
            }
            try must(["export", "qdpx", "study.qdpx"])
            try must(["code", "export", "ann-codings.csv", "--coders", "ann"])
        }

        func must(_ arguments: [String]) throws {
            let result = try qda.run(arguments, in: folder.path)
            guard result.status == 0 else {
                throw CocoaError(
                    .featureUnsupported,
                    userInfo: [NSLocalizedDescriptionKey: "qda \(arguments): \(result.stderr)"])
            }
        }

        /// A fresh copy of the workspace, for one example to change as it likes.
        func copy() throws -> TemporaryDirectory {
            let copy = try TemporaryDirectory()
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let source = folder.url(name)
                if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: source) {
                    try FileManager.default.createSymbolicLink(atPath: copy.url(name), withDestinationPath: link)
                } else {
                    try FileManager.default.copyItem(atPath: source, toPath: copy.url(name))
                }
            }
            return copy
        }
    }

    @Test func everyExampleOfTheHelpAndTheREADMERuns() throws {
        let workspace = try Workspace()
        let help = try Self.helpExamples(workspace.qda, in: workspace.folder.path)
        let readme = try Self.readmeExamples()
        // Enough found to be sure the finding works: every command has examples.
        #expect(help.count >= 60, "\(help.count) examples found in the help")
        #expect(readme.count >= 15, "\(readme.count) examples found in the README")
        // Each example of the help on a fresh copy of the workspace; `qda serve` runs until it
        // is stopped, so ServeCommandTests runs it (and stops it) instead.
        for example in help
        where !example.line.hasPrefix("(wrapped)") && Self.words(example.line).dropFirst().first != "serve" {
            let copy = try workspace.copy()
            let result = try workspace.qda.run(Array(Self.words(example.line).dropFirst()), in: copy.path)
            #expect(result.status == 0, "\(example)\n\(result.stderr)")
        }
        // The README's walkthrough in order, from a project it creates itself (but for its
        // `qda serve`, which runs until stopped).
        let walk = try workspace.copy()
        try FileManager.default.removeItem(atPath: walk.url("study.sqlite"))
        for example in readme where Self.words(example.line).dropFirst().first != "serve" {
            let result = try workspace.qda.run(Array(Self.words(example.line).dropFirst()), in: walk.path)
            #expect(result.status == 0, "\(example)\n\(result.stderr)")
        }
    }

    /// The help is laid out for an 80-column terminal: no example line is wrapped.
    @Test func noExampleOfTheHelpIsWrapped() throws {
        let workspace = try TemporaryDirectory()
        let qda = try CommandRunner()
        for example in try Self.helpExamples(qda, in: workspace.path) {
            #expect(!example.line.hasPrefix("(wrapped)"), "\(example)")
        }
    }

    @Test func theWordsOfAnExample() {
        #expect(
            Self.words(#"qda memo add "Rated + not ++: two voices only." --region Beijing"#)
                == ["qda", "memo", "add", "Rated + not ++: two voices only.", "--region", "Beijing"])
        #expect(Self.words("qda search 'a b' x") == ["qda", "search", "a b", "x"])
        let found = Self.examples(
            in: "Examples:\n  qda a \\\n    --b c\n  qda d   (a comment)\n\nOPTIONS:\n  qda e\n", source: "t")
        #expect(found.map(\.line) == ["qda a --b c", "qda d"])
        let wrapped = Self.examples(in: "Example:\n  qda a --document\n  b.txt\n", source: "t")
        #expect(wrapped.map(\.line) == ["qda a --document", "(wrapped) b.txt"])
    }
}
